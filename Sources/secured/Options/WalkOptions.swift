import ArgumentParser
import SecuredCrypto
import SecuredRecords

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
