import SecuredCrypto

/// Writing key files (SPEC section 3): a new key with its public key file beside it, and
/// `sign` added to a version 1 key.
public enum KeyFileOperations {
    /// Where a key file's public key file goes: the same name with `.pub` instead of `.key`
    /// (or `.pub` appended).
    public static func publicKeyPath(for keyPath: String) -> String {
        (keyPath.hasSuffix(".key") ? String(keyPath.dropLast(4)) : keyPath) + ".pub"
    }

    /// Creates the folders missing above `path`, each with mode 0700 (a key or identity is
    /// about to be written there: `keygen --out ~/.config/secured/site.key` on a fresh machine).
    ///
    /// - Parameter path: the file about to be written.
    /// - Returns: the folders created, outermost first (none when the folder exists).
    /// - Throws: ``RecordError`` `.io` naming the folder and the `mkdir -p -m 700` that
    ///   creates it.
    public static func makeMissingFolders(above path: String) throws(RecordError) -> [String] {
        var missing: [String] = []
        var dir = path
        while let slash = dir.lastIndex(of: "/") {
            dir = String(dir[..<slash])
            guard !dir.isEmpty, !FilePath.exists(dir) else { break }
            missing.insert(dir, at: 0)
        }
        for folder in missing where !FilePath.makeDirectory(folder, mode: 0o700) {
            throw RecordError(
                .io, file: folder,
                reason:
                    "cannot create the folder: \(RecordFile.errnoText()); create it with: mkdir -p -m 700 -- \(ShellWord.quoted(missing.last!))"
            )
        }
        return missing
    }

    /// What was written.
    public struct Written: Sendable {
        /// The key.
        public var key: SecuredKey
        /// The secret key file (mode 0600).
        public var keyPath: String
        /// The public key file beside it (mode 0644).
        public var publicKeyPath: String
    }

    /// The comment at the top of a new key file.
    static let secretComment = [
        "secured key file. SECRET: anyone holding it can read and forge records.",
        "Keep it out of version control; commit its .pub instead, and pass this to CI as the",
        "SECURED_KEY secret only where records must be decrypted.",
    ]

    /// Writes a new key (`enc`, `mac` and `sign`) to `path` (mode 0600) and its public key
    /// file beside it; never overwrites either.
    ///
    /// - Throws: ``RecordError`` `.refused` when either file exists, `.io` on failure.
    public static func generate(id: String, at path: String, created: String?) throws -> Written {
        let pubPath = publicKeyPath(for: path)
        if FilePath.exists(pubPath) {
            throw RecordError(.refused, file: pubPath, reason: "already exists; not overwritten")
        }
        let key = try SecuredKey.generate(id: id, created: created)
        try AtomicFileWriter.create(at: path, with: Array(key.keyFileText(comment: secretComment).utf8), mode: 0o600)
        try AtomicFileWriter.create(at: pubPath, with: Array(key.publicKey!.fileText.utf8), mode: 0o644)
        return Written(key: key, keyPath: path, publicKeyPath: pubPath)
    }

    /// Gives an existing key without `sign` a fresh one: the line is appended, every other
    /// line and the file's mode are kept, the file is replaced atomically, and the public key
    /// file is written beside it. The fingerprint does not change (`sign` does not enter it).
    ///
    /// - Throws: ``RecordError`` `.refused` when the key already has `sign` or the public key
    ///   file exists; the key file's own errors.
    public static func addSign(to path: String) throws -> Written {
        let bytes = try RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
        let text = String(decoding: bytes, as: UTF8.self)
        let old: SecuredKey
        do {
            old = try SecuredKey(parsing: text, source: FilePath.display(path))
        } catch {
            throw RecordError(.refused, file: path, reason: error.reason)
        }
        guard old.signingKey == nil else {
            throw RecordError(.refused, file: path, reason: "key '\(old.id)' already has 'sign'; nothing changed")
        }
        let pubPath = publicKeyPath(for: path)
        if FilePath.exists(pubPath) {
            throw RecordError(.refused, file: pubPath, reason: "already exists; not overwritten")
        }
        let signer = try Ed25519.PrivateKey()
        let terminator = text.contains("\r\n") ? "\r\n" : "\n"
        let separator = text.isEmpty || text.hasSuffix("\n") ? "" : terminator
        let newText = text + separator + SecuredKey.signLine(signer) + terminator
        let key: SecuredKey
        do {
            key = try SecuredKey(parsing: newText, source: FilePath.display(path))
        } catch {
            throw RecordError(.refused, file: path, reason: error.reason)
        }
        precondition(key.fingerprint == old.fingerprint, "sign must not change the fingerprint")
        try AtomicFileWriter.replaceContents(of: path, with: Array(newText.utf8))
        try AtomicFileWriter.create(at: pubPath, with: Array(key.publicKey!.fileText.utf8), mode: 0o644)
        return Written(key: key, keyPath: path, publicKeyPath: pubPath)
    }
}

/// Team keys (SPEC section 3, "Key files shared with a team"): age identities, and key files
/// encrypted to their holders' recipients.
extension KeyFileOperations {
    /// Writes a new age identity file (mode 0600, never over an existing file), with
    /// `# created:` and `# public key:` comments as `age-keygen` writes them.
    /// - Returns: the identity (its `AgeIdentity/recipient` is what others encrypt to).
    public static func writeIdentity(at path: String, created: String) throws -> AgeIdentity {
        let identity = try AgeIdentity.generate()
        var text = Array(identity.identityFileText(created: created).utf8)
        defer { secureWipe(&text) }
        try AtomicFileWriter.create(at: path, with: text, mode: 0o600)
        return identity
    }

    /// The recipients given as `age1…` strings and in recipient files (one per line, `#`
    /// comments), in order, without repeats.
    /// - Throws: ``RecordError`` `.refused` naming the bad recipient's file and line, or an
    ///   empty list.
    public static func recipients(_ strings: [String], files: [String]) throws(RecordError) -> [AgeRecipient] {
        var out: [AgeRecipient] = []
        for (k, text) in strings.enumerated() {
            do {
                out.append(try AgeRecipient(parsing: text))
            } catch {
                throw RecordError(.refused, file: "-r", reason: "recipient \(k + 1): \(error.reason)")
            }
        }
        for file in files {
            let bytes: [UInt8]
            do {
                bytes = try RecordFile.read(file, sizeLimit: 1 << 20)
            } catch {
                throw RecordError(.refused, file: file, reason: "cannot read the recipients file: \(error.reason)")
            }
            do {
                out += try AgeRecipient.parseList(
                    String(decoding: bytes, as: UTF8.self), source: FilePath.display(file))
            } catch {
                throw RecordError(.refused, file: file, reason: error.reason)
            }
        }
        var unique: [AgeRecipient] = []
        for r in out where !unique.contains(r) { unique.append(r) }
        guard !unique.isEmpty else {
            throw RecordError(
                .refused, file: "-r",
                reason: "no recipient: give -r age1… or -R FILE (an empty list would lock everyone out)")
        }
        return unique
    }

    /// The comment at the top of a read-only key file.
    static let readOnlyComment = [
        "secured read-only key: it opens (decrypts) records and cannot sign or forge them.",
        "Give it, with the .pub of the same id, to a site's front end or an app. It is still",
        "a secret: anyone holding it can read every record sealed with this key.",
    ]

    /// Writes the read-only part of the key file at `keyFile` (plain, or age-encrypted and
    /// opened with `identities`) to `out`, mode 0600: its id and `enc`, never `mac` or `sign`
    /// (SPEC 1.2 section 3). Never overwrites a file.
    ///
    /// - Returns: the read-only key written.
    /// - Throws: ``RecordError`` `.refused` when `out` exists or the key file cannot be used.
    public static func writeReadOnly(keyFile: String, identities: [AgeIdentity], out: String) throws -> SecuredKey {
        if FilePath.exists(out) {
            throw RecordError(.refused, file: out, reason: "already exists; not overwritten")
        }
        let key = try secretKey(at: keyFile, identities: identities)
        let readOnly = key.readOnly
        var text = Array(readOnly.keyFileText(comment: readOnlyComment).utf8)
        defer { secureWipe(&text) }
        try AtomicFileWriter.create(at: out, with: text, mode: 0o600)
        return readOnly
    }

    /// The secret key in the key file at `path` (plain, or age-encrypted and opened with
    /// `identities`), its text wiped after parsing.
    static func secretKey(at path: String, identities: [AgeIdentity]) throws -> SecuredKey {
        try secretKeyAndText(at: path, identities: identities) { key, _ in key }
    }

    /// Reads the secret key file at `path` and hands its key and its text (wiped afterwards)
    /// to `body`.
    static func secretKeyAndText<T>(
        at path: String, identities: [AgeIdentity], _ body: (SecuredKey, [UInt8]) throws -> T
    ) throws -> T {
        var bytes = try RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
        defer { secureWipe(&bytes) }
        var text: [UInt8]
        if AgeFile.looksLikeAge(bytes) {
            guard !identities.isEmpty else {
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil,
                    reason: "the key file is encrypted to age recipients, and no age identity was given",
                    remedy: .giveAgeIdentity)
            }
            do {
                text = try AgeFile.decrypt(bytes, identities: identities).withUnsafeBytes { Array($0) }
            } catch {
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil, reason: "cannot open it: \(error)")
            }
        } else {
            text = bytes
        }
        defer { secureWipe(&text) }
        let key: SecuredKey
        do {
            key = try SecuredKey(parsing: String(decoding: text, as: UTF8.self), source: FilePath.display(path))
        } catch {
            // A key file that cannot be used is a configuration error (SPEC section 8: exit 2).
            throw KeyFileError(
                source: FilePath.display(path), line: error.line, field: error.field,
                reason: "not a secret key file: \(error.reason)")
        }
        return try body(key, text)
    }

    /// What `share` wrote.
    public struct Shared: Sendable {
        /// The key inside.
        public var key: SecuredKey
        /// The age file written.
        public var path: String
        /// Whom it is encrypted to.
        public var recipients: [AgeRecipient]
        /// Whether an existing file was replaced (a new list of holders).
        public var replaced: Bool
    }

    /// Encrypts the key file at `keyFile` (plain, or itself age-encrypted and opened with
    /// `identities`) to `recipients`, armored, with a new random file key, and writes it to
    /// `out`: replaced atomically when it exists (a new list of holders), else created.
    ///
    /// - Throws: ``RecordError`` (the key file's problems as `.refused`), or `KeyFileError`.
    public static func share(
        keyFile: String, identities: [AgeIdentity], recipients: [AgeRecipient], out: String
    ) throws -> Shared {
        guard !recipients.isEmpty else {
            throw RecordError(.refused, file: out, reason: "no recipient: an empty list would lock everyone out")
        }
        let (key, file) = try secretKeyAndText(at: keyFile, identities: identities) { key, text in
            (key, try AgeFile.encrypt(text, to: recipients, armored: true))
        }
        let replaced = FilePath.exists(out)
        try AtomicFileWriter.replaceOrCreate(out, file)
        return Shared(key: key, path: out, recipients: recipients, replaced: replaced)
    }
}
