import ArgumentParser
import SecuredRecords

extension Secured {
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal and re-sign records from one key to another.",
            discussion: """
                Each sealed record is opened with the old key (its signature verified first), sealed again with a fresh IV under the new key and signed, then replaced atomically. A record that is signed by the old key but not sealed (a public post) is signed again with the new key, so that no record stays vouched for by a retired key. Records already signed by the new key are skipped, so an interrupted run is simply run again; so are records neither sealed nor signed.

                Example:
                  secured rotate content/ --from site-2025.key --to site-2026.key

                Exit status: 0 every record rotated or skipped; 1 a record could not be opened or written; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @Option(help: ArgumentHelp("The old key file.", valueName: "path"))
        var from: String

        @Option(help: ArgumentHelp("The new key file.", valueName: "path"))
        var to: String

        @OptionGroup var age: IdentityOptions
        @OptionGroup var walk: WalkOptions
        @OptionGroup var signing: SigningOptions

        @Option(help: ArgumentHelp("text (stderr) or json (one document on stdout).", valueName: "format"))
        var format: CommandFormat = .text

        func run() throws {
            let identities = try age.load()
            let old = try KeyOptions.loadSingle([from], purpose: "rotate --from", identities: identities)
            let new = try KeyOptions.loadSingle([to], purpose: "rotate --to", identities: identities)
            if let problem = RecordFileOperations.rotationTargetProblem(new) { throw Output.usage(problem) }
            let files = try walk.files(paths)
            var counts: [RecordFileOperations.RotationOutcome: Int] = [:]
            var report = FileReport(command: "rotate")
            let bar = ProgressBar(total: files.count)
            for (index, file) in files.enumerated() {
                do {
                    let outcome = try RecordFileOperations.rotate(
                        file, from: old, to: new, choice: signing.choice, sizeLimit: walk.sizeLimit)
                    counts[outcome, default: 0] += 1
                    report.add(file, outcome.rawValue, keyID: new.id)
                } catch {
                    report.add(error)
                    Output.error(error.description)
                }
                bar.update(done: index + 1, total: files.count)
            }
            bar.finish()
            if format == .json { Output.json(report) }
            let skipped = counts[.notSealed, default: 0] + counts[.alreadyRotated, default: 0]
            Output.error(
                "rotate \(old.id) -> \(new.id): \(files.count.counted("record")): \(counts[.rotated, default: 0]) re-sealed and re-signed, \(counts[.resigned, default: 0]) re-signed (not sealed), \(skipped) skipped, \(report.failed) failed"
            )
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
