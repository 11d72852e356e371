/// The result of a per-file operation over many files: one outcome a file, in order, and
/// the counts by kind. Every renderer reads this one shape.
public struct BatchReport: Sendable {
    /// The operation ("seal", "sign", "verify", "rotate").
    public let command: String
    /// One outcome a file, in the order the files were given.
    public private(set) var outcomes: [FileOutcome] = []
    /// How many files had each kind of outcome.
    public private(set) var counts: [String: Int] = [:]
    /// Seconds the whole operation took, when the caller measured it.
    public var elapsedSeconds: Double = 0

    /// An empty report.
    ///
    /// - Parameter command: the operation's name.
    public init(command: String) { self.command = command }

    /// How many files failed.
    public var failed: Int { counts["failed", default: 0] }

    /// The findings of the files that failed.
    public var failures: [RecordError] { outcomes.compactMap(\.error) }

    /// Adds one file's outcome.
    ///
    /// - Parameter outcome: what happened to it.
    public mutating func add(_ outcome: FileOutcome) {
        outcomes.append(outcome)
        counts[outcome.kind, default: 0] += 1
    }

    /// Runs `operation` on every file in order: a file that throws a ``RecordError`` is
    /// recorded as failed and the batch goes on.
    ///
    /// - Parameters:
    ///   - command: the operation's name.
    ///   - files: the files, in order.
    ///   - operation: the work on one file.
    ///   - progress: called after each file with its outcome and how many files are done.
    /// - Returns: the report.
    public static func run(
        _ command: String, files: [String], operation: (String) throws(RecordError) -> FileOutcome,
        progress: (FileOutcome, Int) -> Void = { _, _ in }
    ) -> BatchReport {
        var report = BatchReport(command: command)
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
