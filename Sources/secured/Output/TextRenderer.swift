import SecuredRecords

/// Human text: one `file:line: error: SR0xx message` line a finding, and a summary, on stderr.
enum TextRenderer {
    static func findings(_ results: AuditRun) {
        var sink = TextSink(toStdout: false)
        results.forEachFinding { sink.write($0.description + "\n") }
        sink.flush()
    }

    static func summary(_ results: AuditRun, elapsed: Double, command: String) -> String {
        let failed = results.recordsChecked - results.recordsPassed
        let by = results.countsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var text =
            "\(command): \(results.recordsChecked) records checked, \(results.recordsPassed) passed, \(failed) failed; \(results.errorCount) errors, \(results.warningCount) warnings"
        if !by.isEmpty { text += " (\(by))" }
        text += "; \(Output.fixed(elapsed, 2))s"
        return text
    }
}
