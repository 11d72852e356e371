import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--identity PATH` (repeatable) or SECURED_AGE_IDENTITY: what opens `<id>.key.age`.
struct IdentityOptions: ParsableArguments {
    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp(
            "An age identity file that opens age-encrypted key files (*.key.age) in memory (repeatable). Without --identity, SECURED_AGE_IDENTITY is read.",
            valueName: "path"))
    var paths: [String] = []

    /// The identities, printing warnings; a bad identity file exits 2.
    func load() throws -> [AgeIdentity] {
        do {
            let (identities, warnings) = try KeyRing.loadIdentities(paths: paths)
            for warning in warnings { Output.error(warning) }
            return identities
        } catch {
            throw Output.usage("\(error)")
        }
    }
}

/// `--key PATH` (repeatable) or SECURED_KEY, and the age identities for `*.key.age`.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "A key file (secret .key, public .pub, or age-encrypted .key.age), or a folder of them (repeatable). Without --key, SECURED_KEY is read.",
            valueName: "path"))
    var keyPaths: [String] = []

    @OptionGroup var age: IdentityOptions

    /// Loads the keys, printing warnings; configuration errors exit 2. The key files of the
    /// policies `walk` has found add to them; key ids a policy expects but nobody supplied
    /// are notes (CI may hold only public keys), returned for the run's report.
    func loadRing(policies walk: WalkOptions? = nil) throws -> KeyRing {
        let (ring, _) = try loadRingAndNotes(policies: walk)
        return ring
    }

    /// ``loadRing(policies:)``, with its notes.
    func loadRingAndNotes(policies walk: WalkOptions?) throws -> (KeyRing, [Note]) {
        let found = walk.map { $0.noPolicy ? [] : $0.policies.policies } ?? []
        var extra: [String] = []
        for policy in found { extra += policy.keyFiles.filter { !extra.contains($0) } }
        let ring = try Self.loadRing(keyPaths, extra: extra, identities: age.load())
        var notes: [Note] = []
        for policy in found {
            for (id, line) in policy.keyIDs where ring.key(id: id) == nil && ring.publicKey(id: id) == nil {
                notes.append(
                    Note(
                        .expectedKeyMissing, path: policy.file, line: line,
                        message: "the policy expects key '\(id)', which was not supplied (--key or SECURED_KEY)"))
            }
        }
        return (ring, notes)
    }

    /// Exactly one key, for writers.
    func loadSingle(purpose: String) throws -> SecuredKey {
        try Self.loadSingle(keyPaths, purpose: purpose, identities: age.load())
    }

    /// Loads keys that must not be empty, for commands that need one (with the policies'
    /// keys, and their notes printed, when `policies` is given).
    func loadRequired(purpose: String, policies: WalkOptions? = nil) throws -> KeyRing {
        let (ring, notes) = try loadRingAndNotes(policies: policies)
        for note in notes { Output.error(note.description) }
        if ring.isEmpty { throw Output.usage("\(purpose) needs a key: pass --key PATH or set SECURED_KEY") }
        return ring
    }

    /// Loads keys that include a secret key, for commands that decrypt.
    func loadSecret(purpose: String) throws -> KeyRing {
        let ring = try loadRequired(purpose: purpose)
        if ring.isPublicOnly {
            throw Output.usage("\(purpose) needs a secret key: a public key (.pub) verifies, it cannot decrypt")
        }
        return ring
    }

    static func loadRing(_ keyPaths: [String], extra: [String] = [], identities: [AgeIdentity] = []) throws -> KeyRing {
        do {
            let (ring, warnings) = try KeyRing.load(paths: keyPaths, policyKeyFiles: extra, identities: identities)
            for warning in warnings { Output.error(warning) }
            return ring
        } catch {
            throw Output.usage("\(error)")
        }
    }

    /// Exactly one secret key: a public key verifies, it cannot seal, open or sign.
    static func loadSingle(_ keyPaths: [String], purpose: String, identities: [AgeIdentity] = []) throws
        -> SecuredKey
    {
        let ring = try loadRing(keyPaths, identities: identities)
        if ring.isPublicOnly {
            throw Output.usage(
                "\(purpose) needs a secret key: a public key (.pub) verifies, it cannot seal, open or sign")
        }
        guard ring.keys.count == 1, let key = ring.keys.first else {
            throw Output.usage(
                ring.isEmpty
                    ? "\(purpose) needs a key: pass --key PATH or set SECURED_KEY"
                    : "\(purpose) takes exactly one key, \(ring.keys.count) were given")
        }
        return key
    }
}

/// The one policy resolver of this process.
let processPolicies = PolicyResolver()

/// How folders are walked, and the policy files (`.secured.yaml`) that apply.
struct WalkOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "File-name pattern for records found in folders (default *.md; adds to a policy's include).",
            valueName: "glob"))
    var include: String?

    @Option(help: ArgumentHelp("Largest record read, in bytes (larger files are SR017).", valueName: "bytes"))
    var sizeLimit: Int = Record.defaultSizeLimit

    @Flag(help: "Ignore policy files (.secured.yaml); only the command line applies.")
    var noPolicy = false

    /// The policies found while this command runs (one resolver per process, shared by the
    /// walk, the checks and the keys).
    var policies: PolicyResolver { processPolicies }

    var walker: CorpusWalker {
        var walker = CorpusWalker(include: include ?? "*.md", policies: noPolicy ? nil : policies)
        walker.includeIsExplicit = include != nil
        return walker
    }

    /// The policy files seen so far that cannot be read: a usage error (exit 2).
    func refuseBadPolicies() throws {
        guard !noPolicy, let first = policies.errors.first else { return }
        for error in policies.errors.dropFirst() { Output.error("error: \(error.description)") }
        throw Output.usage(first.description)
    }

    /// Looks up the policies of the named paths themselves (a folder's own, a file's), so that
    /// their keys and manifests apply even before anything is walked.
    func resolvePolicies(for paths: [String]) throws {
        guard !noPolicy else { return }
        for path in paths { _ = policies.policy(for: path, isFolder: FilePath.isDirectory(path)) }
        try refuseBadPolicies()
    }

    func validate() throws {
        guard sizeLimit > 0 else { throw ValidationError("--size-limit must be positive") }
    }

    /// Walks `paths`: a path that does not exist, or no record at all, exits 2; notes and
    /// folders that cannot be listed are printed.
    func walk(_ paths: [String]) throws -> CorpusWalker.Result {
        try resolvePolicies(for: paths)
        let walk = walker.walk(paths)
        try refuseBadPolicies()
        try Self.refuseMissing(walk.missing)
        for note in walk.notes { Output.error(note.description) }
        if walk.files.isEmpty {
            for error in walk.errors { Output.error(error.description) }
            throw Output.usage(
                "no record found in \(paths.map(FilePath.display).joined(separator: ", ")) (pattern \(include ?? "*.md"), and the policy's include and exclude)"
            )
        }
        return walk
    }

    /// The record files under `paths`, as ``walk(_:)`` finds them.
    func files(_ paths: [String]) throws -> [String] {
        let walk = try walk(paths)
        for error in walk.errors { Output.error(error.description) }
        return walk.files
    }

    /// A path named that does not exist is a usage error (SPEC section 8).
    static func refuseMissing(_ missing: [String]) throws {
        guard !missing.isEmpty else { return }
        throw Output.usage("no such file or folder: \(missing.map(FilePath.display).joined(separator: ", "))")
    }
}

/// `--format` of audit-like commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, github, sarif
}

/// `--format` of the other commands: text on stderr, or one JSON document on stdout.
enum CommandFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--hmac`: sign with HMAC even when the key has `sign`.
struct SigningOptions: ParsableArguments {
    @Flag(
        help:
            "Sign with HMAC-SHA256 (v1) even when the key has 'sign' (Ed25519 signatures verify with the public key alone; HMAC only with the secret key, about ten times faster)."
    )
    var hmac = false

    var choice: SigningChoice { hmac ? .hmac : .preferred }
}
