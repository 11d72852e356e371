/// The result of a per-file operation over many files: one outcome a file, in order, and
/// the counts by action. The command line's one batch renderer reads this one shape.
package struct BatchReport: Sendable {
    /// The operation ("seal", "sign", "verify", "rotate").
    package let command: String
    /// Whether nothing was written (`seal --dry-run`): the outcomes say what would be.
    package let dryRun: Bool
    /// One outcome a file, in the order the files were given.
    package private(set) var outcomes: [FileOutcome] = []
    /// How many files had each action.
    package private(set) var counts: [FileOutcome.Action: Int] = [:]
    /// Seconds the whole operation took, when the caller measured it.
    package var elapsedSeconds: Double = 0

    /// An empty report.
    package init(command: String, dryRun: Bool = false) {
        self.command = command
        self.dryRun = dryRun
    }

    /// How many files failed.
    package var failed: Int { counts[.failed, default: 0] }

    /// The findings of the files that failed.
    package var failures: [RecordError] { outcomes.compactMap(\.error) }

    /// The files written (none in a dry run).
    package var written: [String] { dryRun ? [] : outcomes.filter(\.action.writes).map(\.file) }

    /// Adds one file's outcome.
    package mutating func add(_ outcome: FileOutcome) {
        outcomes.append(outcome)
        counts[outcome.action, default: 0] += 1
    }

    /// Runs `operation` on every file in order: a file that throws a `RecordError` is
    /// recorded as failed and the batch goes on.
    ///
    /// - Parameters:
    ///   - command: the operation's name.
    ///   - dryRun: whether the operation writes nothing.
    ///   - files: the files, in order.
    ///   - operation: the work on one file.
    ///   - progress: called after each file with its outcome and how many files are done.
    /// - Returns: the report.
    package static func run(
        _ command: String, dryRun: Bool = false, files: [String],
        operation: (String) throws(RecordError) -> FileOutcome,
        progress: (FileOutcome, Int) -> Void = { _, _ in }
    ) -> BatchReport {
        var report = BatchReport(command: command, dryRun: dryRun)
        for (index, file) in files.enumerated() {
            let outcome: FileOutcome
            do {
                outcome = try operation(file)
            } catch {
                outcome = FileOutcome(failed: error)
            }
            report.add(outcome)
            progress(outcome, index + 1)
        }
        return report
    }
}
