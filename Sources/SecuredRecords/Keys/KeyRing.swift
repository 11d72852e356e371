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
    /// The secret keys, in the order given: they decrypt, and sign or verify by HMAC and Ed25519.
    public let keys: [SecuredKey]
    /// Every public key: those of `.pub` files and those of secret keys with `sign`, one per
    /// id. They verify `ed25519;` signatures and detached manifest signatures, nothing else.
    public let publicKeys: [SecuredPublicKey]

    /// A ring of secret keys and public keys (SPEC section 3).
    ///
    /// - Throws: `KeyFileError` when two secret keys share an id, or a public key shares an
    ///   id with a secret key with `sign` whose public key differs. A key file without `sign`
    ///   (a read-only key) and a public key of the same id are one key (SPEC 1.2 section 3).
    public init(_ keys: [SecuredKey], publicKeys: [SecuredPublicKey] = []) throws(KeyFileError) {
        func fail(_ reason: String) -> KeyFileError {
            KeyFileError(source: nil, line: nil, field: "id", reason: reason)
        }
        var secret: [String: SecuredKey] = [:]
        for key in keys {
            // Even the same key twice (a key file and its age-encrypted copy): SPEC section 3
            // makes any two keys with one id a configuration error.
            if secret[key.id] != nil { throw fail("two keys have the id '\(key.id)'") }
            secret[key.id] = key
        }
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
        self.keys = keys
        self.publicKeys = publics
    }

    /// An empty ring: only the checks that need no key run.
    public init() {
        keys = []
        publicKeys = []
    }

    /// Whether no key at all was supplied.
    public var isEmpty: Bool { keys.isEmpty && publicKeys.isEmpty }

    /// Whether only public keys were supplied: signatures are verified, nothing is decrypted.
    public var isPublicOnly: Bool { keys.isEmpty && !publicKeys.isEmpty }

    /// The secret key with this id, if supplied.
    public func key(id: String) -> SecuredKey? { keys.first { $0.id == id } }

    /// The public key with this id (from a `.pub` file or a secret key with `sign`), if supplied.
    public func publicKey(id: String) -> SecuredPublicKey? { publicKeys.first { $0.id == id } }

    /// The public key with this key number, if supplied.
    public func publicKey(keyNumber: some Collection<UInt8>) -> SecuredPublicKey? {
        publicKeys.first { $0.keyNumber.elementsEqual(keyNumber) }
    }

    /// ``load(paths:policyKeyFiles:identities:passphrase:askPassphrase:environment:)`` with the key files the
    /// `policies` name; one that does not exist is blamed on the policy's file and line.
    ///
    /// - Parameters:
    ///   - paths: key files and folders (`--key`); `SECURED_KEY` when empty.
    ///   - policies: the policies in force; their key files add to the keys.
    ///   - identities: age identities for `*.key.age` files.
    ///   - passphrase: the passphrase of `*.key.pw` files, if given.
    ///   - askPassphrase: asks for it (on a terminal) when it is needed and not given.
    ///   - environment: where `SECURED_KEY` is looked up (the process's when `nil`).
    /// - Returns: the ring, and warnings to show.
    /// - Throws: `KeyFileError`: a missing key file named by a policy, and the errors of
    ///   ``load(paths:policyKeyFiles:identities:passphrase:askPassphrase:environment:)``.
    public static func load(
        paths: [String], policies: [Policy], identities: [AgeIdentity] = [], passphrase: Passphrase? = nil,
        askPassphrase: ((String) -> Passphrase?)? = nil, environment: [String: String]? = nil
    ) throws(KeyFileError) -> (ring: KeyRing, warnings: [String]) {
        var files: [String] = []
        for policy in policies {
            for (path, line) in policy.keyFileEntries where !files.contains(path) {
                guard FilePath.exists(path) else {
                    throw KeyFileError(
                        source: FilePath.display(policy.file), line: line, field: "keys",
                        reason:
                            "'keys' names the key file \(FilePath.display(path)), which does not exist (paths in 'keys' are relative to the policy's folder; commit the public key there, or remove the line)"
                    )
                }
                files.append(path)
            }
        }
        return try load(
            paths: paths, policyKeyFiles: files, identities: identities, passphrase: passphrase,
            askPassphrase: askPassphrase, environment: environment)
    }

    /// Why `SECURED_KEY`'s `text` is a path rather than a key file's text, or `nil`. One line
    /// with no `field: value` that names an existing file or ends in `.key`, `.pub` or
    /// `.key.age` is a path: it is quoted back (a path is not secret); any other single line
    /// is not, since it could be key bytes.
    static func pathInsteadOfKey(_ text: String) -> String? {
        let blank: Set<Character> = [" ", "\t", "\n", "\r", "\r\n"]
        let line = String(text.drop(while: blank.contains).reversed().drop(while: blank.contains).reversed())
        guard !line.contains("\n"), !line.contains(": ") else { return nil }
        let howTo = "SECURED_KEY holds a key file's text, not its path"
        if FilePath.exists(line) || line.hasSuffix(".key") || line.hasSuffix(".pub") || line.hasSuffix(".key.age") {
            let word = ShellWord.quoted(line)
            return
                "looks like a path (\(FilePath.display(line))): \(howTo); use SECURED_KEY=\"$(cat \(word))\", or --key \(word)"
        }
        return
            "is one line with no 'field: value': \(howTo) (SECURED_KEY=\"$(cat Keys/<id>.key)\"); to name a file, use --key PATH"
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
    /// - Returns: the ring, and warnings to show (a secret key file readable by group or others).
    /// - Throws: `KeyFileError`: unreadable or bad key file, empty folder, clashing ids, a
    ///   passphrase key file without a passphrase or that does not unwrap with it.
    public static func load(
        paths: [String], policyKeyFiles: [String] = [], identities: [AgeIdentity] = [],
        passphrase: Passphrase? = nil, askPassphrase: ((String) -> Passphrase?)? = nil,
        environment: [String: String]? = nil
    ) throws(KeyFileError) -> (ring: KeyRing, warnings: [String]) {
        var keys: [SecuredKey] = []
        var publics: [SecuredPublicKey] = []
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
                guard let given = passphrase ?? asked else {
                    throw KeyFileError(
                        source: source, line: nil, field: nil,
                        reason:
                            "the key file is encrypted under a passphrase: pass --passphrase-file PATH or set SECURED_PASSPHRASE"
                    )
                }
                return keys.append(try file.unwrap(with: given))
            }
            if SecuredPublicKey.looksLikePublicKeyFile(text) {
                publics.append(try SecuredPublicKey(parsing: text, source: source))
            } else {
                keys.append(try SecuredKey(parsing: text, source: source))
            }
        }
        if paths.isEmpty {
            if let text = try environmentText("SECURED_KEY", in: environment) {
                if let problem = pathInsteadOfKey(text) {
                    throw KeyFileError(source: "$SECURED_KEY", line: nil, field: nil, reason: problem)
                }
                try add(text, source: "$SECURED_KEY")
            }
        }
        for path in paths + policyKeyFiles {
            guard let info = FilePath.status(path) else {
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil,
                    reason: "cannot read key: \(RecordFile.errnoText())")
            }
            let files =
                FileKind(info.st_mode) == .directory
                ? listKeyFiles(in: path, withAge: !identities.isEmpty, withPassphrase: passphrase != nil) : [path]
            if files.isEmpty {
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil, reason: "folder holds no *.key or *.pub file"
                )
            }
            for file in files {
                let text = try readKeyFile(file, identities: identities, warnings: &warnings)
                try add(text, source: FilePath.display(file))
            }
        }
        do {
            return (try KeyRing(keys, publicKeys: publics), warnings)
        } catch {
            throw KeyFileError(
                source: paths.isEmpty && policyKeyFiles.isEmpty
                    ? "$SECURED_KEY" : (paths + policyKeyFiles).map(FilePath.display).joined(separator: ", "),
                line: nil, field: error.field, reason: error.reason)
        }
    }

    /// Age identities (SPEC section 3) from identity files, or, when no path is given, from
    /// the text of `SECURED_AGE_IDENTITY`. Identities stay in wiped storage; no message holds
    /// their text.
    ///
    /// - Returns: the identities (none when neither is given), and warnings (an identity file
    ///   readable by group or others).
    /// - Throws: `KeyFileError` naming the file and line of what is wrong.
    public static func loadIdentities(paths: [String], environment: [String: String]? = nil) throws(KeyFileError)
        -> (identities: [AgeIdentity], warnings: [String])
    {
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
            guard let info = FilePath.status(path), FileKind(info.st_mode) == .regular else {
                throw KeyFileError(source: shown, line: nil, field: nil, reason: "not a readable age identity file")
            }
            let bytes: [UInt8]
            do {
                bytes = try RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
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

    /// The key file inside an age file, decrypted in memory with `identities`.
    private static func openAge(_ bytes: [UInt8], source: String, identities: [AgeIdentity]) throws(KeyFileError)
        -> String
    {
        guard !identities.isEmpty else {
            throw KeyFileError(
                source: source, line: nil, field: nil,
                reason:
                    "the key file is encrypted to age recipients: pass --identity PATH (your age identity file) or set SECURED_AGE_IDENTITY"
            )
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
    private static func readKeyFile(_ path: String, identities: [AgeIdentity], warnings: inout [String])
        throws(KeyFileError) -> String
    {
        let shown = FilePath.display(path)
        guard let info = FilePath.status(path), FileKind(info.st_mode) == .regular else {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: "not a readable key file")
        }
        guard Int(info.st_size) <= SecuredKey.maximumFileSize else {
            throw KeyFileError(
                source: shown, line: nil, field: nil,
                reason: "key file is larger than \(SecuredKey.maximumFileSize) bytes; not a key file")
        }
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
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
    private static func listKeyFiles(in dir: String, withAge: Bool, withPassphrase: Bool) -> [String] {
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        let names = (FilePath.entries(of: dir) ?? []).map(\.name).filter {
            ($0.hasSuffix(".key") || $0.hasSuffix(".pub") || (withAge && $0.hasSuffix(".key.age"))
                || (withPassphrase && $0.hasSuffix(".key.pw"))) && !$0.hasPrefix(".")
        }
        return names.sorted(by: FilePath.precedes).map { base + $0 }.filter {
            FilePath.status($0).map { FileKind($0.st_mode) == .regular } ?? false
        }
    }

    /// The bytes of the environment variable `name`, read with `getenv` (never decoded), or,
    /// when `environment` is given (tests), its value there; `nil` when it is not set.
    static func environmentBytes(_ name: String, in environment: [String: String]?) -> [UInt8]? {
        if let environment { return environment[name].map { Array($0.utf8) } }
        guard let raw = getenv(name) else { return nil }
        return Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
    }

    /// The text of the environment variable `name`, or `nil` when it is unset or empty.
    ///
    /// - Throws: `KeyFileError` naming the variable (never quoting it) when its bytes are not
    ///   UTF-8: decoding would turn different byte strings into the same U+FFFD text.
    static func environmentText(_ name: String, in environment: [String: String]?) throws(KeyFileError) -> String? {
        guard var bytes = environmentBytes(name, in: environment), !bytes.isEmpty else { return nil }
        defer { secureWipe(&bytes) }
        guard UTF8Validation.isValid(bytes[...]) else { throw notUTF8(name) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The error for a variable whose value is not UTF-8: it names the variable, never its value.
    static func notUTF8(_ name: String) -> KeyFileError {
        KeyFileError(
            source: "$\(name)", line: nil, field: nil,
            reason: "\(name) is not UTF-8 text; nothing was read from it (set it to UTF-8 text, or unset it)")
    }
}
