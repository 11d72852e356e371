import SecuredCrypto

/// Record operations on files: read (with the size limit), operate, write back atomically
/// through ``AtomicFileWriter``. A refusal or failure leaves the file byte-identical.
public enum RecordFileOperations {
    /// Reads and parses the record at `path`.
    ///
    /// - Throws: ``RecordError`` SR017 or SR001.
    public static func load(_ path: String, sizeLimit: Int = Record.defaultSizeLimit) throws(RecordError) -> Record {
        try Record(parsing: RecordFile.read(path, sizeLimit: sizeLimit), file: path)
    }

    /// Seals the record at `path` in place (SPEC section 5).
    ///
    /// - Parameters:
    ///   - path: the record.
    ///   - key: the sealing key.
    ///   - reseal: see ``RecordSealer/seal(_:with:reseal:sign:)``.
    ///   - sign: sign when the key has a `mac`.
    ///   - dryRun: compute, but write nothing.
    ///   - sizeLimit: largest file read.
    /// - Returns: what was (or would be) done.
    /// - Throws: ``RecordError``; the file is then unchanged.
    public static func seal(
        _ path: String, with key: SecuredKey, reseal: Bool = false, sign: Bool = true, dryRun: Bool = false,
        sizeLimit: Int = Record.defaultSizeLimit
    ) throws -> RecordSealer.SealResult {
        let record = try load(path, sizeLimit: sizeLimit)
        let result = try RecordSealer.seal(record, with: key, reseal: reseal, sign: sign)
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
    public static func sign(_ path: String, with key: SecuredKey, sizeLimit: Int = Record.defaultSizeLimit) throws
        -> Bool
    {
        let record = try load(path, sizeLimit: sizeLimit)
        try FrontMatterValidator.validate(record)
        let signed = try RecordSigner.sign(record, with: key)
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
    ) throws -> RecordSealer.Opened {
        let record = try load(path, sizeLimit: sizeLimit)
        let (restored, opened) = try RecordSealer.openInPlace(record, keys: keys, requireSignature: requireSignature)
        try AtomicFileWriter.replaceContents(of: path, with: restored.bytes)
        return opened
    }
}
