/// HKDF-SHA-256 (RFC 5869), built on ``HMACSHA256``: extract with `salt` (32 zero bytes when
/// empty, as the RFC says), then expand with `info`.
public enum HKDFSHA256 {
    /// Derives `count` bytes (at most 255 × 32) of keying material, in wiped storage.
    public static func deriveKey(
        inputKeyMaterial ikm: UnsafeRawBufferPointer, salt: [UInt8], info: [UInt8], count: Int = 32
    ) throws -> SymmetricKey {
        guard count > 0 && count <= 255 * HMACSHA256.byteCount else { throw CryptoError.invalidKeySize(count) }
        let saltKey = SymmetricKey(bytes: salt.isEmpty ? [UInt8](repeating: 0, count: HMACSHA256.byteCount) : salt)
        var prkBytes = HMACSHA256.authenticationCode(for: ikm, using: saltKey)
        let prk = SymmetricKey(bytes: prkBytes)
        secureWipe(&prkBytes)
        let storage = SecureBytes(count: count) { out in
            var previous: [UInt8] = []
            var offset = 0
            var counter: UInt8 = 1
            while offset < count {
                var mac = HMACSHA256(key: prk)
                mac.update(previous)
                mac.update(info)
                mac.update([counter])
                secureWipe(&previous)
                previous = mac.finalize()
                let n = min(previous.count, count - offset)
                for k in 0..<n { out[offset + k] = previous[k] }
                offset += n
                counter &+= 1
            }
            secureWipe(&previous)
        }
        return SymmetricKey(storage: storage)
    }

    /// ``deriveKey(inputKeyMaterial:salt:info:count:)`` over a key's bytes.
    public static func deriveKey(from key: SymmetricKey, salt: [UInt8], info: String, count: Int = 32) throws
        -> SymmetricKey
    {
        try key.withUnsafeBytes {
            try deriveKey(inputKeyMaterial: $0, salt: salt, info: Array(info.utf8), count: count)
        }
    }
}
