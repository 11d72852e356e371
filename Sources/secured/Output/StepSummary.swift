import SecuredRecords

/// The Markdown summary of a GitHub Actions step.
enum StepSummary {
    /// When `GITHUB_STEP_SUMMARY` names a file (a GitHub Actions step), appends a short
    /// Markdown summary to it: totals, counts by code, and the first findings linked to their
    /// file and line (from `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`).
    static func append(_ results: AuditRun, command: String, limit: Int = 20) {
        guard let path = Output.environment("GITHUB_STEP_SUMMARY"), !path.isEmpty else { return }
        let server = Output.environment("GITHUB_SERVER_URL") ?? "https://github.com"
        let repository = Output.environment("GITHUB_REPOSITORY")
        let sha = Output.environment("GITHUB_SHA")
        let locator = FindingLocator(workingDirectory: WorkingDirectory.current)
        let failed = results.recordsChecked - results.recordsPassed
        var md = "### secured \(command)\n\n"
        md +=
            "**\(results.recordsChecked.counted("record")) checked, \(results.recordsPassed) without errors\(failed > 0 ? ", \(failed) with errors" : "")**; \(results.errorCount.counted("error")), \(results.warningCount.counted("warning")).\n\n"
        if !results.countsByCode.isEmpty {
            md += "| code | findings | rule |\n|---|---|---|\n"
            for (code, count) in results.countsByCode.sorted(by: { $0.key < $1.key }) {
                let rule = RecordError.Code(rawValue: code)?.summary ?? ""
                md += "| \(code) | \(count) | \(markdown(rule)) |\n"
            }
            md += "\n"
        }
        var shown = 0
        var total = 0
        results.forEachFinding { f in
            total += 1
            guard shown < limit else { return }
            shown += 1
            let place = FilePath.display(f.file) + (f.line.map { ":\($0)" } ?? "")
            // Paths and reasons quote records: inert code spans, never live Markdown or HTML.
            var label = GitHubText.codeSpan(place)
            if let repository, let sha, let uri = locator.relativeURI(f.file) {
                label = "[\(label)](\(server)/\(repository)/blob/\(sha)/\(uri)\(f.line.map { "#L\($0)" } ?? ""))"
            }
            md += "- \(label) \(f.code.rawValue) \(GitHubText.codeSpan(f.reason))\n"
        }
        if total > shown { md += "- … and \(total - shown) more findings\n" }
        for note in results.notes { md += "\n> \(GitHubText.codeSpan(note.advisedDescription))\n" }
        if !Output.append(md + "\n", toFileAt: path) {
            Output.error("warning: cannot append the step summary to \(path)")
        }
    }

    /// Text safe inside a Markdown table or list item.
    private static func markdown(_ s: String) -> String {
        Escaping.replace(s, [("|", "\\|"), ("\n", " "), ("\r", " "), ("<", "&lt;"), (">", "&gt;")])
    }
}
