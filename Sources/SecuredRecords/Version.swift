/// The version of this library and of the `secured` tool built on it.
public enum SecuredVersion {
    /// Semantic version; shard indexes (``AuditIndex``) record it, and a merge refuses to mix
    /// indexes of different versions.
    public static let current = "1.3.0"
}
