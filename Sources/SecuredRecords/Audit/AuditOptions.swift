import Dispatch
import Synchronization

/// What an audit checks beyond the defaults.
public struct AuditOptions: Sendable {
    /// Report SR003 for a record without `secured`.
    public var requireSecured = false
    /// Report SR008 for a record without `signature`; unsigned blobs are then never decrypted.
    public var requireSignature = false
    /// Largest file read (SR017 beyond it).
    public var sizeLimit = Record.defaultSizeLimit
    /// Codes not reported.
    public var ignore: Set<RecordError.Code> = []
    /// Worker threads (at least 1).
    public var jobs = 2
    /// Check only shard `index` (1-based) of `count`, chosen by a hash of the path.
    public var shard: (index: Int, count: Int)?
    /// Also check this manifest (SR018, SR019) against the records under its folder.
    public var manifest: String?
    /// Also gather the run's ``AuditIndex`` (``AuditRun/index``), for a merge of shards.
    public var buildsIndex = false
    /// Tests only: the findings spool fails its writes after this many bytes.
    var spoolWriteLimit: Int?
    /// Tests only: the findings spool fails to read back what it wrote.
    var spoolReadFails = false

    /// The defaults: nothing required, every code reported, no shard.
    public init() {}

    /// The most shards an audit is split into (`--shard I/N`, and an index's `shard` line):
    /// more would only make a merge's bookkeeping grow with a number an index declares.
    public static let maximumShardCount = 10_000

    /// Reads `I/N` (1 <= I <= N <= ``maximumShardCount``); `nil` when it is not that.
    public static func shard(_ text: String) -> (index: Int, count: Int)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= maximumShardCount,
            (1...n).contains(i)
        else { return nil }
        return (i, n)
    }
}
