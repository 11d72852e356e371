import ArgumentParser
import SecuredRecords

extension Secured {
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign records in place with HMAC-SHA256.",
            discussion: """
                An existing 'signature' line is replaced in place; otherwise one is inserted after 'secured' (or before the closing ---). Only that line changes.

                Example:
                  secured sign content/ --key site-2026.key

                Exit status: 0 all signed; 1 a record could not be signed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @Option(help: ArgumentHelp("text (stderr) or json (one document on stdout).", valueName: "format"))
        var format: CommandFormat = .text

        func run() throws {
            let key = try keys.loadSingle(purpose: "sign")
            guard key.authenticationKey != nil else { throw Output.usage("key \(key.id) has no 'mac'; it cannot sign") }
            let files = try walk.files(paths)
            var report = FileReport(command: "sign")
            var changed = 0
            for file in files {
                do {
                    let didChange = try RecordFileOperations.sign(file, with: key, sizeLimit: walk.sizeLimit)
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
                Every record must carry a signature made by one of the given keys: an unsigned record is SR008, a malformed one SR009, an unknown key id SR010, a wrong tag SR011. The front matter is checked first (SR001, SR002, SR017).

                Example:
                  secured verify content/ --key site-2026.key

                Exit status: 0 all verified; 1 a verification failed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @Option(help: ArgumentHelp("text (stderr) or json (one document on stdout).", valueName: "format"))
        var format: CommandFormat = .text

        func run() throws {
            let ring = try keys.loadRequired(purpose: "verify")
            let files = try walk.files(paths)
            var report = FileReport(command: "verify")
            for file in files {
                do {
                    let id = try RecordFileOperations.verify(file, keys: ring, sizeLimit: walk.sizeLimit)
                    report.add(file, "valid", keyID: id)
                    if format == .text { Output.error("\(FilePath.display(file)): signature valid (key \(id))") }
                } catch {
                    report.add(error)
                    Output.error(error.description)
                }
            }
            if format == .json { Output.json(report) }
            Output.error(
                "verify: \(files.count) records: \(files.count - report.failed) valid, \(report.failed) failed")
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
