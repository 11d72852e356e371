/// Ed25519 signatures (RFC 8032, pure Ed25519 — never the prehashed "ph" variant), over
/// OpenSSL's EVP API.
///
/// ```swift
/// let key = try Ed25519.PrivateKey()
/// let signature = try key.signature(for: Array("message".utf8))
/// let ok = key.publicKey.isValidSignature(signature, for: Array("message".utf8))
/// ```
public enum Ed25519 {
    /// The length of a seed (the private key), of a public key, and of a signature.
    public static let seedSize = 32
    public static let publicKeySize = 32
    public static let signatureSize = 64

    /// A signing key: the 32-byte RFC 8032 seed, in wiped storage, and its public key.
    public struct PrivateKey: Sendable {
        /// The seed. **Secret.**
        public let seed: SymmetricKey
        /// The public key that verifies its signatures.
        public let publicKey: PublicKey

        /// A fresh random key.
        ///
        /// - Throws: ``CryptoError/randomSourceFailed``, ``CryptoError/openSSL(_:)``.
        public init() throws {
            try self.init(seed: SymmetricKey(size: .bits256))
        }

        /// The key of a seed.
        ///
        /// - Throws: ``CryptoError/invalidKeySize(_:)`` unless 32 bytes; ``CryptoError/openSSL(_:)``.
        public init(seed: SymmetricKey) throws {
            guard seed.byteCount == Ed25519.seedSize else { throw CryptoError.invalidKeySize(seed.byteCount) }
            self.seed = seed
            publicKey = try PublicKey(rawRepresentation: seed.withUnsafeBytes { try Ed25519.publicKey(seed: $0) })
        }

        /// The 64-byte signature of `message`.
        ///
        /// - Throws: ``CryptoError/openSSL(_:)``.
        public func signature(for message: some ContiguousBytesProtocol) throws -> [UInt8] {
            try seed.withUnsafeBytes { s in try message.withUnsafeBytes { m in try Ed25519.sign(seed: s, message: m) } }
        }
    }

    /// A verifying key: 32 bytes, not secret.
    public struct PublicKey: Sendable, Hashable {
        /// The 32 bytes.
        public let rawRepresentation: [UInt8]
        let context: PublicKeyContext

        /// A public key from its 32 bytes.
        ///
        /// - Throws: ``CryptoError/invalidKeySize(_:)`` unless 32 bytes; ``CryptoError/openSSL(_:)``
        ///   for bytes OpenSSL does not take as a key.
        public init(rawRepresentation: [UInt8]) throws {
            guard rawRepresentation.count == Ed25519.publicKeySize else {
                throw CryptoError.invalidKeySize(rawRepresentation.count)
            }
            self.rawRepresentation = rawRepresentation
            context = try PublicKeyContext(raw: rawRepresentation)
        }

        /// Whether `signature` is this key's signature of `message` (never throws: any failure
        /// is "not valid").
        public func isValidSignature(
            _ signature: some ContiguousBytesProtocol, for message: some ContiguousBytesProtocol
        ) -> Bool {
            signature.withUnsafeBytes { s in
                s.count == Ed25519.signatureSize
                    && message.withUnsafeBytes { m in context.verify(signature: s, message: m) }
            }
        }

        public static func == (a: PublicKey, b: PublicKey) -> Bool { a.rawRepresentation == b.rawRepresentation }
        public func hash(into hasher: inout Hasher) { hasher.combine(rawRepresentation) }
    }
}
