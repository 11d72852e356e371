/// BLAKE2b-512, for minisign's prehashed signatures (SPEC section 6).
public enum BLAKE2b512 {
    /// The digest length in bytes.
    public static let byteCount = 64

    /// The BLAKE2b-512 digest of `data`.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public static func hash(_ data: some ContiguousBytesProtocol) throws -> [UInt8] {
        let context = try DigestContext(algorithm: .blake2b512)
        try data.withUnsafeBytes { try context.update($0) }
        return try context.finalize()
    }
}
