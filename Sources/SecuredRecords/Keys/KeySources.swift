import SecuredCrypto

/// Where an operation's keys come from (SPEC section 3): key files and folders named by the
/// caller, or else `SECURED_KEY`; the age identities that open `*.key.age`; the passphrase that
/// opens `*.key.pw`; and the keys the policies in force name.
///
/// ```swift
/// let loaded = try KeySources(paths: ["Keys/demo.pub"]).load()
/// ```
public struct KeySources: Sendable {
    /// Key files and folders (`--key`); empty means `SECURED_KEY`.
    public var paths: [String]
    /// Age identities that open key files encrypted to a team.
    public var identities: [AgeIdentity]
    /// The passphrase given (`--passphrase-file` or `SECURED_PASSPHRASE`) for passphrase key
    /// files; a folder loads its `*.key.pw` files only when it is set.
    public var passphrase: Passphrase?
    /// Asked, at most once, when a passphrase key file is named and no passphrase was given.
    public var askPassphrase: (@Sendable (String) -> Passphrase?)?
    /// Where `SECURED_KEY` is looked up; the process environment when `nil`.
    public var environment: [String: String]?
    /// The absolute folder relative ``paths`` start from; the process's working directory
    /// when `nil` (a corpus scope fills in its own). Messages name the paths as given.
    public var workingDirectory: String?

    /// Sources of keys.
    ///
    /// - Parameters:
    ///   - paths: key files and folders; empty means `SECURED_KEY`.
    ///   - identities: age identities for `*.key.age` files.
    ///   - passphrase: the passphrase for `*.key.pw` files, as given.
    ///   - askPassphrase: what asks for one (the terminal) when none was given.
    ///   - environment: where `SECURED_KEY` is looked up (the process's when `nil`).
    ///   - workingDirectory: the absolute folder relative `paths` start from (the process's
    ///     when `nil`).
    public init(
        paths: [String], identities: [AgeIdentity] = [], passphrase: Passphrase? = nil,
        askPassphrase: (@Sendable (String) -> Passphrase?)? = nil, environment: [String: String]? = nil,
        workingDirectory: String? = nil
    ) {
        self.workingDirectory = workingDirectory
        self.paths = paths
        self.identities = identities
        self.passphrase = passphrase
        self.askPassphrase = askPassphrase
        self.environment = environment
    }

    /// Keys as loaded, with what the caller should show.
    public struct Loaded: Sendable {
        /// The keys.
        public var ring: KeyRing
        /// Warnings (a secret key file readable by group or others).
        public var warnings: [String]
        /// Notes for the run's report: key ids a policy expects that nobody supplied (CI may
        /// hold only public keys).
        public var notes: [Note]
    }

    /// Loads the keys, with the key files `policies` name added to them.
    ///
    /// - Parameter policies: the policies in force; their key files add to the keys, and the
    ///   key ids they expect but that were not supplied become notes.
    /// - Returns: the keys, warnings and notes.
    /// - Throws: `KeyFileError`: an unreadable or bad key file, clashing ids.
    public func load(policies: [Policy] = []) throws(KeyFileError) -> Loaded {
        let (ring, warnings) = try KeyRing.load(
            paths: paths, policies: policies, identities: identities, passphrase: passphrase,
            askPassphrase: askPassphrase, environment: environment, workingDirectory: workingDirectory)
        return Loaded(ring: ring, warnings: warnings, notes: Self.expectedKeyNotes(ring: ring, policies: policies))
    }

    /// Loads the keys with `policyKeyFiles` (the key files of the policies in force, already
    /// resolved: copies from a trusted base, say) added to them.
    ///
    /// - Parameters:
    ///   - policyKeyFiles: key files to add.
    ///   - policies: the policies in force, for the notes on the key ids they expect.
    /// - Returns: the keys, warnings and notes.
    /// - Throws: `KeyFileError`: an unreadable or bad key file, clashing ids.
    public func load(policyKeyFiles: [String], policies: [Policy]) throws(KeyFileError) -> Loaded {
        let (ring, warnings) = try KeyRing.load(
            paths: paths, policyKeyFiles: policyKeyFiles, identities: identities, passphrase: passphrase,
            askPassphrase: askPassphrase, environment: environment, workingDirectory: workingDirectory)
        return Loaded(ring: ring, warnings: warnings, notes: Self.expectedKeyNotes(ring: ring, policies: policies))
    }

    /// Notes for the key ids the policies expect (`keys: [site-2026]`) that `ring` lacks.
    static func expectedKeyNotes(ring: KeyRing, policies: [Policy]) -> [Note] {
        var notes: [Note] = []
        for policy in policies {
            for (id, line) in policy.keyIDs where ring.key(id: id) == nil && ring.publicKey(id: id) == nil {
                notes.append(
                    Note(
                        .expectedKeyMissing, path: policy.file, line: line,
                        message: "the policy expects key '\(id)', which was not supplied", remedy: .giveKey))
            }
        }
        return notes
    }

    /// Loads keys that must not be empty, for an operation that needs one.
    ///
    /// - Parameters:
    ///   - purpose: the operation, for the message ("verify").
    ///   - policies: as in ``load(policies:)``.
    /// - Returns: the keys, warnings and notes.
    /// - Throws: `KeyFileError`, or ``ConfigurationError`` when no key at all was supplied.
    public func loadRequired(purpose: String, policies: [Policy] = []) throws -> Loaded {
        let loaded = try load(policies: policies)
        if loaded.ring.isEmpty {
            throw ConfigurationError(.noKey, "\(purpose) needs a key", remedy: .giveKey)
        }
        return loaded
    }

    /// Loads keys that include a secret key, for an operation that decrypts.
    ///
    /// - Parameter purpose: the operation, for the message ("open").
    /// - Returns: the keys, warnings and notes.
    /// - Throws: `KeyFileError`, or ``ConfigurationError`` when no key, or only public keys,
    ///   were supplied.
    public func loadSecret(purpose: String) throws -> Loaded {
        let loaded = try loadRequired(purpose: purpose)
        if loaded.ring.isPublicOnly {
            throw ConfigurationError(
                .unsuitableKeys, "\(purpose) needs a secret key: a public key (.pub) verifies, it cannot decrypt")
        }
        _ = try loaded.ring.unwrapAll()  // it opens with these keys: a bad one is said up front
        return loaded
    }

    /// Loads exactly one secret key, with any public keys given beside it (the `.pub` that
    /// verifies what a read-only key opens), for an operation that opens with one key.
    ///
    /// - Parameter purpose: the operation, for the message ("rotate --from").
    /// - Returns: the keys (one secret key) and warnings.
    /// - Throws: `KeyFileError`, or ``ConfigurationError`` when there is not exactly one
    ///   secret key.
    public func loadOneSecret(purpose: String) throws -> Loaded {
        let loaded = try load()
        let ring = loaded.ring
        if ring.isPublicOnly {
            throw ConfigurationError(
                .unsuitableKeys,
                "\(purpose) needs a secret key: a public key (.pub) verifies, it cannot seal, open or sign")
        }
        guard ring.secretKeyCount == 1 else {
            if ring.isEmpty { throw ConfigurationError(.noKey, "\(purpose) needs a key", remedy: .giveKey) }
            throw ConfigurationError(
                .unsuitableKeys, "\(purpose) takes exactly one key, \(ring.secretKeyCount) were given")
        }
        _ = try ring.unwrapAll()  // the one key is needed up front
        return loaded
    }

    /// Loads exactly one secret key, for a writer.
    ///
    /// - Parameter purpose: the operation, for the message ("seal").
    /// - Returns: the key and the warnings to show.
    /// - Throws: `KeyFileError`, or ``ConfigurationError`` when there is not exactly one
    ///   secret key.
    public func loadSingle(purpose: String) throws -> (key: SecuredKey, warnings: [String]) {
        let loaded = try loadOneSecret(purpose: purpose)
        return (loaded.ring.keys[0], loaded.warnings)
    }
}
