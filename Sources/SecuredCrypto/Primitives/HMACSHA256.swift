/// HMAC-SHA256 (RFC 2104) over OpenSSL's `EVP_MAC`.
///
/// One-shot:
/// ```swift
/// let tag = HMACSHA256.authenticationCode(for: message, using: macKey)
/// let ok = HMACSHA256.isValidAuthenticationCode(tag, authenticating: message, using: macKey)
/// ```
/// Streaming: `var h = HMACSHA256(key: macKey); h.update(part1); h.update(part2);
/// let tag = h.finalize()`. Nothing here throws: like swift-crypto's, these trap only when
/// OpenSSL cannot allocate a context.
public struct HMACSHA256: ~Copyable {
    /// The tag length in bytes.
    public static let byteCount = 32

    let context: MACContext

    /// Starts a MAC computation keyed with `key`.
    ///
    /// - Parameter key: the HMAC key (any non-empty length; secured keys use 32 bytes).
    public init(key: SymmetricKey) {
        precondition(key.byteCount > 0, "HMAC-SHA256 needs a key (every key this package makes has 16 to 64 bytes)")
        context = MACContext(key: key)
    }

    /// Feeds more bytes into the MAC.
    public mutating func update(_ data: some ContiguousBytesProtocol) {
        data.withUnsafeBytes { context.update($0) }
    }

    /// Returns the 32-byte tag. The value must not be used afterwards.
    public consuming func finalize() -> [UInt8] {
        context.finalize()
    }

    /// The HMAC-SHA256 tag of `data`.
    ///
    /// - Parameters:
    ///   - data: the message.
    ///   - key: the HMAC key.
    /// - Returns: 32 bytes.
    public static func authenticationCode(
        for data: some ContiguousBytesProtocol, using key: SymmetricKey
    ) -> [UInt8] {
        var mac = HMACSHA256(key: key)
        mac.update(data)
        return mac.finalize()
    }

    /// Whether `code` is the tag of `data`, compared in constant time (`CRYPTO_memcmp`).
    ///
    /// - Parameters:
    ///   - code: the tag to check; a tag of the wrong length is simply invalid.
    ///   - data: the message.
    ///   - key: the HMAC key.
    /// - Returns: `true` when the tag matches.
    public static func isValidAuthenticationCode(
        _ code: some ContiguousBytesProtocol, authenticating data: some ContiguousBytesProtocol,
        using key: SymmetricKey
    ) -> Bool {
        let expected = authenticationCode(for: data, using: key)
        return expected.withUnsafeBytes { e in code.withUnsafeBytes { c in ConstantTime.equals(e, c) } }
    }
}
