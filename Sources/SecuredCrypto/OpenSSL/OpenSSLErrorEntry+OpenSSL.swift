internal import COpenSSL

extension OpenSSLErrorEntry {
    /// Empties this thread's OpenSSL error queue, so no stale error is left for the
    /// next call, and returns what it held (oldest first).
    static func drainQueue() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            let message = String(
                decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            entries.append(OpenSSLErrorEntry(code: UInt(code), text: message))
        }
        return entries
    }
}

extension CryptoError {
    /// A ``CryptoError/openSSL(_:)`` holding the drained error queue.
    static func fromQueue() -> CryptoError { .openSSL(OpenSSLErrorEntry.drainQueue()) }
}

/// Overwrites memory in a way the compiler may not optimise away.
func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    COpenSSL_OPENSSL_cleanse(base, buffer.count)
}

/// Overwrites an array's bytes in place (best effort: earlier copies are not reached).
public func secureWipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { secureZero($0) }
}

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
