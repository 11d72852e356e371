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

        @Flag(help: "Show what would change; write nothing.")
        var dryRun = false

        @Flag(help: "Re-seal records that have both 'secured' and a non-blank body (the body wins).")
        var reseal = false

        @Flag(help: "Do not sign (an existing signature is removed, as it could no longer match).")
        var noSign = false

        @Option(help: ArgumentHelp("text (stderr) or json (one document on stdout).", valueName: "format"))
        var format: CommandFormat = .text

        func run() throws {
            let key = try keys.loadSingle(purpose: "seal")
            let files = try walk.files(paths)
            var counts: [String: Int] = [:]
            var report = FileReport(command: dryRun ? "seal --dry-run" : "seal")
            let start = Output.now()
            let bar = ProgressBar(total: files.count)
            for (index, file) in files.enumerated() {
                do {
                    let result = try RecordFileOperations.seal(
                        file, with: key, reseal: reseal, sign: !noSign, choice: signing.choice, dryRun: dryRun,
                        sizeLimit: walk.sizeLimit)
                    var outcome = result.outcome.rawValue
                    if result.signed { outcome += " and signed" }
                    if result.removedSignature { outcome += "; its old signature was removed (not re-signed)" }
                    report.add(file, outcome, keyID: key.id)
                    counts[result.outcome.rawValue, default: 0] += 1
                    if format == .text {
                        let would = dryRun && result.outcome != .alreadySealed ? "would be " : ""
                        let with = result.signed ? " with \(key.id)" : ""
                        Output.error("\(FilePath.display(file)): \(would)\(outcome)\(with)")
                    }
                } catch {
                    counts["refused", default: 0] += 1
                    report.add(error)
                    Output.error(error.description)
                }
                bar.update(done: index + 1, total: files.count)
            }
            bar.finish()
            report.elapsedSeconds = ((Output.now() - start) * 1000).rounded() / 1000
            if format == .json { Output.json(report) }
            let summary = counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            Output.error(
                "seal\(dryRun ? " (dry run, nothing written)" : ""): \(files.count.counted("record")): \(summary); \(Output.fixed(Output.now() - start, 2))s"
            )
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
