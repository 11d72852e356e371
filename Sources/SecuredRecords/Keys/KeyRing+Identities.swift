import SecuredCrypto

/// Age identities, which open key files shared with a team.
extension KeyRing {
    /// Age identities (SPEC section 3) from identity files, or, when no path is given, from
    /// the text of `SECURED_AGE_IDENTITY`. Identities stay in wiped storage; no message holds
    /// their text.
    ///
    /// - Parameters:
    ///   - paths: identity files; `SECURED_AGE_IDENTITY` when empty. Messages name them as given.
    ///   - environment: where `SECURED_AGE_IDENTITY` is looked up (the process's when `nil`).
    ///   - workingDirectory: the absolute folder relative `paths` start from; `nil`: the
    ///     process's working directory.
    /// - Returns: the identities (none when neither is given), and warnings (an identity file
    ///   readable by group or others).
    /// - Throws: `KeyFileError` naming the file and line of what is wrong.
    public static func loadIdentities(
        paths: [String], environment: [String: String]? = nil, workingDirectory: String? = nil
    ) throws(KeyFileError) -> (identities: [AgeIdentity], warnings: [String]) {
        var identities: [AgeIdentity] = []
        var warnings: [String] = []
        func parse(_ text: String, source: String) throws(KeyFileError) {
            do {
                identities += try AgeIdentity.parseFile(text, source: source)
            } catch {
                throw KeyFileError(source: nil, line: nil, field: nil, reason: error.reason)
            }
        }
        if paths.isEmpty {
            if let text = try environmentText("SECURED_AGE_IDENTITY", in: environment) {
                try parse(text, source: "$SECURED_AGE_IDENTITY")
            }
        }
        for path in paths {
            let shown = FilePath.display(path)
            let file = FilePath.resolved(path, in: workingDirectory)
            guard let info = FilePath.status(file), FileKind(info.st_mode) == .regular else {
                throw KeyFileError(source: shown, line: nil, field: nil, reason: "not a readable age identity file")
            }
            let bytes: [UInt8]
            do {
                bytes = try RecordFile.read(file, sizeLimit: SecuredKey.maximumFileSize)
            } catch {
                throw KeyFileError(source: shown, line: nil, field: nil, reason: error.reason)
            }
            guard UTF8Validation.isValid(bytes[...]) else {
                throw KeyFileError(source: shown, line: nil, field: nil, reason: "the identity file is not UTF-8 text")
            }
            if info.st_mode & 0o077 != 0 {
                warnings.append(Self.modeWarning("age identity file", path: path, mode: info.st_mode))
            }
            try parse(String(decoding: bytes, as: UTF8.self), source: shown)
        }
        return (identities, warnings)
    }
}
