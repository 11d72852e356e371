import SecuredRecords

/// Renders the per-file commands (seal, sign, verify, rotate): a line for each file as it is
/// done, then the report in the chosen format (stdout) and one summary line (stderr), the same
/// for every command: "seal: 3 records: 2 sealed, 1 failed; 0.12s".
enum BatchRenderer {
    /// Which per-file lines a command writes as it goes (in text, a failure's finding is always
    /// said; in the other formats it is in the report on stdout only).
    enum Lines {
        /// seal, sign: on stderr, in text, when `shown` (few records, or `--verbose`).
        case changes(shown: Bool)
        /// verify: each record's verdict, on stdout in text (it is the report).
        case verdicts
        /// rotate: only the records that carried no signature, on stderr, in every format.
        case unsigned
    }

    /// Runs `operation` on every file, timed, writing the per-file `lines` and a progress bar.
    static func run(
        _ command: String, dryRun: Bool = false, files: [String], lines: Lines, format: OutputFormat,
        operation: (String) throws(RecordError) -> FileOutcome
    ) -> BatchReport {
        let start = Output.now()
        let bar = ProgressBar(total: files.count)
        var report = BatchReport.run(command, dryRun: dryRun, files: files, operation: operation) { outcome, done in
            say(outcome, lines: lines, format: format, dryRun: dryRun)
            bar.update(done: done, total: files.count)
        }
        bar.finish()
        report.elapsedSeconds = Output.now() - start
        return report
    }

    /// The report in `format` on stdout, then the summary line, titled `title` (the
    /// command's name when `nil`), on stderr.
    static func render(_ report: BatchReport, format: OutputFormat, title: String? = nil) {
        switch format {
        case .text: break
        case .json: Output.json(FileReport(report))
        case .github:
            for failure in report.failures {
                Output.data(GitHubRenderer.annotation(failure) + "\n", as: .annotations)
            }
        case .sarif:
            SARIFRenderer.render(AuditRun(findings: report.failures, notes: []), command: report.command, shard: nil)
        case .junit:
            let run = AuditRun(records: report.outcomes.map(\.file), findings: report.failures, notes: [])
            JUnitRenderer.render(run, elapsed: report.elapsedSeconds, command: report.command)
        }
        Output.error(summary(report, title: title ?? report.command))
    }

    /// "seal: 3 records: 2 sealed, 1 failed; 0.12s": each kind of outcome that happened, in
    /// one order for every command, then the failures (0 included), then the time taken.
    static func summary(_ report: BatchReport, title: String) -> String {
        var parts: [(label: String, count: Int)] = []
        for action in FileOutcome.Action.allCases where action != .failed {
            guard let count = report.counts[action], count > 0 else { continue }
            if let index = parts.firstIndex(where: { $0.label == counted(action) }) {
                parts[index].count += count
            } else {
                parts.append((counted(action), count))
            }
        }
        parts.append((counted(.failed), report.failed))
        let list = parts.map { "\($0.count) \($0.label)" }.joined(separator: ", ")
        return
            "\(title): \(report.outcomes.count.counted("record")): \(list); \(Output.fixed(report.elapsedSeconds, 2))s"
    }

    /// How the summary counts an action.
    static func counted(_ action: FileOutcome.Action) -> String {
        switch action {
        case .resealed: return "re-sealed"
        case .rotated: return "re-sealed and re-signed"
        case .resigned: return "re-signed (not sealed)"
        case .resealedUnsigned: return "re-sealed but not signed (they carried no signature)"
        case .signedUnsigned: return "unsigned signed (--sign-unsigned)"
        case .notSealed, .alreadyRotated: return "skipped"
        case .sealed, .alreadySealed, .signed, .alreadySigned, .valid, .failed: return action.rawValue
        }
    }

    /// What happened to a file, in words (a JSON entry's `outcome`): "sealed and signed",
    /// "already signed", "re-sealed, not signed".
    static func phrase(_ outcome: FileOutcome) -> String {
        var text = outcome.action.rawValue
        guard outcome.action == .sealed || outcome.action == .resealed else { return text }
        if outcome.signed { text += " and signed" }
        if outcome.removedSignature { text += "; its old signature was removed (not re-signed)" }
        return text
    }

    /// The line said for a file as it is done, and where, if any.
    static func say(_ outcome: FileOutcome, lines: Lines, format: OutputFormat, dryRun: Bool) {
        let shown = FilePath.display(outcome.file)
        switch lines {
        case .verdicts where format == .text:
            let verdict = outcome.error.map(TextRenderer.finding)
            Output.data((verdict ?? "\(shown): signature valid (key \(outcome.keyID ?? ""))") + "\n")
            return
        default:
            // A failure's finding is data: in text it is said here (stderr); in the other
            // formats it is in the report on stdout only (SPEC 8.1), never said twice.
            if let error = outcome.error {
                if format == .text { Output.error(TextRenderer.finding(error)) }
                return
            }
        }
        switch lines {
        case .changes(let show) where show && format == .text:
            let would = dryRun && outcome.action.writes ? "would be " : ""
            let key = outcome.action == .signed || outcome.action == .alreadySigned || outcome.signed
            let with = key ? " with \(outcome.keyID ?? "")" : ""
            Output.error("\(shown): \(would)\(phrase(outcome))\(with)")
        case .unsigned where outcome.action == .resealedUnsigned:
            Output.error("\(shown): re-sealed but not signed: it carried no signature")
        case .unsigned where outcome.action == .signedUnsigned:
            Output.error("\(shown): signed although it carried no signature (--sign-unsigned)")
        default: break
        }
    }
}

/// The JSON document of the per-file commands (seal, sign, verify, rotate): one entry per
/// file, with what happened or the finding that stopped it.
struct FileReport: Encodable {
    struct Entry: Encodable {
        var file: String
        var outcome: String
        var keyID: String?
        var error: JSONFinding?
    }

    var command: String
    var tool = "secured"
    var version = Secured.version
    var files: [Entry]
    var failed: Int
    var elapsedSeconds: Double

    init(_ report: BatchReport) {
        command = report.dryRun ? report.command + " --dry-run" : report.command
        files = report.outcomes.map {
            Entry(
                file: FilePath.display($0.file), outcome: BatchRenderer.phrase($0), keyID: $0.keyID,
                error: $0.error.map(JSONFinding.init))
        }
        failed = report.failed
        elapsedSeconds = (report.elapsedSeconds * 1000).rounded() / 1000
    }
}
