import SecuredRecords

extension Secured.Hook.Check {
    /// The leak check of the staged files (``StagedCheck/leaks(in:corpus:keys:options:)``):
    /// prints its notes and findings, and returns why the commit is refused when a staged file
    /// holds a leak.
    ///
    /// The keys are those given (`--key`, SECURED_KEY, the policy's); with no secret or
    /// read-only key among them and none given, the (staged) policy's key ids in the per-user
    /// key folder, as `seal` finds them.
    func leakCheck(_ staged: [Git.StagedFile], scope: CorpusScope, keys given: KeyRing) throws -> String? {
        var ring = given
        if ring.secretKeyCount == 0 {
            let own = keys.policyKeyPaths(
                near: [], resolver: scope.policies ?? PolicyResolver(workingDirectory: WorkingDirectory.current))
            if !own.isEmpty && own != keys.keyPaths {
                var options = keys
                options.keyPaths = own
                ring = try options.load().ring
            }
        }
        let corpus = scope.walker.walk(["."])
        var options = LeakOptions()
        options.sizeLimit = scope.sizeLimit
        options.policies = scope.policies
        if let baseline = scope.policy(for: ".", isFolder: true)?.leaks.baseline {
            options.baseline = try LeakBaseline.read(baseline)
        }
        let verdict = StagedCheck.leaks(in: staged, corpus: corpus, keys: ring, options: options)
        for note in verdict.notes { Output.note(note) }
        for finding in verdict.findings { Output.error(TextRenderer.finding(finding)) }
        if verdict.ran {
            Output.error(
                "secured: \(verdict.filesSearched.counted("staged file")) searched for the words of \(verdict.recordsOpened.counted("sealed record"))"
            )
        }
        let files = Set(verdict.findings.map(\.file)).count
        guard files > 0 else { return nil }
        return
            "secured: commit refused: \(files.counted("staged file")) \(files == 1 ? "holds" : "hold") runs of sealed records' words (the words are not shown)"
    }
}
