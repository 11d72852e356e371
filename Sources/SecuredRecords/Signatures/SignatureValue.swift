import SecuredCrypto

/// A signature value as records and manifests write it (SPEC sections 4 and 6):
/// `v1;<key id>;<B64(HMAC-SHA256 tag)>` or `ed25519;<key id>;<B64(Ed25519 signature)>`.
/// Records and manifests differ only in the domain their signature covers.
public struct SignatureValue: Sendable, Equatable {
    /// The algorithms, by the version word that names them.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// HMAC-SHA256 with the secret `mac`: 32-byte tags, verified only by holders of the secret.
        case hmacSHA256 = "v1"
        /// Ed25519 with `sign`: 64-byte signatures, verified with the public key alone.
        case ed25519 = "ed25519"

        /// The length of the tag or signature.
        public var tagLength: Int { self == .hmacSHA256 ? HMACSHA256.byteCount : Ed25519.signatureSize }
    }

    /// How it was made.
    public var algorithm: Algorithm
    /// The id of the key that made it.
    public var keyID: String
    /// The tag (HMAC) or signature (Ed25519).
    public var tag: [UInt8]

    /// A value from its parts.
    public init(algorithm: Algorithm = .hmacSHA256, keyID: String, tag: [UInt8]) {
        self.algorithm = algorithm
        self.keyID = keyID
        self.tag = tag
    }

    /// The value, as signers write it.
    public var serialized: String { "\(algorithm.rawValue);\(keyID);\(Base64.encode(tag))" }

    /// Parses `<version>;<key id>;<base64>`.
    ///
    /// - Returns: the value, or why it is malformed (in words, naming no field).
    public static func parse(_ text: Substring) -> Result<SignatureValue, LiteralValue.Problem> {
        if let value = parseWellFormedASCII(text) { return .success(value) }
        func fail(_ reason: String) -> Result<SignatureValue, LiteralValue.Problem> {
            .failure(LiteralValue.Problem(reason: reason))
        }
        let parts = splitAtSemicolons(text)
        guard parts.count == 3 else { return fail("not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>") }
        // Compared as substrings: no string is made for every record's version word.
        guard let algorithm = Algorithm.allCases.first(where: { parts[0] == $0.rawValue }) else {
            return fail("unknown version '\(parts[0].prefix(16))' (this tool knows v1 and ed25519)")
        }
        guard SecuredKey.isValidID(String(parts[1])) else { return fail("key id is not 1-64 of [A-Za-z0-9._-]") }
        let tag: [UInt8]
        do {
            tag = try Base64.decode(parts[2])
        } catch {
            return fail("\(algorithm == .ed25519 ? "signature" : "tag") is not canonical base64: \(error)")
        }
        guard tag.count == algorithm.tagLength else {
            return fail(
                "\(algorithm == .ed25519 ? "signature" : "tag") decodes to \(tag.count) bytes, expected \(algorithm.tagLength)"
            )
        }
        return .success(SignatureValue(algorithm: algorithm, keyID: String(parts[1]), tag: tag))
    }

    /// The common case, read by bytes: an ASCII value of a known version, a valid key id and a
    /// tag that is canonical base64 of the right length. `nil` for anything else, which the
    /// general parse then reads and words (so both give the same answer for every text).
    private static func parseWellFormedASCII(_ text: Substring) -> SignatureValue? {
        let parsed = text.utf8.withContiguousStorageIfAvailable { b -> SignatureValue? in
            guard let first = b.firstIndex(of: 0x3B), let second = b[(first + 1)...].firstIndex(of: 0x3B),
                !b[(second + 1)...].contains(0x3B)
            else { return nil }
            let algorithm: Algorithm
            if first == 2 && b[0] == UInt8(ascii: "v") && b[1] == UInt8(ascii: "1") {
                algorithm = .hmacSHA256
            } else if b[..<first].elementsEqual(Algorithm.ed25519.rawValue.utf8) {
                algorithm = .ed25519
            } else {
                return nil
            }
            let id = b[(first + 1)..<second]
            guard (1...64).contains(id.count), id.allSatisfy(isKeyIDCharacter) else { return nil }
            guard
                case .success(let tag) = Base64.decode(
                    bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: b[(second + 1)...]))),
                tag.count == algorithm.tagLength
            else { return nil }
            return SignatureValue(algorithm: algorithm, keyID: String(decoding: id, as: UTF8.self), tag: tag)
        }
        return parsed ?? nil
    }

    /// `[A-Za-z0-9._-]`, the characters of a key id (``SecuredKey/isValidID(_:)``).
    private static func isKeyIDCharacter(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// `text.split(separator: ";", omittingEmptySubsequences: false)`, by bytes when the text
    /// is ASCII (a record's literal value always is): the same parts, without walking
    /// grapheme clusters for every record.
    private static func splitAtSemicolons(_ text: Substring) -> [Substring] {
        let bytes = text.utf8
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            return text.split(separator: ";", omittingEmptySubsequences: false)
        }
        var parts: [Substring] = []
        parts.reserveCapacity(3)
        var start = bytes.startIndex
        while let semicolon = bytes[start...].firstIndex(of: 0x3B) {
            parts.append(text[start..<semicolon])
            start = bytes.index(after: semicolon)
        }
        parts.append(text[start...])
        return parts
    }

    /// `HMAC-SHA256(macKey, domain || message)`, the message fed in pieces by `message`.
    static func tag(
        domain: [UInt8], macKey: SymmetricKey, message: ((UnsafeRawBufferPointer) -> Void) -> Void
    ) -> [UInt8] {
        var mac = HMACSHA256(key: macKey)
        mac.update(domain)
        message { mac.update($0) }
        return mac.finalize()
    }
}
