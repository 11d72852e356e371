/// HMAC-SHA256 (RFC 2104) over OpenSSL's `EVP_MAC`.
///
/// One-shot:
/// ```swift
/// let tag = try HMACSHA256.authenticationCode(for: message, using: macKey)
/// let ok = try HMACSHA256.isValidAuthenticationCode(tag, authenticating: message, using: macKey)
/// ```
/// Streaming: `var h = try HMACSHA256(key: macKey); try h.update(part1); try h.update(part2);
/// let tag = try h.finalize()`.
public struct HMACSHA256: ~Copyable {
    /// The tag length in bytes.
    public static let byteCount = 32

    let context: MACContext

    /// Starts a MAC computation keyed with `key`.
    ///
    /// - Parameter key: the HMAC key (any non-empty length; secured keys use 32 bytes).
    /// - Throws: ``CryptoError/invalidKeySize(_:)`` for an empty key, ``CryptoError/openSSL(_:)``.
    public init(key: SymmetricKey) throws {
        guard key.byteCount > 0 else { throw CryptoError.invalidKeySize(0) }
        context = try MACContext(key: key)
    }

    /// Feeds more bytes into the MAC.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public mutating func update(_ data: some ContiguousBytesProtocol) throws {
        try data.withUnsafeBytes { try context.update($0) }
    }

    /// Returns the 32-byte tag. The value must not be used afterwards.
    ///
    /// - Throws: ``CryptoError/openSSL(_:)``.
    public consuming func finalize() throws -> [UInt8] {
        try context.finalize()
    }

    /// The HMAC-SHA256 tag of `data`.
    ///
    /// - Parameters:
    ///   - data: the message.
    ///   - key: the HMAC key.
    /// - Returns: 32 bytes.
    /// - Throws: ``CryptoError``.
    public static func authenticationCode(
        for data: some ContiguousBytesProtocol, using key: SymmetricKey
    ) throws -> [UInt8] {
        var mac = try HMACSHA256(key: key)
        try mac.update(data)
        return try mac.finalize()
    }

    /// Whether `code` is the tag of `data`, compared in constant time (`CRYPTO_memcmp`).
    ///
    /// - Parameters:
    ///   - code: the tag to check; a tag of the wrong length is simply invalid.
    ///   - data: the message.
    ///   - key: the HMAC key.
    /// - Returns: `true` when the tag matches.
    /// - Throws: ``CryptoError`` when the MAC cannot be computed.
    public static func isValidAuthenticationCode(
        _ code: some ContiguousBytesProtocol, authenticating data: some ContiguousBytesProtocol,
        using key: SymmetricKey
    ) throws -> Bool {
        let expected = try authenticationCode(for: data, using: key)
        return expected.withUnsafeBytes { e in code.withUnsafeBytes { c in ConstantTime.equals(e, c) } }
    }
}
