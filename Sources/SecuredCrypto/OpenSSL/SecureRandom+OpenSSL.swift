internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL (`RAND_bytes`).
public enum SecureRandom {
    /// Fills `buffer` with random bytes.
    ///
    /// - Throws: ``CryptoError/randomSourceFailed`` when `RAND_bytes` fails; the
    ///   buffer is then wiped, never left partly filled or zero by design.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        guard buffer.count <= Int(Int32.max),
            RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1
        else {
            _ = OpenSSLErrorEntry.drainQueue()
            secureZero(buffer)
            throw CryptoError.randomSourceFailed
        }
    }

    /// Returns `count` random bytes.
    ///
    /// - Throws: ``CryptoError/randomSourceFailed``.
    public static func bytes(count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        try out.withUnsafeMutableBytes { try fill($0) }
        return out
    }
}
