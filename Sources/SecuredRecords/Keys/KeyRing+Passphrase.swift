import SecuredCrypto

/// The passphrase that opens passphrase key files (SPEC 1.2 section 3).
extension KeyRing {
    /// Largest passphrase file read, in bytes.
    public static let maximumPassphraseFileSize = 4096

    /// The passphrase from a passphrase file, or, when no path is given, from the variable
    /// `SECURED_PASSPHRASE`; `nil` when neither is given (then the terminal may be asked).
    ///
    /// A passphrase file holds one line: its final line terminator (LF or CRLF), if any, is not
    /// part of the passphrase; every other byte is, as given (no trimming, no normalization).
    /// The variable's value is taken exactly, as bytes; one that is not UTF-8 is refused.
    ///
    /// - Parameters:
    ///   - path: the passphrase file (`--passphrase-file`), or `nil`.
    ///   - environment: where `SECURED_PASSPHRASE` is looked up (the process environment by
    ///     default).
    ///   - workingDirectory: the absolute folder a relative `path` starts from; `nil`: the
    ///     process's working directory. Messages name it as given.
    /// - Returns: the passphrase in wiped storage, or `nil`.
    /// - Throws: `KeyFileError` naming the file: unreadable, empty, more than one line, not
    ///   UTF-8; the same naming `$SECURED_PASSPHRASE` when its bytes are not UTF-8. No message
    ///   holds the passphrase.
    public static func loadPassphrase(
        path: String?, environment: [String: String]? = nil, workingDirectory: String? = nil
    ) throws(KeyFileError) -> Passphrase? {
        guard let path else {
            let name = "SECURED_PASSPHRASE"
            guard var bytes = environmentBytes(name, in: environment), !bytes.isEmpty else { return nil }
            defer { secureWipe(&bytes) }
            // Refused like a passphrase file that is not UTF-8: never decoded into U+FFFD.
            guard let passphrase = Passphrase(utf8: bytes) else { throw notUTF8(name) }
            return passphrase
        }
        let shown = FilePath.display(path)
        func fail(_ reason: String) -> KeyFileError {
            KeyFileError(source: shown, line: nil, field: nil, reason: reason)
        }
        var bytes: [UInt8]
        do {
            bytes = try RecordFile.read(path, sizeLimit: maximumPassphraseFileSize, in: workingDirectory)
        } catch {
            throw fail("cannot read the passphrase file: \(error.reason)")
        }
        defer { secureWipe(&bytes) }
        var end = bytes.count
        if end > 0 && bytes[end - 1] == 0x0A {
            end -= 1
            if end > 0 && bytes[end - 1] == 0x0D { end -= 1 }
        }
        guard end > 0 else { throw fail("the passphrase file is empty") }
        guard !bytes[..<end].contains(0x0A) else {
            throw fail("the passphrase file holds more than one line; it must hold the passphrase alone")
        }
        guard let passphrase = Passphrase(utf8: bytes[..<end]) else {
            throw fail("the passphrase file is not UTF-8 text")
        }
        return passphrase
    }
}
