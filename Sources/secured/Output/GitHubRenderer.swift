import SecuredRecords

/// GitHub Actions workflow commands: one `::error file=…,line=…,title=SR0xx::…` annotation a finding.
enum GitHubRenderer {
    static func render(_ results: AuditRun) {
        var sink = TextSink(toStdout: true)
        results.forEachFinding { sink.write(annotation($0) + "\n") }
        sink.flush()
    }

    static func annotation(_ f: RecordError) -> String {
        var props = "file=\(GitHubText.escapeProperty(FilePath.display(f.file)))"
        if let line = f.line { props += ",line=\(line)" }
        props += ",title=\(GitHubText.escapeProperty(f.code.rawValue))"
        let kind = f.severity == .error ? "error" : "warning"
        return "::\(kind) \(props)::\(GitHubText.escapeData(f.code.rawValue + " " + f.reason))"
    }
}
