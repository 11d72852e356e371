/// A size for a new random key.
public enum SymmetricKeySize: Int, Sendable, CaseIterable {
    case bits128 = 16
    case bits192 = 24
    case bits256 = 32

    /// The size in bytes.
    public var byteCount: Int { rawValue }
}

/// A secret key for AES or HMAC, kept in ``SecureBytes``.
///
/// `description` never shows the bytes, only the length.
public struct SymmetricKey: Sendable, CustomStringConvertible {
    let storage: SecureBytes

    /// A fresh random key from OpenSSL's CSPRNG (`RAND_bytes`).
    ///
    /// - Parameter size: the key size.
    /// - Throws: ``CryptoError/randomSourceFailed`` if the random source fails.
    public init(size: SymmetricKeySize) throws {
        storage = try SecureBytes(count: size.byteCount) { try SecureRandom.fill($0) }
    }

    /// A key made of the given bytes.
    ///
    /// - Parameter bytes: the key bytes (any length; algorithms check it). The
    ///   caller's copy is not wiped.
    public init(bytes: some Collection<UInt8>) {
        storage = SecureBytes(copying: bytes)
    }

    init(storage: SecureBytes) { self.storage = storage }

    /// The key length in bytes.
    public var byteCount: Int { storage.count }

    /// The key length in bits.
    public var bitCount: Int { storage.count * 8 }

    /// Lends the key bytes to `body`.
    ///
    /// - Parameter body: reads the key; the pointer is not valid beyond this call.
    /// - Returns: what `body` returns.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    /// Whether two keys hold the same bytes, compared in constant time.
    ///
    /// - Parameter other: the other key.
    /// - Returns: `true` when lengths and bytes are equal.
    public func hasSameBytes(as other: SymmetricKey) -> Bool {
        withUnsafeBytes { a in other.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }

    public var description: String { "SymmetricKey(\(bitCount) bits)" }
}
