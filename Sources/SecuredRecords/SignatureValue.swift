import SecuredCrypto

/// A signature value as records and manifests write it: `v1;<key id>;<B64(tag)>` (SPEC
/// sections 4 and 6). Records and manifests differ only in the domain their tag covers.
public struct SignatureValue: Sendable, Equatable {
    /// The only version this tool knows: HMAC-SHA256.
    public static let version = "v1"
    /// The length of a `v1` tag.
    public static let tagLength = HMACSHA256.byteCount

    /// The id of the key that made it.
    public var keyID: String
    /// The 32-byte HMAC-SHA256 tag.
    public var tag: [UInt8]

    /// A value from its parts.
    public init(keyID: String, tag: [UInt8]) {
        self.keyID = keyID
        self.tag = tag
    }

    /// The value, as signers write it.
    public var serialized: String { "\(Self.version);\(keyID);\(Base64.encode(tag))" }

    /// Parses `v1;<key id>;<base64>`.
    ///
    /// - Returns: the value, or why it is malformed (in words, naming no field).
    public static func parse(_ text: Substring) -> Result<SignatureValue, LiteralValue.Problem> {
        func fail(_ reason: String) -> Result<SignatureValue, LiteralValue.Problem> {
            .failure(LiteralValue.Problem(reason: reason))
        }
        let parts = text.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return fail("not of the form \(version);<key id>;<base64 tag>") }
        guard parts[0] == Substring(version) else {
            return fail("unknown version '\(parts[0].prefix(16))' (this tool knows \(version))")
        }
        guard SecuredKey.isValidID(String(parts[1])) else { return fail("key id is not 1-64 of [A-Za-z0-9._-]") }
        let tag: [UInt8]
        do {
            tag = try Base64.decode(parts[2])
        } catch {
            return fail("tag is not canonical base64: \(error)")
        }
        guard tag.count == tagLength else { return fail("tag decodes to \(tag.count) bytes, expected \(tagLength)") }
        return .success(SignatureValue(keyID: String(parts[1]), tag: tag))
    }

    /// `HMAC-SHA256(macKey, domain || message)`, the message fed in pieces by `message`.
    ///
    /// - Throws: ``RecordError`` `.io` naming `file` when OpenSSL fails.
    static func tag(
        domain: [UInt8], macKey: SymmetricKey, file: String,
        message: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws(RecordError) -> [UInt8] {
        do {
            var mac = try HMACSHA256(key: macKey)
            try mac.update(domain)
            try message { try mac.update($0) }
            return try mac.finalize()
        } catch {
            throw RecordError(.io, file: file, reason: "cannot compute HMAC: \(error)")
        }
    }
}
