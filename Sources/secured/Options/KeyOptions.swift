import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--key PATH` (repeatable) or SECURED_KEY, the age identities for `*.key.age`, and the
/// passphrase for `*.key.pw`.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "A key file (secret .key, public .pub, age-encrypted .key.age, or passphrase .key.pw), or a folder of them (repeatable). Without --key, SECURED_KEY is read.",
            valueName: "path"))
    var keyPaths: [String] = []

    @OptionGroup var age: IdentityOptions

    @OptionGroup var passphrase: PassphraseOptions

    /// Every file read as a key: key files and folders, identity files, the passphrase file.
    var readPaths: [String] { keyPaths + age.paths + [passphrase.path].compactMap { $0 } }

    /// Refuses (exit 2) to write `outputs` when one is a file read as a key.
    func refuseWritingOverKeys(_ outputs: [String]) throws {
        try KeyFileOperations.refuseWritingOverKeys(outputs, inputs: readPaths)
    }

    /// Where the keys come from (the identities loaded, their warnings printed; the passphrase
    /// given, or else the terminal asked when a passphrase key file is named).
    func sources() throws -> KeySources {
        try passphrase.sources(paths: keyPaths, identities: age.load())
    }

    /// Loads the keys, with those of the policies in `scope`, printing warnings. Key ids a
    /// policy expects but nobody supplied are notes, returned for the run's report.
    func load(in scope: CorpusScope? = nil) throws -> KeySources.Loaded {
        know(scope)
        let loaded = try scope.map { try $0.loadKeys(sources()) } ?? sources().load()
        for warning in loaded.warnings { Output.error(warning) }
        return loaded
    }

    /// A passphrase key file unwrapped lazily (a record named its id) that did not unwrap: the
    /// configuration error (exit 2) it would have been up front (SPEC 1.2 section 3), raised
    /// once the run's findings are out.
    static func refuseFailedUnwraps(_ ring: KeyRing) throws {
        if let failure = ring.passphraseKeyFailures.first { throw failure }
    }

    /// Loads keys that include a secret key, for commands that decrypt; with no `--key` and no
    /// SECURED_KEY, the keys the policies of `records` name, from the per-user key folder.
    func loadSecret(purpose: String, near records: [String] = []) throws -> KeyRing {
        Hints.know(keyPaths: keyPaths, policies: Self.policies(near: records))
        let loaded = try passphrase.sources(paths: policyKeyPaths(near: records), identities: age.load())
            .loadSecret(purpose: purpose)
        for warning in loaded.warnings { Output.error(warning) }
        return loaded.ring
    }

    /// Exactly one secret key, for writers; with no `--key` and no SECURED_KEY, the key the
    /// policies of `records` name, from the per-user key folder (``policyKeyPaths(near:)``).
    func loadSingle(purpose: String, near records: [String] = []) throws -> SecuredKey {
        Hints.know(keyPaths: keyPaths, policies: Self.policies(near: records))
        return try Self.loadSingle(policyKeyPaths(near: records), purpose: purpose, age: age, passphrase: passphrase)
    }

    /// `--key`'s paths; with none and no SECURED_KEY, the secret key files in the per-user key
    /// folder (`~/.config/secured/<id>.key`) for the keys the policies of `records` (and of the
    /// current folder) name, as the audit finds the policy's keys, the policies read by
    /// `resolver` (the work tree's by default; the hook's reads the index). Says which it uses,
    /// unless `announce` is false (`textconv`, whose stderr git shows for every file of a diff).
    func policyKeyPaths(
        near records: [String], resolver: PolicyResolver = PolicyResolver(workingDirectory: WorkingDirectory.current),
        announce: Bool = true
    ) -> [String] {
        guard keyPaths.isEmpty, (Output.environment("SECURED_KEY") ?? "").isEmpty else { return keyPaths }
        var policies: [Policy] = []
        for path in records + ["."] {
            if let policy = resolver.policy(for: path, isFolder: FilePath.isDirectory(path)),
                !policies.contains(where: { $0.file == policy.file })
            {
                policies.append(policy)
            }
        }
        let (files, ids) = KeyFileOperations.userKeyFiles(for: policies)
        guard announce else { return files }
        if !files.isEmpty {
            Output.error(
                "note: no --key given: using \(files.map(FilePath.display).joined(separator: ", ")) (the policy's key\(files.count == 1 ? "" : "s"))"
            )
        } else if !ids.isEmpty, let folder = KeyFileOperations.userKeyFolder() {
            Output.error(
                "note: no --key given, and no key file in \(FilePath.display(folder)) for the policy's keys (\(ids.joined(separator: ", ")))"
            )
        }
        return files
    }

    /// The policies of `records` and of the current folder, each once.
    static func policies(near records: [String]) -> [Policy] {
        let resolver = PolicyResolver(workingDirectory: WorkingDirectory.current)
        var policies: [Policy] = []
        for path in records + ["."] {
            if let policy = resolver.policy(for: path, isFolder: FilePath.isDirectory(path)),
                !policies.contains(where: { $0.file == policy.file })
            {
                policies.append(policy)
            }
        }
        return policies
    }

    /// Records the keys this run knows for the commands hints suggest: `--key`, then
    /// `SECURED_KEY` and the keys of the policies in `scope` and of the current folder.
    func know(_ scope: CorpusScope?) {
        var policies = scope?.policiesInForce ?? []
        for policy in Self.policies(near: []) where !policies.contains(where: { $0.file == policy.file }) {
            policies.append(policy)
        }
        Hints.know(keyPaths: keyPaths, policies: policies)
    }

    /// Exactly one secret key from `keyPaths`, opened with the identities and passphrase given
    /// the usual way: a public key verifies, it cannot seal, open or sign.
    static func loadSingle(
        _ keyPaths: [String], purpose: String, age: IdentityOptions, passphrase: PassphraseOptions
    ) throws -> SecuredKey {
        let (key, warnings) = try passphrase.sources(paths: keyPaths, identities: age.load())
            .loadSingle(purpose: purpose)
        for warning in warnings { Output.error(warning) }
        return key
    }
}
