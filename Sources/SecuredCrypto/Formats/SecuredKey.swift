/// A secured key: an id, an AES key and, for signing, an independent HMAC key and an
/// independent Ed25519 key (SPEC section 3).
///
/// Key file format (a small YAML mapping, one `field: value` per line):
/// ```yaml
/// id: demo                  # 1-64 of [A-Za-z0-9._-]
/// enc: <B64 of 16, 24 or 32 bytes>
/// mac: <B64 of 32 bytes>    # optional: legacy keys only decrypt
/// sign: <B64 of 32 bytes>   # optional: Ed25519 seed (RFC 8032), version 1.1
/// created: 2026-11-21T00:00:00Z   # optional
/// ```
/// `description` shows the id and fingerprint, never key bytes.
///
/// A class, not a struct: a key is looked up for every record by every worker thread, and a
/// struct of several references would be retained and released field by field, atomically,
/// on memory both cores share.
public final class SecuredKey: Sendable, CustomStringConvertible {
    /// Largest key file accepted, in bytes. A key file is a few hundred bytes; anything
    /// much larger is not a key file.
    public static let maximumFileSize = 64 * 1024

    /// The key id (1–64 of `[A-Za-z0-9._-]`), named in signatures.
    public let id: String
    /// The AES key: 16, 24 or 32 bytes.
    public let encryptionKey: SymmetricKey
    /// The HMAC-SHA256 key (32 bytes), or `nil` for a legacy decrypt-only key.
    public let authenticationKey: SymmetricKey?
    /// `authenticationKey` made ready once for the many records it signs and verifies.
    package let preparedAuthenticationKey: HMACSHA256.PreparedKey?
    /// The Ed25519 signing key (`sign`), or `nil`: its public key verifies without the secret.
    public let signingKey: Ed25519.PrivateKey?
    /// The `created` field as written, if any.
    public let created: String?
    /// First 8 bytes of `SHA-256("secured-key-v1\n" || enc || mac)`, lowercase hex.
    public let fingerprint: String

    /// A key from its parts.
    ///
    /// - Parameters:
    ///   - id: 1–64 of `[A-Za-z0-9._-]`.
    ///   - encryptionKey: 16, 24 or 32 bytes.
    ///   - authenticationKey: 32 bytes, different from `encryptionKey`, or `nil`.
    ///   - signingSeed: the Ed25519 seed, 32 bytes, different from both, or `nil`.
    ///   - created: an optional timestamp.
    /// - Throws: ``KeyFileError`` naming the field that is wrong.
    public init(
        id: String, encryptionKey: SymmetricKey, authenticationKey: SymmetricKey?, signingSeed: SymmetricKey? = nil,
        created: String? = nil
    ) throws(KeyFileError) {
        guard Self.isValidID(id) else {
            throw KeyFileError(source: nil, line: nil, field: "id", reason: "id must be 1-64 of [A-Za-z0-9._-]")
        }
        guard [16, 24, 32].contains(encryptionKey.byteCount) else {
            throw KeyFileError(
                source: nil, line: nil, field: "enc",
                reason: "enc decodes to \(encryptionKey.byteCount) bytes; AES takes 16, 24 or 32")
        }
        if let mac = authenticationKey {
            guard mac.byteCount == 32 else {
                throw KeyFileError(
                    source: nil, line: nil, field: "mac",
                    reason: "mac decodes to \(mac.byteCount) bytes, expected 32")
            }
            guard !mac.hasSameBytes(as: encryptionKey) else {
                throw KeyFileError(
                    source: nil, line: nil, field: "mac",
                    reason: "mac equals enc: one key must never serve two algorithms")
            }
        }
        if let seed = signingSeed {
            guard seed.byteCount == Ed25519.seedSize else {
                throw KeyFileError(
                    source: nil, line: nil, field: "sign",
                    reason: "sign decodes to \(seed.byteCount) bytes, expected 32")
            }
            guard !seed.hasSameBytes(as: encryptionKey), !(authenticationKey?.hasSameBytes(as: seed) ?? false) else {
                throw KeyFileError(
                    source: nil, line: nil, field: "sign",
                    reason: "sign equals enc or mac: one key must never serve two algorithms")
            }
            do {
                signingKey = try Ed25519.PrivateKey(seed: seed)
            } catch {
                throw KeyFileError(source: nil, line: nil, field: "sign", reason: "sign is not a usable Ed25519 seed")
            }
        } else {
            signingKey = nil
        }
        self.id = id
        self.encryptionKey = encryptionKey
        self.authenticationKey = authenticationKey
        preparedAuthenticationKey = authenticationKey.map(HMACSHA256.PreparedKey.init)
        self.created = created
        self.fingerprint = Self.computeFingerprint(enc: encryptionKey, mac: authenticationKey)
    }

    /// A new random key: AES-256 `enc` and 32-byte `mac` from the CSPRNG.
    ///
    /// - Parameters:
    ///   - id: the key id.
    ///   - created: the timestamp to record.
    /// - Throws: ``KeyFileError`` for a bad id, ``CryptoError/randomSourceFailed``.
    public static func generate(id: String, created: String? = nil) throws -> SecuredKey {
        try SecuredKey(
            id: id, encryptionKey: SymmetricKey(size: .bits256),
            authenticationKey: SymmetricKey(size: .bits256), signingSeed: SymmetricKey(size: .bits256),
            created: created)
    }

    /// The public key of `sign` as a public key file's key (the id is this key's), or `nil`
    /// when the key has no `sign`.
    public var publicKey: SecuredPublicKey? {
        signingKey.map { SecuredPublicKey(id: id, key: $0.publicKey) }
    }

    /// Parses a key file.
    ///
    /// - Parameters:
    ///   - text: the file's text.
    ///   - source: where it came from, for messages (a path or `$SECURED_KEY`).
    /// - Throws: ``KeyFileError`` with the line and field: unknown or repeated fields,
    ///   missing `id`/`enc`, a bad id, a key of the wrong length or not canonical base64.
    ///   Messages never contain key bytes.
    public convenience init(parsing text: String, source: String? = nil) throws(KeyFileError) {
        func fail(_ line: Int?, _ field: String?, _ reason: String) -> KeyFileError {
            KeyFileError(source: source, line: line, field: field, reason: reason)
        }
        guard text.utf8.count <= Self.maximumFileSize else {
            throw fail(nil, nil, "key file is larger than \(Self.maximumFileSize) bytes")
        }
        var fields: [String: (value: String, line: Int)] = [:]
        for (lineNumber, line) in textLines(text) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            if lineNumber == 1 && line == "---" { continue }
            guard line.first != " " && line.first != "\t" else {
                throw fail(lineNumber, nil, "nested or indented YAML is not allowed in a key file")
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw fail(lineNumber, nil, "expected 'field: value'")
            }
            let name = String(line[..<colon])
            guard Self.fields.contains(name) else {
                // Not quoted: in a key file, any text may be key material (a line of base64
                // with a colon, say), and messages reach CI logs.
                throw fail(lineNumber, nil, "unknown field (allowed: id, enc, mac, sign, created)")
            }
            guard fields[name] == nil else {
                throw fail(lineNumber, name, "field '\(name)' appears twice (first on line \(fields[name]!.line))")
            }
            guard let value = Self.scalarValue(line[line.index(after: colon)...]) else {
                throw fail(lineNumber, name, "value of '\(name)' is not a plain or quoted single-line scalar")
            }
            fields[name] = (value, lineNumber)
        }
        guard let id = fields["id"] else { throw fail(nil, "id", "missing field 'id'") }
        guard Self.isValidID(id.value) else {
            throw fail(id.line, "id", "id must be 1-64 of [A-Za-z0-9._-]")
        }
        guard let enc = fields["enc"] else { throw fail(nil, "enc", "missing field 'enc'") }

        func decodeKey(_ field: (value: String, line: Int), _ name: String) throws(KeyFileError) -> SymmetricKey {
            do {
                var bytes = try Base64.decode(field.value)
                defer { secureWipe(&bytes) }
                return SymmetricKey(bytes: bytes)
            } catch {
                throw fail(field.line, name, "\(name) is not canonical base64: \(error)")
            }
        }
        let encKey = try decodeKey(enc, "enc")
        let macKey = try fields["mac"].map { f throws(KeyFileError) in try decodeKey(f, "mac") }
        let seed = try fields["sign"].map { f throws(KeyFileError) in try decodeKey(f, "sign") }
        do {
            try self.init(
                id: id.value, encryptionKey: encKey, authenticationKey: macKey, signingSeed: seed,
                created: fields["created"]?.value)
        } catch {
            throw KeyFileError(
                source: source, line: error.field.flatMap { fields[$0]?.line }, field: error.field,
                reason: error.reason)
        }
    }

    /// Whether this is a read-only key (SPEC 1.2 section 3): `enc` alone, so it decrypts and
    /// can neither sign nor verify an HMAC.
    public var isReadOnly: Bool { authenticationKey == nil && signingKey == nil }

    /// The read-only part of this key: its id and `enc`, nothing that signs (SPEC 1.2
    /// section 3). What a site's front end or an app holds, beside the public key file.
    public var readOnly: SecuredKey {
        SecuredKey(readOnlyPartOf: self)
    }

    /// The read-only part of `key`: its id, `enc` and `created` were checked when it was made.
    private init(readOnlyPartOf key: SecuredKey) {
        id = key.id
        encryptionKey = key.encryptionKey
        authenticationKey = nil
        preparedAuthenticationKey = nil
        signingKey = nil
        created = key.created
        fingerprint = Self.computeFingerprint(enc: key.encryptionKey, mac: nil)
    }

    /// The key file's text, to be written with mode 0600.
    ///
    /// - Parameter comment: lines to put at the top as `#` comments.
    /// - Returns: the text. **It holds the secret key bytes**: never log or print it.
    public func keyFileText(comment: [String] = []) -> String {
        var lines = comment.map { $0.isEmpty ? "#" : "# " + $0 }
        lines.append("id: \(id)")
        lines.append("enc: " + encryptionKey.withUnsafeBytes { Base64.encode($0) })
        if let mac = authenticationKey {
            lines.append("mac: " + mac.withUnsafeBytes { Base64.encode($0) })
        }
        if let sign = signingKey {
            lines.append(Self.signLine(sign))
        }
        if let created { lines.append("created: \(created)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `sign: …` line of a key file. **It holds the secret seed.**
    public static func signLine(_ key: Ed25519.PrivateKey) -> String {
        "sign: " + key.seed.withUnsafeBytes { Base64.encode($0) }
    }

    /// The fields a key file may hold.
    static let fields: Set<String> = ["id", "enc", "mac", "sign", "created"]

    public var description: String {
        let kind = authenticationKey == nil && signingKey == nil ? ", decrypt-only" : ""
        return "key \(id) (fingerprint \(fingerprint)\(kind))"
    }

    /// Whether `id` is a valid key id.
    public static func isValidID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard (1...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy { c in
            (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: ".")
                || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
        }
    }

    private static func computeFingerprint(enc: SymmetricKey, mac: SymmetricKey?) -> String {
        // SHA-256 cannot fail short of memory exhaustion; treat that as fatal.
        var digest = SHA256()
        digest.update(Array("secured-key-v1\n".utf8))
        enc.withUnsafeBytes { digest.update($0) }
        mac?.withUnsafeBytes { digest.update($0) }
        return Hex.encode(digest.finalize().prefix(8))
    }

    /// The value after `field:`: plain, or in matching single or double quotes, with an
    /// optional ` # comment`. No escapes, no flow collections.
    private static func scalarValue(_ rest: Substring) -> String? {
        var s = rest
        guard s.isEmpty || s.first == " " || s.first == "\t" else { return nil }
        s = s.drop { $0 == " " || $0 == "\t" }
        if let quote = s.first, quote == "\"" || quote == "'" {
            let inner = s.dropFirst()
            guard let close = inner.firstIndex(of: quote) else { return nil }
            let value = inner[..<close]
            if quote == "\"" && value.contains("\\") { return nil }
            let after = inner[inner.index(after: close)...].drop { $0 == " " || $0 == "\t" }
            guard after.isEmpty || after.hasPrefix("#") else { return nil }
            return String(value)
        }
        var previous: Character = " "
        for i in s.indices {
            if s[i] == "#" && (previous == " " || previous == "\t") {
                s = s[..<i]
                break
            }
            previous = s[i]
        }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        guard !s.isEmpty, !"[{&*!|>%@`".contains(s.first!) else { return nil }
        return String(s)
    }
}
