/// BLAKE2b-512, for minisign's prehashed signatures (SPEC section 6).
public enum BLAKE2b512 {
    /// The digest length in bytes.
    public static let byteCount = 64

    /// The BLAKE2b-512 digest of `data`.
    ///
    public static func hash(_ data: some ContiguousBytesProtocol) -> [UInt8] {
        let context = DigestContext(algorithm: .blake2b512)
        data.withUnsafeBytes { context.update($0) }
        return context.finalize()
    }
}
