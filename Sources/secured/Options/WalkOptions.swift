import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// How folders are walked, and whether the policy files (`.secured.yaml`) apply.
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

    /// A new scope for this run: one policy resolver, shared by the walk, the checks and the
    /// keys; `signaturesRequired` and `sealingRequired` when the command line requires them.
    func scope(
        signaturesRequired: Bool = false, sealingRequired: Bool = false, base: TrustBase? = nil,
        policiesFrom: TrustBase? = nil
    ) -> CorpusScope {
        var scope = CorpusScope(
            include: include, sizeLimit: sizeLimit, usePolicies: !noPolicy, workingDirectory: WorkingDirectory.current,
            base: base, policiesFrom: policiesFrom)
        scope.signaturesRequired = signaturesRequired
        scope.sealingRequired = sealingRequired
        return scope
    }

    func validate() throws {
        guard sizeLimit > 0 else { throw ValidationError("--size-limit must be positive") }
    }

    /// Walks `paths` in `scope`, printing notes and folders that cannot be listed.
    static func files(_ paths: [String], in scope: CorpusScope) throws -> [String] {
        let walk = try scope.walk(paths)
        for note in walk.notes { Output.note(note) }
        for error in walk.errors { Output.error(TextRenderer.finding(error)) }
        return walk.files
    }
}
