import SecuredRecords

/// Human text: one `file:line: error: SR0xx message` line a finding, its fix on an indented
/// `hint:` line below it, and a summary, on stderr.
enum TextRenderer {
    static func findings(_ results: AuditRun) {
        var sink = TextSink(toStdout: false)
        results.forEachFinding { sink.write(finding($0) + "\n") }
        sink.flush()
    }

    /// A finding's line, and below it, indented, how to fix it (``RecordError/hint``).
    static func finding(_ f: RecordError) -> String {
        f.description + (f.hint.map { "\n  hint: \($0)" } ?? "")
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
