import ArgumentParser
import SecuredRecords

extension Secured {
    struct Seal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Seal records in place: encrypt each body into 'secured' and sign (Ed25519 when the key has 'sign').",
            discussion: """
                Folders are walked recursively for *.md files (--include to change). For each record: sealed, already sealed (left untouched), or refused with the reason. A record with both 'secured' and a non-blank body is refused unless --reseal is given. Files are replaced atomically; a refused record is never changed.

                Examples:
                  secured seal content/ --key site-2026.key --dry-run
                  secured seal content/ --key site-2026.key

                Exit status: 0 every record sealed or already sealed; 1 a record was refused or could not be written; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions
        @OptionGroup var signing: SigningOptions

        @Flag(help: "A line for every record (by default only up to \(Self.quietAbove) records; then a summary).")
        var verbose = false

        /// Above this many records, per-file lines are left out unless asked for (`--verbose`):
        /// 20,000 lines of "sealed" tell a person nothing the summary does not.
        static let quietAbove = 50

        @Flag(help: "Show what would change; write nothing.")
        var dryRun = false

        @Flag(help: "Re-seal records that have both 'secured' and a non-blank body (the body wins).")
        var reseal = false

        @Flag(help: "Do not sign (an existing signature is removed, as it could no longer match).")
        var noSign = false

        @OptionGroup var output: FormatOptions<PlainFormats>

        func run() throws {
            let key = try keys.loadSingle(purpose: "seal", near: paths)
            try key.require(.seal(signed: !noSign))
            let scope = walk.scope()
            let files = try WalkOptions.files(paths, in: scope)
            let shown = verbose || files.count <= Self.quietAbove
            let report = BatchRenderer.run(
                "seal", dryRun: dryRun, files: files, lines: .changes(shown: shown), format: output.format
            ) { file throws(RecordError) in
                let result = try RecordFileOperations.seal(
                    file, with: key, reseal: reseal, sign: !noSign, choice: signing.choice, dryRun: dryRun,
                    sizeLimit: scope.sizeLimit)
                return FileOutcome(
                    file: file, action: .init(result.outcome), signed: result.signed,
                    removedSignature: result.removedSignature, keyID: key.id)
            }
            BatchRenderer.render(report, format: output.format, title: dryRun ? "seal (dry run, nothing written)" : nil)
            StaleManifest.say(changed: report.written, in: scope)
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
