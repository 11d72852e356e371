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

        @Flag(
            help: "A line for every record (by default only up to \(Secured.Seal.quietAbove) records; then a summary).")
        var verbose = false

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions
        @OptionGroup var signing: SigningOptions

        @OptionGroup var output: FormatOptions<PlainFormats>

        func run() throws {
            let key = try keys.loadSingle(purpose: "sign", near: paths)
            try key.require(.sign(signing.choice))
            let scope = walk.scope()
            let files = try WalkOptions.files(paths, in: scope)
            let shown = verbose || files.count <= Secured.Seal.quietAbove
            let report = BatchRenderer.run("sign", files: files, lines: .changes(shown: shown), format: output.format) {
                file throws(RecordError) in
                let changed = try RecordFileOperations.sign(
                    file, with: key, choice: signing.choice, sizeLimit: scope.sizeLimit)
                return FileOutcome(
                    file: file, action: changed ? .signed : .alreadySigned, signed: changed, keyID: key.id)
            }
            BatchRenderer.render(report, format: output.format)
            StaleManifest.say(changed: report.written, in: scope)
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
