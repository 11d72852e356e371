/// AES-256-GCM (NIST SP 800-38D) over OpenSSL's EVP API: a 32-byte key, a 12-byte nonce,
/// optional associated data, and the 16-byte tag after the ciphertext.
///
/// ```swift
/// let key = try SymmetricKey(size: .bits256)
/// let nonce = try AESGCM.Nonce()
/// let sealed = try AESGCM.seal(Array("hello".utf8), using: key, nonce: nonce, authenticating: aad)
/// let opened = try AESGCM.open(sealed, using: key, nonce: nonce, authenticating: aad)
/// ```
public enum AESGCM {
    /// The key size in bytes (AES-256 only).
    public static let keySize = 32
    /// The nonce size in bytes.
    public static let nonceSize = 12
    /// The tag size in bytes.
    public static let tagSize = 16

    /// A 12-byte nonce. Nonces are not secret, but one must never be used twice with a key.
    public struct Nonce: Hashable, Sendable, CustomStringConvertible {
        /// The 12 bytes.
        public let bytes: [UInt8]

        /// A fresh random nonce from OpenSSL's CSPRNG.
        ///
        /// - Throws: ``CryptoError/randomSourceFailed``.
        public init() throws {
            bytes = try SecureRandom.bytes(count: AESGCM.nonceSize)
        }

        /// A nonce of the given bytes.
        ///
        /// - Parameter bytes: exactly 12 bytes.
        /// - Throws: ``CryptoError/invalidNonceSize(_:)`` for any other length.
        public init(bytes: some Collection<UInt8>) throws {
            guard bytes.count == AESGCM.nonceSize else { throw CryptoError.invalidNonceSize(bytes.count) }
            self.bytes = Array(bytes)
        }

        /// Lowercase hex.
        public var description: String { Hex.encode(bytes) }
    }

    /// Encrypts and authenticates `plaintext`, and authenticates `aad`.
    ///
    /// - Parameters:
    ///   - plaintext: any bytes, including none.
    ///   - key: 32 bytes.
    ///   - nonce: a nonce never used before with `key`.
    ///   - aad: associated data: authenticated, not encrypted.
    /// - Returns: `ciphertext || tag` (the plaintext's length plus 16 bytes).
    /// - Throws: ``CryptoError/invalidKeySize(_:)``, ``CryptoError/openSSL(_:)``.
    public static func seal(
        _ plaintext: some ContiguousBytesProtocol, using key: SymmetricKey, nonce: Nonce,
        authenticating aad: [UInt8] = []
    ) throws -> [UInt8] {
        try plaintext.withUnsafeBytes { input in
            try aad.withUnsafeBytes { a in try sealCore(input, key: key, nonce: nonce, aad: a) }
        }
    }

    /// Checks the tag of `sealed` (`ciphertext || tag`) over it and `aad`, and decrypts it.
    ///
    /// - Parameters:
    ///   - sealed: `ciphertext || tag`, at least 16 bytes.
    ///   - key: 32 bytes.
    ///   - nonce: the nonce it was sealed with.
    ///   - aad: the associated data it was sealed with.
    /// - Returns: the plaintext, in wiped storage (it is often a key).
    /// - Throws: ``CryptoError/authenticationFailed`` for a wrong key, nonce, data or tag (no
    ///   partial plaintext is ever returned), ``CryptoError/invalidInputLength(_:)`` when
    ///   shorter than a tag, ``CryptoError/invalidKeySize(_:)``.
    public static func open(
        _ sealed: some ContiguousBytesProtocol, using key: SymmetricKey, nonce: Nonce,
        authenticating aad: [UInt8] = []
    ) throws -> SecureBytes {
        try sealed.withUnsafeBytes { input in
            guard input.count >= tagSize else { throw CryptoError.invalidInputLength(input.count) }
            return try SecureBytes(count: input.count - tagSize) { out in
                try aad.withUnsafeBytes { a in try openCore(input, key: key, nonce: nonce, aad: a, into: out) }
            }
        }
    }
}
