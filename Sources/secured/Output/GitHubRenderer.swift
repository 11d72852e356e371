import SecuredRecords

/// GitHub Actions workflow commands: one `::error file=…,line=…,title=SR0xx::…` annotation a finding.
enum GitHubRenderer {
    static func render(_ results: AuditRun) {
        var sink = TextSink(toStdout: true)
        results.forEachFinding { sink.write(annotation($0) + "\n") }
        sink.flush()
    }

    static func annotation(_ f: RecordError) -> String {
        var props = "file=\(escapeProperty(FilePath.display(f.file)))"
        if let line = f.line { props += ",line=\(line)" }
        props += ",title=\(escapeProperty(f.code.rawValue))"
        let kind = f.severity == .error ? "error" : "warning"
        return "::\(kind) \(props)::\(escapeData(f.code.rawValue + " " + f.reason))"
    }

    /// GitHub's workflow-command escaping of a message.
    private static func escapeData(_ s: String) -> String {
        Escaping.replace(s, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A")])
    }

    /// ... and of a property (file, title), where `:` and `,` separate things.
    private static func escapeProperty(_ s: String) -> String {
        Escaping.replace(s, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")])
    }
}
