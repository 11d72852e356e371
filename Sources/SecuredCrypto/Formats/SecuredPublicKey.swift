/// A public key (SPEC section 3, version 1.1): an id, the Ed25519 public key `PK` and its
/// key number `KN`, kept in minisign's public key format so that minisign itself can use it:
///
/// ```
/// untrusted comment: secured public key <id>
/// <B64("Ed" || KN || PK)>
/// ```
///
/// It holds nothing secret: it belongs in the repository and in CI. A public key verifies
/// and does nothing else.
public struct SecuredPublicKey: Sendable, Equatable, CustomStringConvertible {
    /// The id signatures name.
    public let id: String
    /// The key number: 8 bytes, as minisign's signatures carry it.
    public let keyNumber: [UInt8]
    /// The Ed25519 public key.
    public let key: Ed25519.PublicKey

    /// The first line's prefix, and the comment that names our id.
    static let commentPrefix = "untrusted comment: "
    static let idComment = "secured public key "

    /// The key of a secured key's `sign`: its key number is the first 8 bytes of
    /// `SHA-256("secured-keynum-v1\n" || PK)`.
    public init(id: String, key: Ed25519.PublicKey) {
        self.id = id
        self.key = key
        keyNumber = Self.keyNumber(of: key)
    }

    /// The key number of a secured public key.
    public static func keyNumber(of key: Ed25519.PublicKey) -> [UInt8] {
        // SHA-256 cannot fail short of memory exhaustion; treat that as fatal.
        var digest = SHA256()
        digest.update(Array("secured-keynum-v1\n".utf8))
        digest.update(key.rawRepresentation)
        return Array(digest.finalize().prefix(8))
    }

    /// The key ID minisign prints: the key number read little-endian, 16 uppercase hex digits.
    public var minisignKeyID: String { Self.minisignKeyID(of: keyNumber) }

    /// The key ID minisign prints for a key number: read little-endian, 16 uppercase hex digits.
    public static func minisignKeyID(of keyNumber: some Collection<UInt8>) -> String {
        var value: UInt64 = 0
        for (k, byte) in keyNumber.prefix(8).enumerated() { value |= UInt64(byte) << UInt64(8 * k) }
        let hex = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The public key file's text.
    public var fileText: String {
        Self.commentPrefix + Self.idComment + id + "\n"
            + Base64.encode(Array("Ed".utf8) + keyNumber + key.rawRepresentation)
            + "\n"
    }

    public var description: String { "public key \(id) (minisign key ID \(minisignKeyID))" }

    /// Whether `text` looks like a public key file (rather than a secret key file).
    public static func looksLikePublicKeyFile(_ text: String) -> Bool {
        var t = Substring(text)
        if t.unicodeScalars.first == "\u{FEFF}" { t = Substring(t.unicodeScalars.dropFirst()) }
        return t.hasPrefix(commentPrefix)
    }

    /// Parses a public key file (ours, or minisign's: its key is then named
    /// `minisign-<key ID>`). CRLF line ends and a byte-order mark are accepted.
    ///
    /// - Throws: ``KeyFileError`` naming the line: a first line not starting
    ///   `untrusted comment: `, a second that is not canonical base64 of 42 bytes starting
    ///   `Ed`, more than two non-empty lines, a bad id.
    public init(parsing text: String, source: String? = nil) throws(KeyFileError) {
        func fail(_ line: Int?, _ reason: String) -> KeyFileError {
            KeyFileError(source: source, line: line, field: nil, reason: reason)
        }
        let lines = textLines(text).filter { !$0.text.isEmpty }
        guard lines.count == 2 else {
            throw fail(
                lines.count > 2 ? lines[2].number : nil,
                lines.count > 2
                    ? "a public key file holds two lines; this one has more" : "a public key file holds two lines")
        }
        guard !lines[0].text.unicodeScalars.contains("\r") else {
            throw fail(lines[0].number, "the comment holds a carriage return")
        }
        guard lines[0].text.hasPrefix(Self.commentPrefix) else {
            throw fail(lines[0].number, "the first line must start 'untrusted comment: '")
        }
        let decoded: [UInt8]
        do {
            decoded = try Base64.decode(lines[1].text)
        } catch {
            throw fail(lines[1].number, "the key line is not canonical base64: \(error)")
        }
        guard decoded.count == 42, decoded[0] == 0x45, decoded[1] == 0x64 else {
            throw fail(lines[1].number, "the key line must decode to 42 bytes starting 'Ed' (an Ed25519 public key)")
        }
        do {
            key = try Ed25519.PublicKey(rawRepresentation: Array(decoded[10...]))
        } catch {
            throw fail(lines[1].number, "the key line does not hold a usable Ed25519 public key")
        }
        keyNumber = Array(decoded[2..<10])
        let comment = lines[0].text.dropFirst(Self.commentPrefix.count)
        if comment.hasPrefix(Self.idComment) {
            let named = String(comment.dropFirst(Self.idComment.count))
            guard SecuredKey.isValidID(named) else {
                throw fail(lines[0].number, "the key id in the comment must be 1-64 of [A-Za-z0-9._-]")
            }
            id = named
        } else {
            id = "minisign-" + Self.minisignKeyID(of: keyNumber)
        }
    }

    public static func == (a: SecuredPublicKey, b: SecuredPublicKey) -> Bool {
        a.id == b.id && a.keyNumber == b.keyNumber && a.key == b.key
    }
}
