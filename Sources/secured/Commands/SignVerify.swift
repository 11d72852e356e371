import ArgumentParser
import SecuredRecords

extension Secured {
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign records in place (Ed25519 when the key has 'sign', else HMAC-SHA256).",
            discussion: """
                An existing 'signature' line is replaced in place; otherwise one is inserted after 'secured' (or before the closing ---). Only that line changes. With a key that has 'sign' the signature is ed25519;<id>;<base64>, which anyone holding the public key can verify; --hmac writes v1;<id>;<base64> instead.

                Example:
                  secured sign content/ --key site-2026.key

                Exit status: 0 all signed; 1 a record could not be signed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions
        @OptionGroup var signing: SigningOptions

        @Option(help: ArgumentHelp("text (stderr) or json (one document on stdout).", valueName: "format"))
        var format: CommandFormat = .text

        func run() throws {
            let key = try keys.loadSingle(purpose: "sign")
            if key.authenticationKey == nil && (key.signingKey == nil || signing.hmac) {
                throw Output.usage("key \(key.id) has no \(signing.hmac ? "'mac'" : "'sign' or 'mac'"); it cannot sign")
            }
            let files = try walk.files(paths)
            var report = FileReport(command: "sign")
            var changed = 0
            for file in files {
                do {
                    let didChange = try RecordFileOperations.sign(
                        file, with: key, choice: signing.choice, sizeLimit: walk.sizeLimit)
                    if didChange { changed += 1 }
                    report.add(file, didChange ? "signed" : "already signed", keyID: key.id)
                    if format == .text {
                        Output.error(
                            "\(FilePath.display(file)): \(didChange ? "signed" : "already signed") with \(key.id)")
                    }
                } catch {
                    report.add(error)
                    Output.error(error.description)
                }
            }
            if format == .json { Output.json(report) }
            Output.error(
                "sign: \(files.count) records: \(changed) signed, \(files.count - changed - report.failed) unchanged, \(report.failed) failed"
            )
            if report.failed > 0 { throw ExitCode(1) }
        }
    }

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
            let ring = try keys.loadRequired(purpose: "verify", policies: walk)
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
                "verify: \(files.count) records: \(files.count - report.failed) valid, \(report.failed) failed")
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
