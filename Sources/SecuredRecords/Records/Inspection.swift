import SecuredCrypto

/// One record's or one blob's structure, for `secured inspect`: lengths, IV, blocks, the
/// signature's key id and status, the keys' fingerprints and, with keys, whether the blob
/// opens (under `Decryption`'s policy: a record whose signature fails is never decrypted).
///
/// ```swift
/// let inspection = Inspection(record: try RecordFileOperations.load("a.md"), keys: ring)
/// inspection.findings      // what is wrong, with SR codes
/// ```
public struct Inspection: Sendable {
    /// The record's layout.
    public struct Layout: Sendable, Codable {
        /// The record, as named.
        public var path: String
        /// Its size in bytes.
        public var bytes: Int
        /// Its line terminators (`LF`, `CRLF`, or mixed).
        public var lineEnds: String
        /// Whether it starts with a UTF-8 byte-order mark.
        public var hasBOM: Bool
        /// The 1-based line of the opening `---`.
        public var frontMatterFirstLine: Int
        /// The 1-based line of the closing `---`.
        public var frontMatterLastLine: Int
        /// How many top-level keys the front matter holds.
        public var topLevelKeys: Int
        /// The body's size in bytes.
        public var bodyBytes: Int
        /// Whether the body holds only blanks and line terminators.
        public var bodyIsBlank: Bool
        /// The 1-based line of `secured`, if the record has one.
        public var securedLine: Int?
    }

    /// The blob's form.
    public struct Blob: Sendable, Codable {
        /// The ciphertext's length in bytes.
        public var ciphertextBytes: Int
        /// The ciphertext's length in AES blocks.
        public var blocks: Int
        /// The IV, lowercase hex (not secret).
        public var iv: String
    }

    /// The signature line and how its check went.
    public struct Signature: Sendable, Codable {
        /// How the signature's check went.
        public enum Status: String, Sendable, Codable {
            /// It verified.
            case valid
            /// No key was given to check it.
            case notChecked = "not checked (no key given)"
            /// It did not verify.
            case failed
        }
        /// The 1-based line of `signature`, if any.
        public var line: Int?
        /// The signature's version (`ed25519`, `v1`), if it has one.
        public var version: String?
        /// The key id it names, if any.
        public var keyID: String?
        /// How its check went.
        public var status: Status
    }

    /// A supplied key, by id and fingerprint (never its bytes).
    public struct Key: Sendable, Codable {
        /// The key's id.
        public var id: String
        /// Its fingerprint.
        public var fingerprint: String
    }

    /// A supplied public key, by id and the key ID minisign prints.
    public struct PublicKey: Sendable, Codable {
        /// The key's id.
        public var id: String
        /// The key ID minisign prints for it.
        public var minisignKeyID: String
    }

    /// Whether the blob opened.
    public enum Padding: Sendable, Equatable {
        /// No key supplied, no well-formed blob, or the signature failed (nothing decrypted).
        case notChecked(reason: String)
        /// The padding checks out with this key.
        case opened(keyID: String, contentBytes: Int, isUTF8: Bool)
        /// SR012 with every candidate key.
        case failed(tried: [String])
    }

    /// The record's layout (`nil` for a bare blob).
    public var layout: Layout?
    /// The length of a bare blob, in characters (`nil` for a record).
    public var blobCharacters: Int?
    /// The blob's form, when it is well-formed.
    public var blob: Blob?
    /// The signature (`nil` when the record has none, or for a bare blob).
    public var signature: Signature?
    /// The secret keys supplied.
    public var keys: [Key]
    /// The public keys supplied (those of secret keys with `sign` included).
    public var publicKeys: [PublicKey] = []
    /// Whether the blob opened (`nil` when there is no blob).
    public var padding: Padding?
    /// What is wrong, with SR codes, in check order.
    public var findings: [RecordError]
    /// The decrypted content, when it opened. **Secret**: shown only when asked for; wipe it.
    public var content: [UInt8]?

    /// Whether anything is wrong (exit status 1).
    public var failed: Bool { findings.contains { $0.severity == .error } }

    /// Inspects a record (already parsed; the YAML check runs here).
    public init(record: Record, keys ring: KeyRing) {
        keys = ring.keys.map { Key(id: $0.id, fingerprint: $0.fingerprint) }
        publicKeys = ring.publicKeys.map { PublicKey(id: $0.id, minisignKeyID: $0.minisignKeyID) }
        findings = []
        do {
            try FrontMatterValidator.validate(record)
        } catch {
            findings.append(error)
            return
        }
        layout = Layout(
            path: record.file, bytes: record.bytes.count, lineEnds: record.lineTerminator == .crlf ? "CRLF" : "LF",
            hasBOM: record.hasBOM, frontMatterFirstLine: record.openingLine.number,
            frontMatterLastLine: record.closingLine.number, topLevelKeys: record.topLevelLines.count,
            bodyBytes: record.body.count, bodyIsBlank: record.isBodyBlank, securedLine: record.securedLine?.line.number)
        let reading = record.readBlob()
        if let reading {
            findings += reading.findings
            if !record.isBodyBlank {
                findings.append(
                    RecordError(
                        .sr016BodyBesideSealedContent, file: record.file, line: record.closingLine.number + 1,
                        field: "secured", reason: "sealed record still has a non-blank body"))
            }
        }
        var check: SignatureCheck? = .unsigned
        switch RecordSigner.signature(of: record) {
        case .success(nil): break
        case .success(let parsed?):
            signature = Signature(
                line: parsed.line, version: parsed.value.algorithm.rawValue, keyID: parsed.keyID, status: .notChecked)
            switch RecordSigner.verify(record, keys: ring) {
            case .success(let outcome):
                check = outcome
                if case .valid = outcome { signature?.status = .valid }
            case .failure(let error):
                findings.append(error)
                signature?.status = .failed
                check = nil
            }
        case .failure(let error):
            findings.append(error)
            signature = Signature(line: error.line, status: .failed)
            check = nil
        }
        guard let reading else { return }
        open(reading.value, check: check, keys: ring, file: record.file, line: reading.line)
    }

    /// Inspects a bare blob (a `secured` value); with keys, tries to open it as an unsigned blob.
    public init(blob text: String, keys ring: KeyRing) {
        keys = ring.keys.map { Key(id: $0.id, fingerprint: $0.fingerprint) }
        blobCharacters = text.utf8.count
        let parsed = SealedValue.defects(in: text)
        findings = parsed.map { RecordError($0, file: "blob", line: nil) }
        open(try? SealedValue(parsing: text), check: .unsigned, keys: ring, file: "blob", line: nil)
    }

    private mutating func open(
        _ value: SealedValue?, check: SignatureCheck?, keys ring: KeyRing, file: String, line: Int?
    ) {
        guard let value else { return }
        blob = Blob(ciphertextBytes: value.ciphertext.count, blocks: value.blockCount, iv: Hex.encode(value.iv.bytes))
        guard !ring.isEmpty else {
            padding = .notChecked(reason: "no key given")
            return
        }
        guard let check else {
            padding = .notChecked(reason: "the signature failed; nothing is decrypted")
            return
        }
        guard !Decryption.candidates(for: check, in: ring).isEmpty else {
            padding = .notChecked(
                reason: ring.isPublicOnly
                    ? "only public keys were given; a public key never decrypts"
                    : "no secret key with the signing key's id was given")
            return
        }
        switch Decryption.open(value, after: check, keys: ring, file: file, line: line) {
        case .success(let opened):
            padding = .opened(keyID: opened.keyID, contentBytes: opened.content.count, isUTF8: opened.isUTF8)
            if !opened.isUTF8 {
                findings.append(
                    RecordError(
                        .sr013ContentNotUTF8, file: file, line: line, field: "secured",
                        reason: "decrypted content (key '\(opened.keyID)') is not valid UTF-8"))
            }
            content = opened.content
        case .failure(let error):
            padding = .failed(tried: Decryption.candidates(for: check, in: ring).map(\.id))
            findings.append(error)
        }
    }
}
