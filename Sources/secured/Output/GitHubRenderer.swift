import SecuredRecords

/// GitHub Actions workflow commands: one `::error file=…,line=…,title=SR0xx::…` annotation a finding.
enum GitHubRenderer {
    static func render(_ results: AuditRun) {
        var sink = TextSink(.annotations)
        for case let line? in results.notes.map(annotation) { sink.write(line + "\n") }
        results.forEachFinding { sink.write(annotation($0) + "\n") }
        sink.flush()
    }

    /// A note that a reviewer must see (``Note/Kind/isWarning``) as a `::warning` annotation
    /// on its file; `nil` for the others, which stay on stderr.
    static func annotation(_ note: Note) -> String? {
        guard note.kind.isWarning else { return nil }
        var props: [String] = []
        if let path = note.path {
            props.append("file=\(GitHubText.escapeProperty(FilePath.visible(path, keeping: ["\n", "\r"])))")
        }
        if let line = note.line { props.append("line=\(line)") }
        props.append("title=\(GitHubText.escapeProperty("secured: \(note.kind.rawValue)"))")
        return
            "::warning \(props.joined(separator: ","))::\(GitHubText.escapeData(FilePath.visible(note.advisedMessage)))"
    }

    static func annotation(_ f: RecordError) -> String {
        // A line break in a file name is %0A in the property (the runner reads it back, so
        // the annotation names the real file); every other control character stays \xHH.
        var props = "file=\(GitHubText.escapeProperty(FilePath.visible(f.file, keeping: ["\n", "\r"])))"
        if let line = f.line { props += ",line=\(line)" }
        props += ",title=\(GitHubText.escapeProperty(f.code.rawValue))"
        let kind = f.severity == .error ? "error" : "warning"
        // The hint that text and SARIF carry, on a line of its own in the annotation.
        let hint = Hints.hint(f).map { "\nhint: " + FilePath.visible($0) } ?? ""
        return "::\(kind) \(props)::\(GitHubText.escapeData(f.code.rawValue + " " + FilePath.visible(f.reason) + hint))"
    }
}
