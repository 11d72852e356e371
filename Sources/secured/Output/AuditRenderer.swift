import SecuredRecords

/// Renders an audit-like run (audit, audit-merge, manifest check) in the chosen format:
/// notes first, then the findings as they are read back, then the summary on stderr. A run
/// whose findings could not all be kept ends with that error (it fails closed).
enum AuditRenderer {
    static func render(
        _ results: AuditRun, format: OutputFormat, elapsed: Double, command: String,
        shard: (index: Int, count: Int)? = nil, summary: String? = nil
    ) {
        for note in results.notes { Output.note(note) }
        switch format {
        case .text: TextRenderer.findings(results)
        case .json: JSONRenderer.render(results, elapsed: elapsed)
        case .junit: JUnitRenderer.render(results, elapsed: elapsed, command: command)
        case .github: GitHubRenderer.render(results)
        case .sarif: SARIFRenderer.render(results, command: command, shard: shard)
        }
        Output.error(summary ?? TextRenderer.summary(results, elapsed: elapsed, command: command))
        if let failure = results.ioFailure { Output.error("\(command): error: \(failure); the report is incomplete") }
        StepSummary.append(results, command: command)
    }
}
