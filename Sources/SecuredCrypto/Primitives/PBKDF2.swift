/// PBKDF2 with HMAC-SHA256 as its pseudorandom function (RFC 8018 section 5.2), through
/// OpenSSL's `PKCS5_PBKDF2_HMAC`.
///
/// It takes any count from 1 up: the limits a format puts on counts (SPEC 1.2 section 3:
/// 100,000 to 10,000,000 for passphrase key files) are that format's to check, before this
/// is called.
public enum PBKDF2SHA256 {
    /// Derives `count` bytes from `password` and `salt`.
    ///
    /// - Parameters:
    ///   - password: the password's bytes; not copied.
    ///   - salt: the salt.
    ///   - iterations: the iteration count, 1 to `Int32.max`.
    ///   - count: how many bytes to derive, 1 to 1024.
    /// - Returns: the derived key, in wiped storage.
    /// - Throws: ``CryptoError/invalidIterationCount(_:)``, ``CryptoError/invalidKeySize(_:)``
    ///   for a `count` out of range, ``CryptoError/openSSL(_:)``.
    public static func deriveKey(
        password: UnsafeRawBufferPointer, salt: [UInt8], iterations: Int, count: Int = 32
    ) throws -> SymmetricKey {
        guard iterations >= 1 && iterations <= Int(Int32.max) else {
            throw CryptoError.invalidIterationCount(iterations)
        }
        guard count >= 1 && count <= 1024 else { throw CryptoError.invalidKeySize(count) }
        let storage = try SecureBytes(count: count) { out in
            try derive(password: password, salt: salt, iterations: iterations, into: out)
        }
        return SymmetricKey(storage: storage)
    }

    /// ``deriveKey(password:salt:iterations:count:)`` over a passphrase's UTF-8 bytes.
    public static func deriveKey(from passphrase: Passphrase, salt: [UInt8], iterations: Int, count: Int = 32)
        throws -> SymmetricKey
    {
        try passphrase.withUnsafeBytes { try deriveKey(password: $0, salt: salt, iterations: iterations, count: count) }
    }
}
