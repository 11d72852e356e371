/// A passphrase key file (SPEC 1.2 section 3): the read-only part of a key (its id and `enc`),
/// encrypted under a passphrase, as `<id>.<label>.key.pw`. Three lines (LF or CRLF):
///
/// ```
/// untrusted comment: secured passphrase key <id> <label>
/// pbkdf2-sha256;<iterations>;<B64(salt)>
/// <B64(nonce || ciphertext || tag)>
/// ```
///
/// `KEK = PBKDF2-HMAC-SHA256(passphrase, salt, iterations, 32)`, and
/// `ciphertext || tag = AES-256-GCM(KEK, nonce, "id: <id>\nenc: <B64>\n", AAD)` with
/// `AAD = "secured-passphrase-key-v1\n" || line 1 || "\n" || line 2`.
///
/// Such a file is meant to be published (a page fetches it), so anyone may try passphrases
/// against it offline, at one key derivation per guess: it protects no more than its
/// passphrase does. No message of this type holds the passphrase, the derived key or the
/// wrapped text.
public struct PassphraseKeyFile: Sendable {
    /// The iteration count writers use.
    public static let writerIterations = 600_000
    /// The iteration counts readers take: fewer is too weak, more would make a reader spin.
    public static let iterationRange = 100_000...10_000_000
    /// The shortest passphrase writers take, in Unicode scalars.
    public static let minimumPassphraseLength = 12
    /// The one message for a wrong passphrase and a changed byte: they are not told apart.
    public static let unwrapFailure = "wrong passphrase or damaged file"

    static let commentPrefix = "untrusted comment: secured passphrase key "
    static let kdfName = "pbkdf2-sha256"
    static let aadPrefix = "secured-passphrase-key-v1\n"
    static let saltSize = 16

    /// The key id the comment names.
    public let id: String
    /// The label of the group of readers who share the passphrase (1–32 of `[A-Za-z0-9_-]`).
    public let label: String
    /// The PBKDF2 iteration count, within ``iterationRange``.
    public let iterations: Int
    /// The 16-byte salt.
    public let salt: [UInt8]
    /// Where the file came from, for messages.
    public let source: String?
    /// The first two lines without their terminators: the associated data's tail.
    let header: (comment: String, kdf: String)
    /// `nonce || ciphertext || tag`: never shown.
    let wrapped: [UInt8]

    /// Whether `text` is meant as a passphrase key file: its first line starts
    /// `untrusted comment: secured passphrase key ` (after a byte-order mark, if any).
    public static func looksLikePassphraseKeyFile(_ text: String) -> Bool {
        var t = Substring(text)
        if t.unicodeScalars.first == "\u{FEFF}" { t = Substring(t.unicodeScalars.dropFirst()) }
        return t.hasPrefix(commentPrefix)
    }

    /// Whether `label` is 1–32 of `[A-Za-z0-9_-]`.
    public static func isValidLabel(_ label: String) -> Bool {
        let utf8 = label.utf8
        guard (1...32).contains(utf8.count) else { return false }
        return utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
                || c == UInt8(ascii: "-")
        }
    }

    /// Parses a passphrase key file, deriving nothing: the iteration count is checked here,
    /// before any derivation.
    ///
    /// - Parameters:
    ///   - text: the file's text (LF or CRLF; a byte-order mark is not text).
    ///   - source: where it came from, for messages.
    /// - Throws: ``KeyFileError`` naming the line: not three lines, a bad comment, id or label,
    ///   an unknown KDF, a count out of ``iterationRange``, a salt that is not canonical base64
    ///   of 16 bytes, a last line that is not canonical base64 long enough for a nonce and tag.
    public init(parsing text: String, source: String? = nil) throws(KeyFileError) {
        func fail(_ line: Int?, _ reason: String) -> KeyFileError {
            KeyFileError(source: source, line: line, field: nil, reason: reason)
        }
        guard text.utf8.count <= SecuredKey.maximumFileSize else {
            throw fail(nil, "key file is larger than \(SecuredKey.maximumFileSize) bytes")
        }
        var lines = textLines(text)
        if lines.count > 1, lines.last!.text.isEmpty { lines.removeLast() }  // the last terminator
        guard lines.count == 3 else {
            throw fail(
                lines.count > 3 ? 4 : nil,
                "a passphrase key file holds three lines; this one has \(lines.count)")
        }
        for line in lines where line.text.unicodeScalars.contains("\r") {
            throw fail(line.number, "the line holds a carriage return")
        }
        let comment = lines[0].text
        guard comment.hasPrefix(Self.commentPrefix) else {
            throw fail(1, "the first line must start '\(Self.commentPrefix)'")
        }
        let names = comment.dropFirst(Self.commentPrefix.count).split(separator: " ", omittingEmptySubsequences: false)
        guard names.count == 2 else { throw fail(1, "the comment must name a key id and a label, one space apart") }
        guard SecuredKey.isValidID(String(names[0])) else {
            throw fail(1, "the key id in the comment must be 1-64 of [A-Za-z0-9._-]")
        }
        guard Self.isValidLabel(String(names[1])) else {
            throw fail(1, "the label in the comment must be 1-32 of [A-Za-z0-9_-]")
        }
        let kdf = lines[1].text
        let parts = kdf.split(separator: ";", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw fail(2, "the second line must be 'pbkdf2-sha256;<iterations>;<salt>'") }
        guard parts[0] == Self.kdfName else {
            throw fail(2, "unknown key derivation '\(Self.printable(parts[0]))' (this reader takes pbkdf2-sha256)")
        }
        let iterations = try Self.iterationCount(parts[1], fail: { fail(2, $0) })
        let salt: [UInt8]
        do {
            salt = try Base64.decode(parts[2])
        } catch {
            throw fail(2, "the salt is not canonical base64: \(error)")
        }
        guard salt.count == Self.saltSize else {
            throw fail(2, "the salt decodes to \(salt.count) bytes, expected \(Self.saltSize)")
        }
        let wrapped: [UInt8]
        do {
            wrapped = try Base64.decode(lines[2].text)
        } catch {
            throw fail(3, "the wrapped key is not canonical base64: \(error)")
        }
        guard wrapped.count > AESGCM.nonceSize + AESGCM.tagSize else {
            throw fail(3, "the wrapped key is too short to hold a nonce, a key and a tag")
        }
        self.id = String(names[0])
        self.label = String(names[1])
        self.iterations = iterations
        self.salt = salt
        self.source = source
        self.header = (String(comment), String(kdf))
        self.wrapped = wrapped
    }

    /// The decimal count, refused when out of ``iterationRange`` before anything is derived.
    private static func iterationCount(_ text: Substring, fail: (String) -> KeyFileError) throws(KeyFileError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            text == "0" || !text.hasPrefix("0")
        else {
            throw fail("the iteration count must be a decimal number without leading zeros")
        }
        // More than 18 digits cannot be in range, and would overflow.
        guard text.utf8.count <= 18, let count = Int(text), iterationRange.contains(count) else {
            throw fail(
                "the iteration count \(text.utf8.count <= 24 ? String(text) : "of \(text.utf8.count) digits") is out of range: readers take 100000 to 10000000"
            )
        }
        return count
    }

    /// The associated data: `"secured-passphrase-key-v1\n" || line 1 || "\n" || line 2`.
    var associatedData: [UInt8] {
        Array(Self.aadPrefix.utf8) + Array(header.comment.utf8) + [0x0A] + Array(header.kdf.utf8)
    }

    /// Derives the key-encryption key from `passphrase` and opens the read-only key inside.
    ///
    /// - Parameter passphrase: the passphrase, its UTF-8 bytes as given.
    /// - Returns: the read-only key (id and `enc`).
    /// - Throws: ``KeyFileError`` "wrong passphrase or damaged file" for a wrong passphrase and
    ///   a changed byte alike; the same when what is inside is not the read-only key file of
    ///   the comment's id.
    public func unwrap(with passphrase: Passphrase) throws(KeyFileError) -> SecuredKey {
        let failure = KeyFileError(source: source, line: nil, field: nil, reason: Self.unwrapFailure)
        // Checked at parsing too; a reader must never be made to spin.
        guard Self.iterationRange.contains(iterations) else { throw failure }
        let plaintext: SecureBytes
        do {
            let kek = try PBKDF2SHA256.deriveKey(from: passphrase, salt: salt, iterations: iterations)
            let nonce = try AESGCM.Nonce(bytes: wrapped[..<AESGCM.nonceSize])
            plaintext = try AESGCM.open(
                wrapped[AESGCM.nonceSize...], using: kek, nonce: nonce, authenticating: associatedData)
        } catch {
            throw failure
        }
        guard let key = plaintext.withUnsafeBytes({ Self.readOnlyKey(in: $0, id: id) }) else { throw failure }
        return key
    }

    /// The key of `id: <id>\nenc: <B64>\n` exactly, or `nil`.
    private static func readOnlyKey(in text: UnsafeRawBufferPointer, id: String) -> SecuredKey? {
        let head = Array("id: \(id)\nenc: ".utf8)
        guard text.count > head.count + 1, text.starts(with: head), text.last == 0x0A else { return nil }
        var b64 = Array(text[head.count..<(text.count - 1)])
        defer { secureWipe(&b64) }
        guard case .success(var enc) = b64.withUnsafeBytes({ Base64.decode(bytes: $0) }) else { return nil }
        defer { secureWipe(&enc) }
        return try? SecuredKey(id: id, encryptionKey: SymmetricKey(bytes: enc), authenticationKey: nil)
    }

    /// Refuses a passphrase too short to wrap a key under (``minimumPassphraseLength``
    /// Unicode scalars): one rule, for the writer and for a terminal that asks before the
    /// second typing.
    ///
    /// - Throws: ``KeyFileError`` saying how long it is and what is needed.
    public static func checkLength(of passphrase: Passphrase) throws(KeyFileError) {
        guard passphrase.scalarCount >= minimumPassphraseLength else {
            throw KeyFileError(
                source: nil, line: nil, field: "passphrase",
                reason:
                    "the passphrase has \(passphrase.scalarCount) characters; a passphrase key file takes at least \(minimumPassphraseLength) (five random words is a good passphrase)"
            )
        }
    }

    /// Wraps the read-only part of `key` (its id and `enc`; never `mac` or `sign`) under
    /// `passphrase`, with a fresh random salt and nonce.
    ///
    /// - Parameters:
    ///   - key: any key; only its read-only part is wrapped.
    ///   - label: the group of readers (1–32 of `[A-Za-z0-9_-]`).
    ///   - passphrase: at least ``minimumPassphraseLength`` Unicode scalars.
    ///   - iterations: ``writerIterations`` unless a test needs another count in ``iterationRange``.
    /// - Returns: the file; its ``fileText`` is what to write.
    /// - Throws: ``KeyFileError`` (field `passphrase`, `label` or `iterations`) for what writers
    ///   must refuse; ``CryptoError`` when the random source fails.
    public static func wrap(
        _ key: SecuredKey, label: String, passphrase: Passphrase, iterations: Int = writerIterations
    ) throws -> PassphraseKeyFile {
        try checkLength(of: passphrase)
        guard isValidLabel(label) else {
            throw KeyFileError(
                source: nil, line: nil, field: "label", reason: "the label must be 1-32 of [A-Za-z0-9_-]")
        }
        guard iterationRange.contains(iterations) else {
            throw KeyFileError(
                source: nil, line: nil, field: "iterations", reason: "the iteration count \(iterations) is out of range"
            )
        }
        let salt = try SecureRandom.bytes(count: saltSize)
        let nonce = try AESGCM.Nonce()
        let comment = commentPrefix + key.id + " " + label
        let kdf = kdfName + ";\(iterations);" + Base64.encode(salt)
        let aad = Array(aadPrefix.utf8) + Array(comment.utf8) + [0x0A] + Array(kdf.utf8)
        let kek = try PBKDF2SHA256.deriveKey(from: passphrase, salt: salt, iterations: iterations)
        var plaintext = Array("id: \(key.id)\nenc: ".utf8)
        defer { secureWipe(&plaintext) }
        key.encryptionKey.withUnsafeBytes { raw in
            var b64 = Array(Base64.encode(raw).utf8)
            plaintext += b64
            secureWipe(&b64)
        }
        plaintext.append(0x0A)
        let sealed = try AESGCM.seal(plaintext, using: kek, nonce: nonce, authenticating: aad)
        let text = comment + "\n" + kdf + "\n" + Base64.encode(nonce.bytes + sealed) + "\n"
        // Cannot fail: the lines were just made by the rules the parser checks.
        return try! PassphraseKeyFile(parsing: text)
    }

    /// The file's three lines, LF-terminated. It holds no secret in the clear, but it is only
    /// as safe as its passphrase.
    public var fileText: String {
        header.comment + "\n" + header.kdf + "\n" + Base64.encode(wrapped) + "\n"
    }

    private static func printable(_ s: Substring) -> String {
        String(s.unicodeScalars.prefix(40).map { $0.isASCII && $0.value >= 0x20 ? Character($0) : "?" })
    }
}
