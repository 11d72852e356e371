/// SHA-256, for key fingerprints and manifests.
public struct SHA256: ~Copyable {
    /// The digest length in bytes.
    public static let byteCount = 32

    let context: DigestContext

    /// Starts a digest.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public init() throws { context = try DigestContext() }

    /// Feeds more bytes.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public mutating func update(_ data: some ContiguousBytesProtocol) throws {
        try data.withUnsafeBytes { try context.update($0) }
    }

    /// The 32-byte digest.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public consuming func finalize() throws -> [UInt8] { try context.finalize() }

    /// The SHA-256 digest of `data`.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public static func hash(_ data: some ContiguousBytesProtocol) throws -> [UInt8] {
        var d = try SHA256()
        try d.update(data)
        return try d.finalize()
    }
}
