import ArgumentParser
import SecuredRecords

extension Secured {
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check records' signatures (nothing is decrypted).",
            discussion: """
                Every record must carry a signature made by one of the given keys: an unsigned record is SR008, a malformed one SR009, an unknown key id SR010, a wrong tag or signature SR011. The front matter is checked first (SR001, SR002, SR017). A public key file (.pub) verifies ed25519 signatures with no secret.

                Example with no secret:
                  secured verify content/ --key Keys/site-2026.pub

                Example:
                  secured verify content/ --key site-2026.key

                Exit status: 0 all verified; 1 a verification failed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @Option(
            help: ArgumentHelp(
                "text (stderr), json (one document on stdout), github (annotations) or sarif (code scanning).",
                valueName: "format"))
        var format: VerifyFormat = .text

        enum VerifyFormat: String, ExpressibleByArgument, CaseIterable {
            case text, json, github, sarif
        }

        func run() throws {
            let files = try walk.files(paths)
            let (ring, notes) = try keys.loadRingAndNotes(policies: walk)
            for note in notes { Output.error(note.description) }
            if let refusal = SignatureRequirement.refusal(keys: ring, flag: "verify", files: files, policies: nil) {
                throw Output.usage(refusal)
            }
            var report = FileReport(command: "verify")
            var failures: [RecordError] = []
            for file in files {
                do {
                    let id = try RecordFileOperations.verify(file, keys: ring, sizeLimit: walk.sizeLimit)
                    report.add(file, "valid", keyID: id)
                    if format == .text { Output.error("\(FilePath.display(file)): signature valid (key \(id))") }
                } catch {
                    report.add(error)
                    failures.append(error)
                    Output.error(error.description)
                }
            }
            switch format {
            case .text: break
            case .json: Output.json(report)
            case .github: for failure in failures { Output.data(Reporter.github(failure) + "\n") }
            case .sarif: Reporter.sarif(AuditRun(findings: failures, notes: []), command: "verify", shard: nil)
            }
            Output.error(
                "verify: \(files.count.counted("record")): \(files.count - report.failed) valid, \(report.failed) failed"
            )
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
