internal import COpenSSL

/// Constant-time comparison of byte strings.
public enum ConstantTime {
    /// Whether `a` and `b` are equal, in time independent of where they differ
    /// (`CRYPTO_memcmp`). Lengths are not secret: unequal lengths return `false` at once.
    ///
    /// - Returns: `true` when both hold the same bytes.
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        if a.count == 0 { return true }
        return CRYPTO_memcmp(a.baseAddress, b.baseAddress, a.count) == 0
    }

    /// Whether two byte arrays are equal, compared in constant time.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { pa in b.withUnsafeBytes { pb in equals(pa, pb) } }
    }
}
