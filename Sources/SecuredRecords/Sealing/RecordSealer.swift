import SecuredCrypto

/// Seals and opens records (SPEC section 5).
///
/// ```swift
/// let result = try RecordSealer.seal(record, with: key)
/// if result.outcome != .alreadySealed { try AtomicFileWriter.replaceContents(of: path, with: result.record.bytes) }
/// let opened = try RecordSealer.open(result.record, keys: ring)
/// ```
public enum RecordSealer {
    /// What ``RecordSealer/seal(_:with:reseal:sign:choice:)`` did.
    public enum Outcome: String, Sendable {
        /// The body was encrypted into `secured`.
        case sealed
        /// A sealed record's non-blank body replaced its old payload (`reseal: true`).
        case resealed
        /// The record already had `secured` and a blank body: left untouched.
        case alreadySealed = "already sealed"
    }

    /// The result of sealing.
    public struct SealResult: Sendable {
        /// The new record (the input itself when ``outcome`` is `.alreadySealed`).
        public var record: Record
        /// What happened.
        public var outcome: Outcome
        /// Whether the record was signed.
        public var signed: Bool
        /// Whether a `signature` line was removed because the record could not be re-signed.
        public var removedSignature: Bool
    }

    /// The result of opening.
    public struct Opened: Sendable {
        /// `P`, the sealed content. **Secret**: never log it.
        public var content: [UInt8]
        /// The key that decrypted it.
        public var keyID: String
        /// The signature check that came first.
        public var signature: SignatureCheck

        /// SR013, the warning that comes with content that is not UTF-8 (SPEC section 9: it
        /// is returned as bytes, never as text), for the record `file`; `nil` for text.
        public func warning(file: String, line: Int?) -> RecordError? {
            guard !UTF8Validation.isValid(content[...]) else { return nil }
            return RecordError(
                .sr013ContentNotUTF8, file: file, line: line, field: "secured",
                reason: "decrypted content (key '\(keyID)') is not valid UTF-8: written as bytes")
        }
    }

    /// Seals `record` with `key`.
    ///
    /// - Parameters:
    ///   - record: the record.
    ///   - key: a key with a 32-byte `enc` (writers use AES-256).
    ///   - reseal: let a record with both `secured` and a non-blank body be sealed again,
    ///     the body replacing the old payload.
    ///   - sign: sign afterwards when the key has `sign` or `mac` (default).
    ///   - choice: Ed25519 when the key has `sign` (default), or HMAC.
    /// - Returns: the result; the caller writes ``SealResult/record`` back.
    /// - Throws: ``RecordError``: SR002 for ambiguous front matter, SR016 for `secured` beside a
    ///   non-blank body without `reseal`, `.refused` for a blank body without `secured` or a
    ///   key that is not AES-256, SR009 for two signature lines.
    public static func seal(
        _ record: Record, with key: SecuredKey, reseal: Bool = false, sign: Bool = true,
        choice: SigningChoice = .preferred
    ) throws(RecordError) -> SealResult {
        try FrontMatterValidator.validate(record)
        guard key.encryptionKey.byteCount == 32 else {
            throw RecordError(
                .refused, file: record.file,
                reason:
                    "key '\(key.id)' has a \(key.encryptionKey.bitCount)-bit 'enc'; writers use AES-256 only (32 bytes)"
            )
        }
        let secured = record.securedLine
        let blank = record.isBodyBlank
        if secured != nil && blank {
            return SealResult(record: record, outcome: .alreadySealed, signed: false, removedSignature: false)
        }
        if let secured, !reseal {
            throw RecordError(
                .sr016BodyBesideSealedContent, file: record.file, line: secured.line.number, field: "secured",
                reason:
                    "record has 'secured' and a non-blank body; sealing again would replace the sealed content with the body",
                remedy: .resealBody)
        }
        if secured == nil && blank {
            throw RecordError(
                .refused, file: record.file,
                reason: "nothing to seal: the body is blank and there is no 'secured' field")
        }
        let value: SealedValue
        do {
            let iv = try AESCBC.IV()
            let ciphertext = try AESCBC.encrypt(record.body, using: key.encryptionKey, iv: iv)
            value = try SealedValue(ciphertext: ciphertext, iv: iv)
        } catch {
            throw RecordError(.io, file: record.file, reason: "encryption failed: \(error)")
        }
        let line = "secured: \"\(value.serialized)\""
        var out: Record
        if let secured {
            out = try record.replacingTopLevelLine(secured, with: line)
        } else {
            out = try record.insertingLine(line, at: record.closingLine.range.lowerBound)
        }
        out = try out.replacingBody(with: out.lineTerminator.bytes)
        try out.refuseUnlessLiteral("secured", by: "sealing", inserted: secured == nil)
        var signed = false
        var removed = false
        if sign, key.authenticationKey != nil || key.signingKey != nil {
            out = try RecordSigner.placeSignature(out, with: key, choice: choice)
            signed = true
        } else {
            for line in out.topLevelLines(forKey: "signature").reversed() {
                out = try out.removingTopLevelLine(line)
                removed = true
            }
        }
        // The input was valid YAML; the output must be too. Every line written or removed can
        // break it: an inserted line under indented keys, or a replaced or removed line whose
        // old value continued onto the next lines (an unclosed quote).
        try FrontMatterValidator.refuseIfBroken(out, by: "sealing")
        return SealResult(
            record: out, outcome: secured == nil ? .sealed : .resealed, signed: signed, removedSignature: removed)
    }

    /// Verifies (when signed) and decrypts `record`'s sealed content.
    ///
    /// A signed record is decrypted only with the key its signature names, and only after
    /// the tag checks out (encrypt-then-MAC: a padding error is never an oracle). An
    /// unsigned blob is tried with each key in turn; the first whose padding checks out is
    /// taken, which is not authentication (about 1 in 256 wrong keys pass).
    ///
    /// - Parameters:
    ///   - record: the record.
    ///   - keys: at least one key.
    ///   - requireSignature: refuse an unsigned record (SR008) without decrypting it.
    /// - Returns: the content and how it was opened.
    /// - Throws: ``RecordError``: SR002, SR003, SR004–SR007, SR008–SR011, SR012, or
    ///   `.refused` when no key was supplied.
    public static func open(
        _ record: Record, keys: KeyRing, requireSignature: Bool = false
    ) throws(RecordError) -> Opened {
        try FrontMatterValidator.validate(record)
        let value = try record.blob()
        guard !keys.isEmpty else {
            throw RecordError(.refused, file: record.file, reason: "no key supplied", remedy: .giveKey)
        }
        guard !keys.isPublicOnly else {
            throw RecordError(
                .refused, file: record.file,
                reason: "only public keys were supplied: a public key verifies, it cannot decrypt; pass the secret key")
        }
        let check = try RecordSigner.verify(record, keys: keys).get()
        let line = record.securedLine?.line.number
        if check == .unsigned && requireSignature {
            throw RecordError(
                .sr008SignatureMissing, file: record.file, line: line, field: "signature",
                reason: "record is not signed and signatures are required; not decrypted")
        }
        if case .valid(let id) = check, !keys.holdsSecretKey(id: id) {
            // Verified, but nothing supplied can decrypt it: another key's padding check
            // would say nothing true about this record (SPEC section 9, step 3).
            throw RecordError(
                .refused, file: record.file, line: line, field: "secured",
                reason:
                    "its signature by '\(id)' checks out, but no key that decrypts '\(id)' was supplied (a public key verifies, it never decrypts): pass the secret or read-only key of '\(id)'",
                keyID: id)
        }
        let opened = try Decryption.open(value, after: check, keys: keys, file: record.file, line: line).get()
        return Opened(content: opened.content, keyID: opened.keyID, signature: check)
    }

    /// Opens `record` and restores it: the body becomes the content and the `secured` and
    /// `signature` lines go, so `seal` then `openInPlace` gives back the original bytes.
    ///
    /// - Returns: the restored record and how it was opened.
    /// - Throws: what ``open(_:keys:requireSignature:)`` throws, and SR016 when the record
    ///   still has a non-blank body (restoring would overwrite it).
    public static func openInPlace(
        _ record: Record, keys: KeyRing, requireSignature: Bool = false
    ) throws(RecordError) -> (record: Record, opened: Opened) {
        let opened = try open(record, keys: keys, requireSignature: requireSignature)
        guard record.isBodyBlank else {
            throw RecordError(
                .sr016BodyBesideSealedContent, file: record.file, line: record.securedLine?.line.number,
                field: "secured", reason: "record has a non-blank body beside 'secured'; restoring would overwrite it")
        }
        var out = record
        if let signature = out.signatureLine { out = try out.removingTopLevelLine(signature) }
        if let secured = out.securedLine { out = try out.removingTopLevelLine(secured) }
        out = try out.replacingBody(with: opened.content)
        return (out, opened)
    }

    /// Replaces `record`'s sealed content with `content` and seals it again with `key`: the
    /// core that `edit` and `rotate` share.
    ///
    /// - Returns: the re-sealed record (to be written back).
    /// - Throws: what ``RecordSealer/seal(_:with:reseal:sign:choice:)`` throws.
    public static func reseal(
        _ record: Record, content: [UInt8], with key: SecuredKey, sign: Bool = true,
        choice: SigningChoice = .preferred
    ) throws(RecordError) -> SealResult {
        try seal(record.replacingBody(with: content), with: key, reseal: true, sign: sign, choice: choice)
    }
}
