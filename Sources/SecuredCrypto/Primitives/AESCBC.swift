/// AES in CBC mode with PKCS#7 padding (SPEC section 2), over OpenSSL's EVP API.
///
/// Keys of 16, 24 or 32 bytes select AES-128, AES-192 or AES-256.
///
/// ```swift
/// let key = try SymmetricKey(size: .bits256)
/// let iv = try AESCBC.IV()
/// let c = try AESCBC.encrypt(Array("hello".utf8), using: key, iv: iv)
/// let p = try AESCBC.decrypt(c, using: key, iv: iv)
/// ```
public enum AESCBC {
    /// The AES block size in bytes.
    public static let blockSize = 16

    /// A 16-byte initialisation vector. IVs are not secret.
    public struct IV: Hashable, Sendable, CustomStringConvertible {
        /// The 16 bytes.
        public let bytes: [UInt8]

        /// A fresh random IV from OpenSSL's CSPRNG.
        ///
        /// - Throws: ``CryptoError/randomSourceFailed``; never returns a zero IV.
        public init() throws {
            bytes = try SecureRandom.bytes(count: AESCBC.blockSize)
        }

        /// An IV of the given bytes.
        ///
        /// - Parameter bytes: exactly 16 bytes.
        /// - Throws: ``CryptoError/invalidIVSize(_:)`` for any other length.
        public init(bytes: some Collection<UInt8>) throws {
            guard bytes.count == AESCBC.blockSize else { throw CryptoError.invalidIVSize(bytes.count) }
            self.bytes = Array(bytes)
        }

        /// Lowercase hex.
        public var description: String { Hex.encode(bytes) }
    }

    /// Encrypts `plaintext`.
    ///
    /// - Parameters:
    ///   - plaintext: any bytes, including none.
    ///   - key: 16, 24 or 32 bytes.
    ///   - iv: the IV; use a fresh random one for every message.
    ///   - padding: PKCS#7 padding (default). Without it the plaintext must be a
    ///     whole number of blocks (used by the NIST known-answer tests).
    /// - Returns: the ciphertext.
    /// - Throws: ``CryptoError/invalidKeySize(_:)``, ``CryptoError/invalidInputLength(_:)``
    ///   (unpadded, not whole blocks), ``CryptoError/openSSL(_:)``.
    public static func encrypt(
        _ plaintext: some ContiguousBytesProtocol, using key: SymmetricKey, iv: IV, padding: Bool = true
    ) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { input in
            if !padding, input.count % blockSize != 0 {
                throw CryptoError.invalidInputLength(input.count)
            }
            return try cipher(input, key: key, iv: iv, encrypting: true, padding: padding)
        }
    }

    /// Decrypts `ciphertext`, checking and removing the PKCS#7 padding.
    ///
    /// - Parameters:
    ///   - ciphertext: a non-empty whole number of blocks.
    ///   - key: 16, 24 or 32 bytes.
    ///   - iv: the IV it was encrypted with.
    ///   - padding: PKCS#7 padding (default); off only for known-answer tests.
    /// - Returns: the plaintext.
    /// - Throws: ``CryptoError/authenticationFailed`` when the padding does not check
    ///   out (no partial plaintext is ever returned), ``CryptoError/invalidInputLength(_:)``,
    ///   ``CryptoError/invalidKeySize(_:)``.
    /// - Note: An unauthenticated padding check is not an integrity check: a wrong key
    ///   passes it about once in 256 tries. Verify a MAC first (encrypt-then-MAC).
    public static func decrypt(
        _ ciphertext: some ContiguousBytesProtocol, using key: SymmetricKey, iv: IV, padding: Bool = true
    ) throws -> [UInt8] {
        try ciphertext.withUnsafeBytes { input in
            guard input.count > 0, input.count % blockSize == 0 else {
                throw CryptoError.invalidInputLength(input.count)
            }
            return try cipher(input, key: key, iv: iv, encrypting: false, padding: padding)
        }
    }
}
