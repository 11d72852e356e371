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

        @OptionGroup var output: FormatOptions<CheckingFormats>

        func run() throws {
            let scope = walk.scope(signaturesRequired: true)
            let files = try WalkOptions.files(paths, in: scope)
            let loaded = try keys.load(in: scope)
            for note in loaded.notes { Output.note(note) }
            let ring = loaded.ring
            try SignatureRequirement.check(keys: ring, flag: "verify", files: files, policies: nil)
            // In text, each record's verdict is the report (stdout); in the other formats the
            // report is the document and holds the failures (stderr has only the summary).
            let report = BatchRenderer.run("verify", files: files, lines: .verdicts, format: output.format) {
                file throws(RecordError) in
                let id = try RecordFileOperations.verify(file, keys: ring, sizeLimit: scope.sizeLimit)
                return FileOutcome(file: file, action: .valid, keyID: id)
            }
            BatchRenderer.render(report, format: output.format)
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
