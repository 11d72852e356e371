import ArgumentParser
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Secured.Hook {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the staged version of each added or changed record (the index, not the working tree).",
            discussion: """
                --sealed refuses records the policy (require-secured) requires sealed while their staged body is plaintext, naming each file and the command that seals it. --audit runs the policy's checks on the staged records with the keys available (--key, SECURED_KEY, the policy's keys; a public key is enough for signatures). Without either flag, both run. Deleted files are skipped; a required record without front matter counts as plaintext. Nothing is ever written.

                Exit status: 0 the commit may go ahead; 1 it is refused (the findings say why); 2 usage or configuration error (not in a git repository, a bad policy).
                """)

        @Flag(help: "Refuse plaintext where the policy requires sealed records.")
        var sealed = false

        @Flag(help: "Run the policy's checks on the staged records.")
        var audit = false

        @Flag(help: "Require every staged record sealed (adds to the policy).")
        var requireSecured = false

        @Flag(help: "Require every staged record signed (adds to the policy).")
        var requireSignature = false

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        func run() throws {
            let staged: [Git.StagedFile]
            do {
                try Git.enterTopLevel()
                staged = try Git.stagedFiles()
            } catch {
                throw Output.usage("\(error.description) (run it inside a git repository)")
            }
            let walker = walk.walker
            let records = StagedCheck.records(in: staged, walker: walker)
            try walk.refuseBadPolicies()
            let both = !sealed && !audit
            var refused = 0
            if sealed || both {
                let plaintext = StagedCheck.plaintext(
                    in: records, walker: walker, requireEverywhere: requireSecured, sizeLimit: walk.sizeLimit)
                for finding in plaintext { Output.error(finding.description) }
                if !plaintext.isEmpty {
                    Output.error(
                        "secured: commit refused: \(plaintext.count) staged record\(plaintext.count == 1 ? " is" : "s are") plaintext where sealing is required"
                    )
                }
                refused += plaintext.count
            }
            if audit || both {
                let (ring, notes) = try keys.loadRingAndNotes(policies: walk)
                for note in notes { Output.error(note.description) }
                var checker = RecordChecker(
                    keys: ring, requireSecured: requireSecured, requireSignature: requireSignature,
                    sizeLimit: walk.sizeLimit)
                checker.policies = walk.noPolicy ? nil : walk.policies
                let findings = StagedCheck.audit(records, walker: walker, checker: checker)
                // The plaintext check already named what it refuses.
                let shown = findings.filter { !(both && $0.code == .sr003SecuredMissing) }
                for finding in shown { Output.error(finding.description) }
                let errors = shown.filter { $0.severity == .error }.count
                if errors > 0 {
                    Output.error(
                        "secured: commit refused: \(errors) error\(errors == 1 ? "" : "s") in staged records")
                }
                refused += errors
            }
            Output.error("secured: \(records.count) staged record\(records.count == 1 ? "" : "s") checked")
            if refused > 0 { throw ExitCode(1) }
        }
    }
}
