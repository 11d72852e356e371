import SecuredCrypto

/// Passphrase key files (SPEC 1.2 section 3): the read-only part of a key under a passphrase,
/// for readers in a browser.
extension KeyFileOperations {
    /// What ``writePassphraseKey(keyFile:identities:label:passphrase:out:iterations:)`` wrote.
    public struct PassphraseShared: Sendable {
        /// The read-only key inside (id and `enc`).
        public var key: SecuredKey
        /// The file written.
        public var path: String
        /// The label of its group of readers.
        public var label: String
        /// Whether an existing file was replaced.
        public var replaced: Bool
        /// The name the file usually has: `<id>.<label>.key.pw`.
        public var usualName: String { "\(key.id).\(label).key.pw" }
    }

    /// Wraps the read-only part of the key file at `keyFile` (plain, or age-encrypted and
    /// opened with `identities`) under `passphrase` with a fresh salt and nonce, and writes it
    /// to `out` (mode 0644: it is meant to be published), replacing an existing file
    /// atomically. Never `mac` or `sign`: a passphrase file may be public, and must not sign.
    ///
    /// - Parameters:
    ///   - keyFile: the secret key file (`.key`, or `.key.age` opened with `identities`).
    ///   - identities: age identities that open an age-encrypted key file.
    ///   - label: the group of readers (1–32 of `[A-Za-z0-9_-]`).
    ///   - passphrase: at least 12 characters (Unicode scalars).
    ///   - out: where to write it, usually `Keys/<id>.<label>.key.pw`.
    ///   - iterations: `PassphraseKeyFile.writerIterations`; other counts are for tests.
    /// - Throws: ``ConfigurationError`` for what writers must refuse (a passphrase shorter than 12
    ///   characters, a bad label), checked before anything is read or written; ``RecordError``
    ///   when the key file cannot be used (`.refused`) or `out` cannot be written (`.io`).
    public static func writePassphraseKey(
        keyFile: String, identities: [AgeIdentity], label: String, passphrase: Passphrase, out: String,
        iterations: Int = PassphraseKeyFile.writerIterations
    ) throws -> PassphraseShared {
        guard passphrase.scalarCount >= PassphraseKeyFile.minimumPassphraseLength else {
            throw ConfigurationError(
                .passphrase,
                "the passphrase has \(passphrase.scalarCount) characters; a passphrase key file takes at least \(PassphraseKeyFile.minimumPassphraseLength) (five random words make a good one); nothing written"
            )
        }
        guard PassphraseKeyFile.isValidLabel(label) else {
            throw ConfigurationError(
                .usage, "the label must be 1-32 of [A-Za-z0-9_-]; nothing written")
        }
        let key = try secretKey(at: keyFile, identities: identities).readOnly
        let file = try PassphraseKeyFile.wrap(key, label: label, passphrase: passphrase, iterations: iterations)
        let replaced = FilePath.exists(out)
        try AtomicFileWriter.replaceOrCreate(out, Array(file.fileText.utf8))
        return PassphraseShared(key: key, path: out, label: label, replaced: replaced)
    }
}
