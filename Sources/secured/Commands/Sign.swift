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
                "sign: \(files.count.counted("record")): \(changed) signed, \(files.count - changed - report.failed) unchanged, \(report.failed) failed"
            )
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
