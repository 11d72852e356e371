import SecuredCrypto

/// What the per-record check remembers for the corpus-wide checks: 24 bytes a record.
/// Ciphertexts are compared only for the rare records that share an IV, by reading them again.
struct BlobIdentity: Sendable {
    /// The IV, big-endian halves.
    var iv: (UInt64, UInt64)
    /// The record's index in the run's sorted file list.
    var file: Int32 = 0
    /// The `secured` line.
    var line: Int32

    init(iv: [UInt8], line: Int) {
        var a: UInt64 = 0
        var b: UInt64 = 0
        for (k, byte) in iv.prefix(16).enumerated() {
            if k < 8 { a = a << 8 | UInt64(byte) } else { b = b << 8 | UInt64(byte) }
        }
        self.iv = (a, b)
        self.line = Int32(clamping: line)
    }

    var ivBytes: [UInt8] {
        (0..<16).map { k in UInt8(truncatingIfNeeded: (k < 8 ? iv.0 : iv.1) >> UInt64(56 - 8 * (k % 8))) }
    }

    var ivHex: String { Hex.encode(ivBytes) }
}
