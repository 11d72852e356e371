import SecuredCrypto

/// Record operations on files: read (with the size limit), operate, write back atomically
/// through `AtomicFileWriter`. A refusal or failure leaves the file byte-identical.
public enum RecordFileOperations {
    /// Reads and parses the record at `path`.
    ///
    /// - Parameters:
    ///   - path: the record; findings name it as given.
    ///   - sizeLimit: the largest size read, in bytes.
    ///   - workingDirectory: the absolute folder a relative `path` starts from; `nil`: the
    ///     process's working directory.
    /// - Throws: ``RecordError`` SR017 or SR001.
    public static func load(
        _ path: String, sizeLimit: Int = Record.defaultSizeLimit, workingDirectory: String? = nil
    ) throws(RecordError) -> Record {
        try Record(parsing: RecordFile.read(path, sizeLimit: sizeLimit, in: workingDirectory), file: path)
    }

    /// Seals the record at `path` in place (SPEC section 5).
    ///
    /// - Parameters:
    ///   - path: the record.
    ///   - key: the sealing key.
    ///   - reseal: see ``RecordSealer/seal(_:with:reseal:sign:choice:)``.
    ///   - sign: sign when the key has a `mac`.
    ///   - choice: Ed25519 or HMAC (``SigningChoice``).
    ///   - dryRun: compute, but write nothing.
    ///   - sizeLimit: largest file read.
    /// - Returns: what was (or would be) done.
    /// - Throws: ``RecordError``; the file is then unchanged.
    public static func seal(
        _ path: String, with key: SecuredKey, reseal: Bool = false, sign: Bool = true,
        choice: SigningChoice = .preferred, dryRun: Bool = false, sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> RecordSealer.SealResult {
        let record = try load(path, sizeLimit: sizeLimit)
        let result = try RecordSealer.seal(record, with: key, reseal: reseal, sign: sign, choice: choice)
        if !dryRun && result.outcome != .alreadySealed {
            try AtomicFileWriter.replaceContents(of: path, with: result.record.bytes)
        }
        return result
    }

    /// Signs the record at `path` in place.
    ///
    /// - Returns: whether the file changed (a record already carrying this exact signature does not).
    /// - Throws: ``RecordError``; the file is then unchanged.
    @discardableResult
    public static func sign(
        _ path: String, with key: SecuredKey, choice: SigningChoice = .preferred,
        sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> Bool {
        let record = try load(path, sizeLimit: sizeLimit)
        try FrontMatterValidator.validate(record)
        // A blob that no reader will open (SR004-SR007) is not signed: the signature would
        // vouch for a record that `open` then refuses.
        if let problem = record.readBlob()?.findings.first { throw problem }
        let signed = try RecordSigner.sign(record, with: key, choice: choice)
        guard signed.bytes != record.bytes else { return false }
        try AtomicFileWriter.replaceContents(of: path, with: signed.bytes)
        return true
    }

    /// Opens the record at `path` in place: restores its body and removes `secured` and `signature`.
    ///
    /// - Returns: how it was opened (the content is already written to the file).
    /// - Throws: ``RecordError``; the file is then unchanged.
    @discardableResult
    public static func openInPlace(
        _ path: String, keys: KeyRing, requireSignature: Bool = false, sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> RecordSealer.Opened {
        let record = try load(path, sizeLimit: sizeLimit)
        let (restored, opened) = try RecordSealer.openInPlace(record, keys: keys, requireSignature: requireSignature)
        try AtomicFileWriter.replaceContents(of: path, with: restored.bytes)
        return opened
    }

    /// Checks the signature of the record at `path` (never decrypts).
    ///
    /// - Returns: the id of the key whose signature matches.
    /// - Throws: SR017, SR001, SR002 (the record cannot be read as one), SR008 (unsigned),
    ///   SR009, SR010 or SR011.
    public static func verify(_ path: String, keys: KeyRing, sizeLimit: Int = Record.defaultSizeLimit)
        throws(RecordError) -> String
    {
        let record = try load(path, sizeLimit: sizeLimit)
        try FrontMatterValidator.validate(record)
        switch try RecordSigner.verify(record, keys: keys).get() {
        case .valid(let id): return id
        case .unsigned:
            throw RecordError(
                .sr008SignatureMissing, file: path, field: "signature", reason: "record has no 'signature'")
        case .notChecked(let id):
            throw RecordError(
                .refused, file: path, field: "signature",
                reason: "signed by '\(id)', but no key was supplied to check it")
        }
    }

    /// What ``RecordFileOperations/rotate(_:from:to:signUnsigned:choice:sizeLimit:)`` did to one record.
    public enum RotationOutcome: String, Sendable, Codable, CaseIterable {
        /// Opened with the old key, sealed and signed with the new one, written back.
        case rotated
        /// Not sealed, but signed by the old key: signed again with the new one (SPEC 1.2
        /// section 8), so that no record stays vouched for by a retired key.
        case resigned = "re-signed"
        /// The record has neither `secured` nor `signature`: nothing to rotate.
        case notSealed = "not sealed"
        /// The record is already signed by the new key (an earlier, interrupted run got here).
        case alreadyRotated = "already rotated"
        /// Sealed and carrying no signature: re-sealed with the new key and **not** signed.
        /// Nothing ever authenticated it, so rotating must not vouch for it.
        case resealedUnsigned = "re-sealed, not signed"
        /// Sealed and carrying no signature, re-sealed and signed with the new key because the
        /// caller said it accepts such records (`--sign-unsigned`, migrating a legacy corpus).
        case signedUnsigned = "re-sealed and signed, was unsigned"
    }

    /// Moves the record at `path` from one key to another, in place: a sealed record is
    /// re-sealed and re-signed, a record that is signed by the old key but not sealed is
    /// re-signed (SPEC 1.2 section 8).
    ///
    /// Rotating never vouches for what was never authenticated: a sealed record with no
    /// signature is re-sealed but not signed (``RotationOutcome/resealedUnsigned``), unless
    /// `signUnsigned` says the caller accepts it (``RotationOutcome/signedUnsigned``).
    /// Records already signed by the new key are left alone, and so are unsigned ones the new
    /// key already opens, so an interrupted run is simply run again.
    ///
    /// - Parameters:
    ///   - path: the record.
    ///   - old: the one secret key that opens the record now, with the public key that checks
    ///     its signature when that key is read-only (SPEC 1.2 section 3).
    ///   - new: a key with a 32-byte `enc` and a `mac` or `sign`.
    ///   - signUnsigned: sign sealed records that carry no signature (they are only re-sealed
    ///     otherwise).
    ///   - choice: Ed25519 or HMAC (``SigningChoice``).
    ///   - sizeLimit: the largest file read.
    /// - Throws: ``RecordError``: the old key's signature does not check out (SR009–SR011),
    ///   the record cannot be opened or written; the file is then unchanged.
    public static func rotate(
        _ path: String, from old: KeyRing, to new: SecuredKey, signUnsigned: Bool = false,
        choice: SigningChoice = .preferred, sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> RotationOutcome {
        let record = try load(path, sizeLimit: sizeLimit)
        try FrontMatterValidator.validate(record)
        if case .success(.valid) = RecordSigner.verify(record, keys: try ring([new], path)) { return .alreadyRotated }
        let check = try RecordSigner.verify(record, keys: old).get()
        guard record.securedLine != nil else {
            if check == .unsigned { return .notSealed }
            let signed = try RecordSigner.sign(record, with: new, choice: choice)
            try AtomicFileWriter.replaceContents(of: path, with: signed.bytes)
            return .resigned
        }
        guard check == .unsigned else {
            var opened = try RecordSealer.open(record, keys: old)
            defer { secureWipe(&opened.content) }
            let result = try RecordSealer.reseal(record, content: opened.content, with: new, choice: choice)
            try AtomicFileWriter.replaceContents(of: path, with: result.record.bytes)
            return .rotated
        }
        // Unsigned: tried with the old key, then the new one (an earlier run may have re-sealed it).
        let both = old.key(id: new.id) == nil ? try ring(old.keys + [new], path) : old
        var opened = try RecordSealer.open(record, keys: both)
        defer { secureWipe(&opened.content) }
        if opened.keyID == new.id && !signUnsigned { return .alreadyRotated }
        let result = try RecordSealer.reseal(
            record, content: opened.content, with: new, sign: signUnsigned, choice: choice)
        try AtomicFileWriter.replaceContents(of: path, with: result.record.bytes)
        return signUnsigned ? .signedUnsigned : .resealedUnsigned
    }

    /// Writes `content` back into the sealed record at `path`, sealed with `key`, provided the
    /// file still holds `original` (what `edit` opened): a change made meanwhile is never lost.
    ///
    /// - Returns: what was written.
    /// - Throws: ``RecordError``; `.refused` when the file changed since it was read.
    public static func reseal(
        _ path: String, original: Record, content: [UInt8], with key: SecuredKey,
        sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> RecordSealer.SealResult {
        let now = try RecordFile.read(path, sizeLimit: sizeLimit)
        guard now == original.bytes else {
            throw RecordError(.refused, file: path, reason: "the file changed while it was being edited; not written")
        }
        let result = try RecordSealer.reseal(original, content: content, with: key)
        try AtomicFileWriter.replaceContents(of: path, with: result.record.bytes)
        return result
    }

    private static func ring(_ keys: [SecuredKey], _ path: String) throws(RecordError) -> KeyRing {
        do {
            return try KeyRing(keys)
        } catch {
            throw RecordError(.refused, file: path, reason: error.reason)
        }
    }
}
