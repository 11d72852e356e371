import SecuredCrypto

/// What one run works on: how folders are walked, the size limit, and the policy files
/// (`.secured.yaml`) in force, looked up once for the whole run and passed to everything
/// that needs them (the walk, the checks, the keys).
///
/// ```swift
/// let scope = CorpusScope(
///     include: nil, sizeLimit: Record.defaultSizeLimit, usePolicies: true, workingDirectory: "/srv/site")
/// let walked = try scope.walk(["content"])
/// let keys = try scope.loadKeys(KeySources(paths: ["Keys/site.pub"]))
/// ```
package struct CorpusScope: Sendable {
    /// The include pattern asked for (`--include`), if any; `*.md` otherwise.
    package let include: String?
    /// The largest record read, in bytes.
    package let sizeLimit: Int
    /// The run's policy resolver; `nil` when policies are ignored (`--no-policy`).
    package let policies: PolicyResolver?
    /// Whether the command line requires signatures (`--require-signature`, `verify`): then
    /// a policy below a folder named cannot leave records out unnoticed
    /// (``CorpusWalker/narrowing(path:name:policy:root:)``).
    package var signaturesRequired = false
    /// Whether the command line requires records sealed (`--require-secured`): the same.
    package var sealingRequired = false

    /// A scope for one run.
    ///
    /// - Parameters:
    ///   - include: the file-name pattern asked for (it adds to a policy's `include`), or `nil`.
    ///   - sizeLimit: the largest record read, in bytes.
    ///   - usePolicies: whether policy files apply.
    ///   - workingDirectory: the absolute folder relative paths start from (the caller's
    ///     working directory: the library never reads it).
    ///   - base: where policies and key files are trusted from (`--trust-from`), if anywhere.
    ///   - policiesFrom: where policies alone are read from, key files being read as they
    ///     are (the pre-commit hook: ``TrustBase/index()``); it takes the place of `base`
    ///     for policies.
    package init(
        include: String?, sizeLimit: Int, usePolicies: Bool, workingDirectory: String, base: TrustBase? = nil,
        policiesFrom: TrustBase? = nil
    ) {
        self.include = include
        self.sizeLimit = sizeLimit
        self.workingDirectory = workingDirectory
        self.policies =
            usePolicies ? PolicyResolver(base: policiesFrom ?? base, workingDirectory: workingDirectory) : nil
        self.base = base
    }

    /// Where policies and key files are trusted from (`--trust-from`), if anywhere.
    package let base: TrustBase?
    /// The absolute folder relative paths start from.
    package let workingDirectory: String

    /// The walker of this scope.
    package var walker: CorpusWalker {
        var walker = CorpusWalker(include: include ?? "*.md", policies: policies)
        walker.includeIsExplicit = include != nil
        walker.signaturesRequired = signaturesRequired
        walker.sealingRequired = sealingRequired
        walker.workingDirectory = workingDirectory
        return walker
    }

    /// The policies found so far in this run.
    package var policiesInForce: [Policy] { policies?.policies ?? [] }

    /// The policy of a folder or file, looked up in this run's resolver.
    ///
    /// - Parameters:
    ///   - path: a file or folder.
    ///   - isFolder: whether `path` is a folder (its own policy file counts).
    /// - Returns: the policy in force there, if any.
    package func policy(for path: String, isFolder: Bool = false) -> Policy? {
        policies?.policy(for: path, isFolder: isFolder)
    }

    /// Refuses the run when a policy file seen so far cannot be read.
    ///
    /// - Throws: ``ConfigurationError`` naming every bad policy file and line.
    package func refuseBadPolicies() throws(ConfigurationError) {
        guard let errors = policies?.errors, !errors.isEmpty else { return }
        throw ConfigurationError(.policy, errors.map(\.description).joined(separator: "\nerror: "))
    }

    /// Looks up the policies of the named paths themselves (a folder's own, a file's), so that
    /// their keys and manifests apply even before anything is walked.
    ///
    /// - Parameter paths: files and folders named by the caller.
    /// - Throws: ``ConfigurationError`` when a policy file cannot be read.
    package func resolvePolicies(for paths: [String]) throws(ConfigurationError) {
        guard policies != nil else { return }
        for path in paths {
            _ = policy(for: path, isFolder: FilePath.isDirectory(FilePath.resolved(path, in: workingDirectory)))
        }
        try refuseBadPolicies()
    }

    /// Walks `paths` (SPEC section 8).
    ///
    /// - Parameters:
    ///   - paths: files and folders.
    ///   - allowUnreadableOnly: whether a walk that found no record but folders that cannot
    ///     be listed (SR017) is still a run (the audit reports them).
    /// - Returns: the files, notes and unreadable folders.
    /// - Throws: ``ConfigurationError`` when a path does not exist, a policy cannot be read,
    ///   or no record was found.
    package func walk(_ paths: [String], allowUnreadableOnly: Bool = false) throws(ConfigurationError)
        -> CorpusWalker.Result
    {
        try resolvePolicies(for: paths)
        let walked = walker.walk(paths)
        try refuseBadPolicies()
        try Self.refuseMissing(walked.missing)
        if walked.files.isEmpty && (walked.errors.isEmpty || !allowUnreadableOnly) {
            throw ConfigurationError(
                .notFound,
                "no record found in \(paths.map(FilePath.display).joined(separator: ", ")) (pattern \(include ?? "*.md"), and the policy's include and exclude)"
            )
        }
        return walked
    }

    /// Loads keys with the key files of the policies in force added, and notes for the key
    /// ids they expect that were not supplied.
    ///
    /// - Parameter sources: where the caller's keys come from; their relative paths start
    ///   from ``workingDirectory`` unless they name a working directory of their own.
    /// - Returns: the keys, warnings and notes.
    /// - Throws: `KeyFileError` for a key file that cannot be used.
    ///
    /// With a trusted base (``base``), every key file and folder that lies in the work tree —
    /// named by the caller or by a policy — is read as it is at the base commit; the notes say
    /// which were trusted, which the change added (not trusted) or changed (read as on the
    /// base), which policies it changed, and every key trusted.
    package func loadKeys(_ sources: KeySources) throws -> KeySources.Loaded {
        var sources = sources
        if sources.workingDirectory == nil { sources.workingDirectory = workingDirectory }
        guard let base else {
            var loaded = try sources.load(policies: policiesInForce)
            loaded.notes += policyKeyNotes()
            return loaded
        }
        var policyFiles: [String] = []
        for policy in policiesInForce {
            for (path, _) in policy.keyFileEntries where !policyFiles.contains(path) { policyFiles.append(path) }
        }
        let named = try base.keyCopies(of: sources.paths)
        defer { base.removeCopies(named) }
        let fromPolicies = try base.keyCopies(of: policyFiles)
        defer { base.removeCopies(fromPolicies) }
        var trusted = sources
        trusted.paths = named.paths
        // Keys named on the command line that the base does not hold are not replaced by
        // SECURED_KEY behind the caller's back.
        if !sources.paths.isEmpty && named.paths.isEmpty { trusted.environment = [:] }
        var loaded = try trusted.load(policyKeyFiles: fromPolicies.paths, policies: policiesInForce)
        let ids =
            loaded.ring.keys.map { "\($0.id) (\($0.isReadOnly ? "read-only key" : "secret key"))" }
            + loaded.ring.publicKeys.filter { loaded.ring.key(id: $0.id) == nil }.map { "\($0.id) (public key)" }
        loaded.notes +=
            (policies?.baseNotes ?? []) + named.notes + fromPolicies.notes + [
                Note(
                    .trustedFromBase,
                    message: "keys trusted as on \(base.name): \(ids.isEmpty ? "none" : ids.joined(separator: ", "))",
                    remedy: .readAtTrustedBase)
            ]
        return loaded
    }

    /// A note for each key file a policy below the current folder's own policy names: a key
    /// trusted because a policy file says so, and a policy file is as easy to add in a pull
    /// request as a record (`--trust-from` reads them from the base instead).
    func policyKeyNotes() -> [Note] {
        let top = policies?.policy(for: ".", isFolder: true)?.file
        var notes: [Note] = []
        for policy in policiesInForce where policy.file != top {
            for (path, line) in policy.keyFileEntries {
                notes.append(
                    Note(
                        .policyAddsKey, path: policy.file, line: line,
                        message:
                            "this policy adds the key file \(FilePath.display(path)): its keys verify signatures because this policy file says so; review it",
                        remedy: .trustBase))
            }
        }
        return notes
    }

    /// A path named that does not exist is a usage error (SPEC section 8).
    ///
    /// - Parameter missing: the paths that do not exist.
    /// - Throws: ``ConfigurationError`` naming them.
    package static func refuseMissing(_ missing: [String]) throws(ConfigurationError) {
        guard !missing.isEmpty else { return }
        throw ConfigurationError(
            .notFound, "no such file or folder: \(missing.map(FilePath.display).joined(separator: ", "))")
    }
}
