import ArgumentParser
import SecuredRecords

extension Secured.Hook {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the staged version of each added or changed record (the index, not the working tree).",
            discussion: """
                --sealed refuses records the policy (require-secured) requires sealed while their staged body is plaintext, naming each file and the command that seals it. --audit runs the policy's checks on the staged records with the keys available (--key, SECURED_KEY, the policy's keys; a public key is enough for signatures). --leaks searches every staged file, record or not, for runs of the sealed records' words (a draft copy, a pasted paragraph: SR020, as 'secured leaks' reports them, with the policy's leaks: baseline), when a secret or read-only key is at hand (--key, SECURED_KEY, or the policy's key ids in ~/.config/secured); with none it says so and lets the commit through. An unsealed record's text counts as public only as HEAD holds it. Without any of the three flags, all run. Deleted files are skipped; a required record without front matter counts as plaintext. Nothing is ever written.

                Examples:
                  secured hook check            # all checks, as the installed hook runs them
                  secured hook check --sealed   # only: no plaintext where sealing is required
                  secured hook check --audit --key Keys/site.pub
                  secured hook check --leaks --key Keys/site.readonly.key

                Exit status: 0 the commit may go ahead; 1 it is refused (the findings say why); 2 usage or configuration error (not in a git repository, a bad policy).
                """)

        @Flag(help: "Refuse plaintext where the policy requires sealed records.")
        var sealed = false

        @Flag(help: "Run the policy's checks on the staged records.")
        var audit = false

        @Flag(help: "Refuse staged files that hold runs of sealed records' words (needs a secret or read-only key).")
        var leaks = false

        @Flag(help: "Require every staged record sealed (adds to the policy).")
        var requireSecured = false

        @Flag(help: "Require every staged record signed (adds to the policy).")
        var requireSignature = false

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        func validate() throws {
            // Signatures are checked by the audit half: asked for with --sealed alone, the
            // requirement would be accepted and then never applied (SPEC section 8: a check
            // that cannot run never passes silently).
            if requireSignature && (sealed || leaks) && !audit {
                throw ValidationError(
                    "--require-signature is checked by the audit half: use it with --audit (or with none of --sealed, --audit and --leaks, which runs all)"
                )
            }
        }

        func run() throws {
            try RepositoryRoot.enter()
            let staged: [Git.StagedFile]
            do {
                staged = try Git.stagedFiles()
            } catch {
                throw ConfigurationError(.notAGitRepository, "\(error.description) (run it inside a git repository)")
            }
            // The policies as staged: the commit holds them, not the work tree's (an unstaged
            // deletion or an untracked policy file changes nothing).
            let scope = walk.scope(
                signaturesRequired: requireSignature, sealingRequired: requireSecured,
                policiesFrom: try TrustBase.index())
            let walker = scope.walker
            let records = StagedCheck.records(in: staged, walker: walker)
            try scope.refuseBadPolicies()
            keys.know(scope)
            let both = !sealed && !audit && !leaks
            var checker: RecordChecker?
            let loaded = audit || leaks || both ? try keys.load(in: scope) : nil
            if audit || both, let loaded {
                for note in loaded.notes { Output.note(note) }
                try SignatureRequirement.check(
                    keys: loaded.ring, flag: requireSignature ? "--require-signature" : nil,
                    files: records.map(\.path), policies: scope.policies)
                checker = RecordChecker(
                    keys: loaded.ring, requireSecured: requireSecured, requireSignature: requireSignature,
                    sizeLimit: scope.sizeLimit)
                checker?.policies = scope.policies
            }
            let verdict = StagedCheck.verdict(
                records, walker: walker, plaintextCheck: sealed || both, requireSecuredEverywhere: requireSecured,
                checker: checker, sizeLimit: scope.sizeLimit)
            try scope.refuseBadPolicies()
            let undoing = printNotes(staged, scope: scope, checker: checker, verdict: verdict)
            // A secret key is refused whichever check was asked for: it is never committed.
            let secretKeys = StagedCheck.secretKeys(in: staged)
            for finding in secretKeys { Output.error(TextRenderer.finding(finding)) }
            for finding in verdict.plaintext { Output.error(TextRenderer.finding(finding)) }
            // Why the commit is refused, said once at the end (by main, with the exit status).
            var refusals: [String] = []
            if !verdict.plaintext.isEmpty {
                let count = verdict.plaintext.count
                refusals.append(
                    "secured: commit refused: \(count) staged record\(count == 1 ? " is" : "s are") plaintext where sealing is required"
                )
            }
            // A manifest the policy names that no longer matches the staged records: CI would
            // fail on it (SR018), so the hook says so now, with the command that rebuilds it.
            let stale =
                audit || both
                ? StagedCheck.staleManifest(
                    records, manifest: scope.policy(for: ".", isFolder: true)?.manifest, key: Hints.key) : []
            for finding in verdict.findings + stale { Output.error(TextRenderer.finding(finding)) }
            if verdict.auditErrors > 0 {
                let errors = verdict.auditErrors
                refusals.append("secured: commit refused: \(errors) error\(errors == 1 ? "" : "s") in staged records")
            }
            if let loaded, leaks || both, let leaked = try leakCheck(staged, scope: scope, keys: loaded.ring) {
                refusals.append(leaked)
            }
            Output.error("secured: \(records.count) staged record\(records.count == 1 ? "" : "s") checked")
            if let ring = checker?.keys { try KeyOptions.refuseFailedUnwraps(ring) }
            if !secretKeys.isEmpty {
                refusals.append("secured: commit refused: \(secretKeys.count.counted("secret key file")) staged")
            }
            if !stale.isEmpty {
                refusals.append(
                    "secured: commit refused: the policy's manifest is stale for \(stale.count.counted("staged record"))"
                )
            }
            // A policy below the root that undoes what the root's policy requires of staged
            // records: the audit names it; the hook, the last stop before a commit, refuses it.
            if !undoing.isEmpty {
                refusals.append(
                    "secured: commit refused: \(undoing.map(FilePath.display).joined(separator: ", ")) undoes what the root's policy requires of staged records; put such a rule in the root's \(Policy.fileName), or remove it"
                )
            }
            if !refusals.isEmpty { throw CommandFailure(refusals.joined(separator: "\n"), status: 1) }
        }

        /// The notes about the run: the staged policies that differ from the work tree's, the
        /// policies in force, staged files not checked, signatures, a missing policy.
        ///
        /// - Returns: the policy files below the root that leave staged records out of, or drop,
        ///   a requirement of the root's policy (or of the command line).
        private func printNotes(
            _ staged: [Git.StagedFile], scope: CorpusScope, checker: RecordChecker?, verdict: StagedCheck.Verdict
        ) -> [String] {
            let walker = scope.walker
            let root = scope.policy(for: ".", isFolder: true)
            let unchecked = StagedCheck.uncheckedNotes(in: staged, walker: walker)
            // The policies looked up so far: the root's and those of the staged files' folders.
            for note in scope.policies?.baseNotes ?? [] { Output.note(note) }
            var undoing: [String] = []
            for note in StagedCheck.policyNotes(in: staged, walker: walker, checker: checker) {
                Output.note(note)
                if note.kind == .policyNarrowsChecks || note.kind == .policyDropsRequirement, let path = note.path {
                    undoing.append(path)
                }
            }
            for note in unchecked { Output.note(note) }
            for case let note? in [
                SignatureRequirement.notVerifiedNote(count: verdict.signaturesNotVerified),
                SignatureRequirement.unsignedNote(verdict.unsigned),
            ] {
                Output.note(note)
            }
            if scope.policies != nil && root == nil && !requireSecured {
                Output.error(
                    "secured: note: no policy file (\(Policy.fileName)) was found at the repository's root, as staged: no record is required sealed or signed, so plaintext passes; write one with: secured init (and stage it)"
                )
            }
            return undoing
        }
    }
}
