import SecuredRecords

/// Human text: one `file:line: error: SR0xx message` line a finding and its fix on an indented
/// `hint:` line below it, on stdout (a report's findings are its data, SPEC 1.3 section 8);
/// the summary on stderr.
enum TextRenderer {
    static func findings(_ results: AuditRun) {
        var sink = TextSink(toStdout: true)
        results.forEachFinding { sink.write(finding($0) + "\n") }
        sink.flush()
    }

    /// A finding's line, and below it, indented, how to fix it (``RecordError/hint``).
    /// Inert for a terminal and a CI log whichever stream it goes to
    /// (``GitHubText/inertLines(_:)``).
    static func finding(_ f: RecordError) -> String {
        GitHubText.inertLines(f.description + (f.hint.map { "\n  hint: \($0)" } ?? ""))
    }

    static func summary(_ results: AuditRun, elapsed: Double, command: String) -> String {
        let failed = results.recordsChecked - results.recordsPassed
        let by = results.countsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var text =
            "\(command): \(results.recordsChecked.counted("record")) checked, \(results.recordsPassed) passed, \(failed) failed; \(results.errorCount.counted("error")), \(results.warningCount.counted("warning"))"
        if !by.isEmpty { text += " (\(by))" }
        text += "; \(Output.fixed(elapsed, 2))s"
        return text
    }
}
