/// SHA-256, for key fingerprints and manifests.
public struct SHA256: ~Copyable {
    /// The digest length in bytes.
    public static let byteCount = 32

    let context: DigestContext

    /// Starts a digest. It never fails on any input: like swift-crypto's digests, it traps
    /// only when OpenSSL cannot allocate a context.
    public init() { context = DigestContext() }

    /// Feeds more bytes.
    ///
    /// - Parameter data: the bytes.
    public mutating func update(_ data: some ContiguousBytesProtocol) {
        data.withUnsafeBytes { context.update($0) }
    }

    /// The 32-byte digest.
    ///
    /// - Returns: the digest.
    public consuming func finalize() -> [UInt8] { context.finalize() }

    /// The SHA-256 digest of `data`.
    ///
    /// - Parameter data: the bytes.
    /// - Returns: the 32-byte digest.
    public static func hash(_ data: some ContiguousBytesProtocol) -> [UInt8] {
        var d = SHA256()
        d.update(data)
        return d.finalize()
    }
}
