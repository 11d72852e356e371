import SecuredRecords

/// Human text: one `file:line: error: SR0xx message` line a finding and its fix on an indented
/// `hint:` line below it, on stdout (a report's findings are its data, SPEC 1.3 section 8);
/// the summary on stderr.
enum TextRenderer {
    /// The findings, each hint shown once: a hint that only differs by the record's path from
    /// one shown above (the same fix for 300 records signed by a key nobody passed) is left out,
    /// and a last line says how many findings it applies to.
    static func findings(_ results: AuditRun) {
        var sink = TextSink(.text)
        var shown: [String: (code: String, count: Int)] = [:]
        var order: [String] = []
        results.forEachFinding { f in
            guard let hint = Hints.hint(f) else { return sink.write(finding(f) + "\n") }
            let shape = f.code.rawValue + "\u{0}" + hint.replacingEach(ShellWord.quoted(f.file), with: "\u{0}")
            if let seen = shown[shape] {
                shown[shape] = (seen.code, seen.count + 1)
                sink.write(GitHubText.inertLines(f.description) + "\n")
            } else {
                shown[shape] = (f.code.rawValue, 1)
                order.append(shape)
                sink.write(finding(f) + "\n")
            }
        }
        for shape in order where shown[shape]!.count > 1 {
            let (code, count) = shown[shape]!
            sink.write(
                "(the \(code) hint above applies to all \(count) such \(code) findings, each with its own path)\n")
        }
        sink.flush()
    }

    /// A finding's line, and below it, indented, how to fix it (``RecordError/hint``).
    /// Inert for a terminal and a CI log whichever stream it goes to
    /// (``GitHubText/inertLines(_:)``).
    static func finding(_ f: RecordError) -> String {
        GitHubText.inertLines(f.description + (Hints.hint(f).map { "\n  hint: \($0)" } ?? ""))
    }

    static func summary(_ results: AuditRun, elapsed: Double, command: String) -> String {
        let failed = results.recordsChecked - results.recordsPassed
        let by = results.countsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        // A merge compares the shards' sealed records (SR014, SR015); the shards checked the rest.
        let checked =
            command == "audit-merge"
            ? "\(results.recordsChecked.counted("sealed record")) compared"
            : "\(results.recordsChecked.counted("record")) checked"
        var text =
            "\(command): \(checked), \(results.recordsPassed) passed, \(failed) failed; \(results.errorCount.counted("error")), \(results.warningCount.counted("warning"))"
        if !by.isEmpty { text += " (\(by))" }
        // Counts that add up: errors about no record (a manifest, a folder) are said apart.
        let outside = results.errorsOutsideRecords
        if outside > 0 && results.recordsChecked > 0 {
            text +=
                "; \(outside == 1 ? "1 error is" : "\(outside) errors are") about other files (a manifest, a folder)"
        }
        text += "; \(Output.fixed(elapsed, 2))s"
        return text
    }
}
