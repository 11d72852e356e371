import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The keys supplied to an operation (SPEC section 3), looked up by id.
///
/// ```swift
/// let (ring, warnings) = try KeyRing.load(paths: ["Keys/demo.key"])
/// ```
public struct KeyRing: Sendable {
    /// The secret keys read in the clear (or from age files), in the order given.
    private let loadedKeys: [SecuredKey]
    /// Passphrase key files, unwrapped only when needed (see ``key(id:)``); `nil` when none.
    private let passphraseKeys: PassphraseKeys?
    /// Every public key: those of `.pub` files and those of secret keys with `sign`, one per
    /// id. They verify `ed25519;` signatures and detached manifest signatures, nothing else.
    public let publicKeys: [SecuredPublicKey]

    /// A ring of secret keys and public keys (SPEC section 3).
    ///
    /// - Parameters:
    ///   - keys: secret keys.
    ///   - publicKeys: public keys.
    ///   - passphraseKeyFiles: passphrase key files, whose ids are known without deriving: each
    ///     is unwrapped with `passphrase` only when a record names its id, or every key is needed.
    ///   - passphrase: what unwraps them.
    /// - Throws: `KeyFileError` when two secret keys share an id, or a public key shares an
    ///   id with a secret key with `sign` whose public key differs. A key file without `sign`
    ///   (a read-only key) and a public key of the same id are one key (SPEC 1.2 section 3).
    public init(
        _ keys: [SecuredKey], publicKeys: [SecuredPublicKey] = [], passphraseKeyFiles: [PassphraseKeyFile] = [],
        passphrase: Passphrase? = nil
    ) throws(KeyFileError) {
        func fail(_ reason: String) -> KeyFileError {
            KeyFileError(source: nil, line: nil, field: "id", reason: reason)
        }
        var secret: [String: SecuredKey] = [:]
        var ids = Set<String>()
        // Even the same key twice (a key file and its age-encrypted copy): SPEC section 3
        // makes any two keys with one id a configuration error.
        for id in keys.map(\.id) + passphraseKeyFiles.map(\.id) where !ids.insert(id).inserted {
            throw fail("two keys have the id '\(id)'")
        }
        for key in keys { secret[key.id] = key }
        var publics: [SecuredPublicKey] = keys.compactMap(\.publicKey)
        for pub in publicKeys {
            if let key = secret[pub.id], let own = key.publicKey {
                guard own.key == pub.key else {
                    throw fail("public key '\(pub.id)' does not match the secret key with that id")
                }
                continue  // one key
            }
            // A key file without `sign` (a read-only key, SPEC 1.2 section 3) and the public
            // key of its id are one key: the public key verifies, the key file decrypts.
            if let other = publics.first(where: { $0.id == pub.id }) {
                guard other.key == pub.key else { throw fail("two different public keys have the id '\(pub.id)'") }
                continue
            }
            publics.append(pub)
        }
        self.loadedKeys = keys
        self.passphraseKeys =
            passphraseKeyFiles.isEmpty ? nil : PassphraseKeys(files: passphraseKeyFiles, passphrase: passphrase)
        self.publicKeys = publics
    }

    /// An empty ring: only the checks that need no key run.
    public init() {
        loadedKeys = []
        passphraseKeys = nil
        publicKeys = []
    }

    /// The secret keys, in the order given, passphrase keys last: they decrypt, and sign or
    /// verify by HMAC and Ed25519. Reading this unwraps every passphrase key not yet unwrapped
    /// (each once); one that does not unwrap is left out (``passphraseKeyFailures``).
    public var keys: [SecuredKey] {
        guard let passphraseKeys else { return loadedKeys }
        return loadedKeys
            + passphraseKeys.files.indices.compactMap { try? passphraseKeys.key(at: $0).get() }
    }

    /// Every secret key, unwrapping the passphrase keys now: for a command that needs its keys
    /// up front (seal, open, sign with exactly that key).
    ///
    /// - Throws: `KeyFileError` naming the first passphrase key file that does not unwrap.
    public func unwrapAll() throws(KeyFileError) -> [SecuredKey] {
        guard let passphraseKeys else { return loadedKeys }
        var out = loadedKeys
        for index in passphraseKeys.files.indices { out.append(try passphraseKeys.key(at: index).get()) }
        return out
    }

    /// How many secret keys were supplied, passphrase keys included (none is unwrapped).
    public var secretKeyCount: Int { loadedKeys.count + (passphraseKeys?.files.count ?? 0) }

    /// How many passphrase key files were unwrapped (or tried) so far.
    public var unwrappedPassphraseKeyCount: Int { passphraseKeys?.unwrappedCount ?? 0 }

    /// The passphrase key files that were tried and did not unwrap (wrong passphrase or damaged).
    public var passphraseKeyFailures: [KeyFileError] { passphraseKeys?.failures ?? [] }

    /// Whether no key at all was supplied.
    public var isEmpty: Bool { secretKeyCount == 0 && publicKeys.isEmpty }

    /// Whether only public keys were supplied: signatures are verified, nothing is decrypted.
    public var isPublicOnly: Bool { secretKeyCount == 0 && !publicKeys.isEmpty }

    /// The secret key with this id, if supplied. A passphrase key file of that id is unwrapped
    /// now (once; later calls get the kept key); `nil` when it does not unwrap.
    public func key(id: String) -> SecuredKey? {
        if let key = loadedKeys.first(where: { $0.id == id }) { return key }
        guard let passphraseKeys, let index = passphraseKeys.files.firstIndex(where: { $0.id == id }) else {
            return nil
        }
        return try? passphraseKeys.key(at: index).get()
    }

    /// Whether a secret key of this id was supplied (a passphrase key file counts; none is
    /// unwrapped to find out).
    public func holdsSecretKey(id: String) -> Bool {
        loadedKeys.contains { $0.id == id } || passphraseKeys?.files.contains { $0.id == id } == true
    }

    /// The keys supplied, for messages that must say which were loaded: ids and kinds
    /// (`demo (public key), site (read-only key), site (passphrase key)`), none unwrapped.
    public var loadedDescription: String {
        var parts: [String] = loadedKeys.map {
            "\($0.id) (\($0.isReadOnly ? "read-only key" : $0.signingKey != nil ? "secret key with sign" : "secret key"))"
        }
        parts += passphraseKeys?.files.map { "\($0.id) (passphrase key)" } ?? []
        parts += publicKeys.filter { pub in !loadedKeys.contains { $0.id == pub.id } }.map { "\($0.id) (public key)" }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }

    /// The secret key with this id that has a `mac`, for HMAC signatures. A passphrase key is
    /// read-only (SPEC 1.2 section 3: never `mac`), so none is unwrapped to find out.
    public func macKey(id: String) -> SecuredKey? {
        loadedKeys.first { $0.id == id && $0.authenticationKey != nil }
    }

    /// The public key with this id (from a `.pub` file or a secret key with `sign`), if supplied.
    public func publicKey(id: String) -> SecuredPublicKey? { publicKeys.first { $0.id == id } }

    /// The public key with this key number, if supplied.
    public func publicKey(keyNumber: some Collection<UInt8>) -> SecuredPublicKey? {
        publicKeys.first { $0.keyNumber.elementsEqual(keyNumber) }
    }

    /// Why `SECURED_KEY`'s `text` is a path rather than a key file's text, or `nil`. One line
    /// with no `field: value` that names an existing file or ends in `.key`, `.pub` or
    /// `.key.age` is a path: it is quoted back (a path is not secret); any other single line
    /// is not, since it could be key bytes.
    static func pathInsteadOfKey(_ text: String) -> (reason: String, remedy: Remedy)? {
        let blank: Set<Character> = [" ", "\t", "\n", "\r", "\r\n"]
        let line = String(text.drop(while: blank.contains).reversed().drop(while: blank.contains).reversed())
        guard !line.includes("\n"), !line.includes(": ") else { return nil }
        let howTo = "SECURED_KEY holds a key file's text, not its path"
        if FilePath.exists(line) || line.hasSuffix(".key") || line.hasSuffix(".pub") || line.hasSuffix(".key.age") {
            let word = ShellWord.argument(line)
            return (
                "looks like a path (\(FilePath.display(line))): \(howTo); use SECURED_KEY=\"$(cat \(word))\"",
                .nameKeyFile(word: word)
            )
        }
        return (
            "is one line with no 'field: value': \(howTo) (SECURED_KEY=\"$(cat Keys/<id>.key)\")",
            .nameKeyFile(word: nil)
        )
    }

    /// Loads keys from files and folders, or from `SECURED_KEY` when no path is given.
    ///
    /// - Parameters:
    ///   - paths: key files (secret `*.key` or public `*.pub`, told apart by their text), or
    ///     folders whose `*.key` and `*.pub` files (not recursively) are loaded.
    ///   - policyKeyFiles: key files a policy (``Policy``) names; they add to the others and
    ///     do not stop `SECURED_KEY` from being read.
    ///   - identities: age identities that open key files encrypted to a team
    ///     (`<id>.key.age`, SPEC section 3); such a file is decrypted in memory only.
    ///   - passphrase: the passphrase that opens passphrase key files (`<id>.<label>.key.pw`,
    ///     SPEC 1.2 section 3), as given (`--passphrase-file` or `SECURED_PASSPHRASE`): a folder
    ///     loads its `*.key.pw` files only when it is given.
    ///   - askPassphrase: asked, at most once, for a passphrase when a passphrase key file is
    ///     named and `passphrase` is `nil` (the terminal); `nil` when there is none to ask.
    ///   - environment: where `SECURED_KEY` is looked up (the process environment by default);
    ///     it may hold a secret key file's text or a public key file's.
    ///   - workingDirectory: the absolute folder relative `paths` and `policyKeyFiles` start
    ///     from; `nil`: the process's. Messages name them as given.
    /// - Returns: the ring, and warnings to show (a secret key file readable by group or others).
    /// - Throws: `KeyFileError`: unreadable or bad key file, empty folder, clashing ids, a
    ///   passphrase key file without a passphrase or that does not unwrap with it.
    public static func load(
        paths: [String], policyKeyFiles: [String] = [], identities: [AgeIdentity] = [],
        passphrase: Passphrase? = nil, askPassphrase: ((String) -> Passphrase?)? = nil,
        environment: [String: String]? = nil, workingDirectory: String? = nil
    ) throws(KeyFileError) -> (ring: KeyRing, warnings: [String]) {
        try load(
            named: (paths + policyKeyFiles).map { KeyPath($0, in: workingDirectory) }, fromEnvironment: paths.isEmpty,
            identities: identities, passphrase: passphrase, askPassphrase: askPassphrase, environment: environment)
    }

    /// A key file or folder as named (`path`, shown in messages) and where it is read (`file`).
    struct KeyPath {
        var path: String
        var file: String
        init(_ path: String, in workingDirectory: String?) {
            self.init(path: path, file: FilePath.resolved(path, in: workingDirectory))
        }
        init(path: String, file: String) {
            self.path = path
            self.file = file
        }
    }

    /// ``load(paths:policyKeyFiles:identities:passphrase:askPassphrase:environment:workingDirectory:)``
    /// of key paths already placed; `SECURED_KEY` is read when `fromEnvironment`.
    static func load(
        named: [KeyPath], fromEnvironment: Bool, identities: [AgeIdentity], passphrase: Passphrase?,
        askPassphrase: ((String) -> Passphrase?)?, environment: [String: String]?
    ) throws(KeyFileError) -> (ring: KeyRing, warnings: [String]) {
        var keys: [SecuredKey] = []
        var publics: [SecuredPublicKey] = []
        var locked: [PassphraseKeyFile] = []
        var warnings: [String] = []
        var asked: Passphrase?
        func add(_ text: String, source: String) throws(KeyFileError) {
            if AgeFile.looksLikeAge(text.utf8) {
                let opened = try openAge(Array(text.utf8), source: source, identities: identities)
                return try add(opened, source: source)
            }
            // Before public keys: both start 'untrusted comment: '.
            if PassphraseKeyFile.looksLikePassphraseKeyFile(text) {
                let file = try PassphraseKeyFile(parsing: text, source: source)
                if passphrase == nil && asked == nil { asked = askPassphrase?(source) }
                guard passphrase != nil || asked != nil else {
                    throw KeyFileError(
                        source: source, line: nil, field: nil,
                        reason: "the key file is encrypted under a passphrase, and none was given",
                        remedy: .givePassphrase)
                }
                // Unwrapped when a record names its id, never here (SPEC 1.2 section 3).
                return locked.append(file)
            }
            if SecuredPublicKey.looksLikePublicKeyFile(text) {
                publics.append(try SecuredPublicKey(parsing: text, source: source))
            } else {
                keys.append(try SecuredKey(parsing: text, source: source))
            }
        }
        if fromEnvironment {
            if let text = try environmentText("SECURED_KEY", in: environment) {
                if let problem = pathInsteadOfKey(text) {
                    throw KeyFileError(
                        source: "$SECURED_KEY", line: nil, field: nil, reason: problem.reason, remedy: problem.remedy)
                }
                try add(text, source: "$SECURED_KEY")
            }
        }
        for named in named {
            let path = named.path
            guard let info = FilePath.status(named.file) else {
                let reason = "cannot read key: \(RecordFile.errnoText())"
                // A hint's placeholder pasted as it was: say what goes there.
                let placeholder =
                    path == "KEY" ? " (KEY in a suggested command stands for your key file: put its path there)" : ""
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil, reason: reason + placeholder)
            }
            let files =
                FileKind(info.st_mode) == .directory
                ? listKeyFiles(in: named, withAge: !identities.isEmpty, withPassphrase: passphrase != nil) : [named]
            if files.isEmpty {
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil, reason: "folder holds no *.key or *.pub file"
                )
            }
            for file in files {
                let text = try readKeyFile(file, identities: identities, warnings: &warnings)
                try add(text, source: FilePath.display(file.path))
            }
        }
        do {
            let passphrase = passphrase ?? asked
            return (
                try KeyRing(keys, publicKeys: publics, passphraseKeyFiles: locked, passphrase: passphrase), warnings
            )
        } catch {
            throw KeyFileError(
                source: named.isEmpty
                    ? "$SECURED_KEY" : named.map { FilePath.display($0.path) }.joined(separator: ", "),
                line: nil, field: error.field, reason: error.reason)
        }
    }

    /// The key file inside an age file, decrypted in memory with `identities`.
    private static func openAge(_ bytes: [UInt8], source: String, identities: [AgeIdentity]) throws(KeyFileError)
        -> String
    {
        guard !identities.isEmpty else {
            throw KeyFileError(
                source: source, line: nil, field: nil,
                reason: "the key file is encrypted to age recipients, and no age identity was given",
                remedy: .giveAgeIdentity)
        }
        let plaintext: SecureBytes
        do {
            plaintext = try AgeFile.decrypt(bytes, identities: identities)
        } catch {
            throw KeyFileError(
                source: source, line: nil, field: nil, reason: "cannot open the age-encrypted key file: \(error)")
        }
        let text = plaintext.withUnsafeBytes { raw -> String? in
            UTF8Validation.isValid(Array(raw)[...]) ? String(decoding: raw, as: UTF8.self) : nil
        }
        guard let text, !AgeFile.looksLikeAge(text.utf8) else {
            throw KeyFileError(
                source: source, line: nil, field: nil, reason: "the age-encrypted file does not hold a key file's text")
        }
        return text
    }

    /// A key file's text; a secret one readable by group or others draws a warning; an age
    /// file (`<id>.key.age`) is decrypted with `identities`.
    private static func readKeyFile(_ named: KeyPath, identities: [AgeIdentity], warnings: inout [String])
        throws(KeyFileError) -> String
    {
        let path = named.path
        let shown = FilePath.display(path)
        guard let info = FilePath.status(named.file), FileKind(info.st_mode) == .regular else {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: "not a readable key file")
        }
        guard Int(info.st_size) <= SecuredKey.maximumFileSize else {
            throw KeyFileError(
                source: shown, line: nil, field: nil,
                reason: "key file is larger than \(SecuredKey.maximumFileSize) bytes; not a key file")
        }
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(named.file, sizeLimit: SecuredKey.maximumFileSize)
        } catch {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: error.reason)
        }
        if AgeFile.looksLikeAge(bytes) { return try openAge(bytes, source: shown, identities: identities) }
        guard UTF8Validation.isValid(bytes[...]) else {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: "key file is not UTF-8 text")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        // A public key file and a passphrase key file are meant to be published.
        if info.st_mode & 0o077 != 0 && !SecuredPublicKey.looksLikePublicKeyFile(text)
            && !PassphraseKeyFile.looksLikePassphraseKeyFile(text)
        {
            warnings.append(Self.modeWarning("key file", path: path, mode: info.st_mode))
        }
        return text
    }

    /// The key files directly in `dir`: `*.key`, `*.pub`, `*.key.age` when `withAge`
    /// (identities were given to open them; without, they are left for those who hold one),
    /// and `*.key.pw` when `withPassphrase` (likewise).
    private static func listKeyFiles(in dir: KeyPath, withAge: Bool, withPassphrase: Bool) -> [KeyPath] {
        let base = dir.path.hasSuffix("/") ? dir.path : dir.path + "/"
        let folder = dir.file.hasSuffix("/") ? dir.file : dir.file + "/"
        let names = (FilePath.entries(of: dir.file) ?? []).map(\.name).filter {
            ($0.hasSuffix(".key") || $0.hasSuffix(".pub") || (withAge && $0.hasSuffix(".key.age"))
                || (withPassphrase && $0.hasSuffix(".key.pw"))) && !$0.hasPrefix(".")
        }
        return names.sorted(by: FilePath.precedes).map { KeyPath(path: base + $0, file: folder + $0) }.filter {
            FilePath.status($0.file).map { FileKind($0.st_mode) == .regular } ?? false
        }
    }
}
