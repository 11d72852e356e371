import SecuredRecords

#if canImport(FoundationEssentials)
    import FoundationEssentials  // JSONEncoder, without ICU
#else
    import Foundation
#endif

/// Renders an audit run in one of the output formats.
enum Reporter {
    /// Text written in chunks, so that a long report costs few system calls.
    struct Sink {
        let toStdout: Bool
        var buffer = ""

        mutating func write(_ text: String) {
            buffer += text
            if buffer.utf8.count >= 1 << 16 { flush() }
        }

        mutating func flush() {
            guard !buffer.isEmpty else { return }
            if toStdout { Output.data(buffer) } else { Output.error(buffer) }
            buffer = ""
        }
    }

    /// Renders `results`, streaming findings as they are read back, then the summary; a run
    /// whose findings could not all be kept ends with that error (it fails closed).
    /// The JSON document has its keys sorted, so output is stable.
    static func render(
        _ results: AuditRun, format: OutputFormat, elapsed: Double, command: String,
        shard: (index: Int, count: Int)? = nil
    ) {
        for note in results.notes { Output.error(note.description) }
        switch format {
        case .text:
            var sink = Sink(toStdout: false)
            results.forEachFinding { sink.write($0.description + "\n") }
            sink.flush()
        case .json:
            var sink = Sink(toStdout: true)
            let counts = results.countsByCode.sorted { $0.key < $1.key }.map { "    \(json($0.key)) : \($0.value)" }
            sink.write("{\n")
            sink.write("  \"corpusChecksCoverShardOnly\" : \(results.corpusChecksCoverShardOnly),\n")
            sink.write("  \"counts\" : {\(counts.isEmpty ? "" : "\n" + counts.joined(separator: ",\n") + "\n  ")},\n")
            sink.write("  \"elapsedSeconds\" : \((elapsed * 1000).rounded() / 1000),\n")
            sink.write("  \"errors\" : \(results.errorCount),\n")
            sink.write("  \"findings\" : [")
            var first = true
            results.forEachFinding { f in
                sink.write((first ? "\n    " : ",\n    ") + json(JSONFinding(f)))
                first = false
            }
            sink.write(first ? "],\n" : "\n  ],\n")
            if let failure = results.ioFailure { sink.write("  \"ioFailure\" : \(json(failure)),\n") }
            let notes = results.notes.map { "\n    " + json(JSONNote($0)) }
            sink.write("  \"notes\" : [\(notes.joined(separator: ","))\(notes.isEmpty ? "" : "\n  ")],\n")
            sink.write("  \"recordsChecked\" : \(results.recordsChecked),\n")
            sink.write("  \"recordsPassed\" : \(results.recordsPassed),\n")
            sink.write("  \"tool\" : \"secured\",\n")
            sink.write("  \"version\" : \(json(Secured.version)),\n")
            sink.write("  \"warnings\" : \(results.warningCount),\n")
            let yaml = results.yamlChecks
            sink.write("  \"yamlChecks\" : {\"libyaml\" : \(yaml.libyaml), \"onePass\" : \(yaml.onePass)}\n")
            sink.write("}\n")
            sink.flush()
        case .junit:
            junit(results, elapsed: elapsed, command: command)
        case .github:
            var sink = Sink(toStdout: true)
            results.forEachFinding { sink.write(github($0) + "\n") }
            sink.flush()
        case .sarif:
            sarif(results, command: command, shard: shard)
        }
        Output.error(summary(results, elapsed: elapsed, command: command))
        if let failure = results.ioFailure { Output.error("\(command): error: \(failure); the report is incomplete") }
        stepSummary(results, command: command)
    }

    /// When `GITHUB_STEP_SUMMARY` names a file (a GitHub Actions step), appends a short
    /// Markdown summary to it: totals, counts by code, and the first findings linked to their
    /// file and line (from `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY` and `GITHUB_SHA`).
    static func stepSummary(_ results: AuditRun, command: String, limit: Int = 20) {
        guard let path = Output.environment("GITHUB_STEP_SUMMARY"), !path.isEmpty else { return }
        let server = Output.environment("GITHUB_SERVER_URL") ?? "https://github.com"
        let repository = Output.environment("GITHUB_REPOSITORY")
        let sha = Output.environment("GITHUB_SHA")
        let locator = FindingLocator()
        let failed = results.recordsChecked - results.recordsPassed
        var md = "### secured \(command)\n\n"
        md +=
            "**\(results.recordsChecked) records checked, \(results.recordsPassed) without errors\(failed > 0 ? ", \(failed) with errors" : "")**; \(results.errorCount) errors, \(results.warningCount) warnings.\n\n"
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
        for note in results.notes { md += "\n> \(GitHubText.codeSpan(note.description))\n" }
        if !Output.append(md + "\n", toFileAt: path) {
            Output.error("warning: cannot append the step summary to \(path)")
        }
    }

    /// Text safe inside a Markdown table or list item.
    private static func markdown(_ s: String) -> String {
        escape(s, [("|", "\\|"), ("\n", " "), ("\r", " "), ("<", "&lt;"), (">", "&gt;")])
    }

    /// One JSON value on one line, keys sorted.
    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
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

    static func github(_ f: RecordError) -> String {
        var props = "file=\(GitHubText.escapeProperty(FilePath.display(f.file)))"
        if let line = f.line { props += ",line=\(line)" }
        props += ",title=\(GitHubText.escapeProperty(f.code.rawValue))"
        let kind = f.severity == .error ? "error" : "warning"
        return "::\(kind) \(props)::\(GitHubText.escapeData(f.code.rawValue + " " + f.reason))"
    }

    /// By scalar: "\r\n" is one `Character`, and each half must be escaped.
    private static func escape(_ s: String, _ table: [(Unicode.Scalar, String)]) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if let replacement = table.first(where: { $0.0 == c })?.1 {
                out += replacement
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// JUnit XML: one test case per record (and per other path with findings).
    static func junit(_ results: AuditRun, elapsed: Double, command: String) {
        // A first pass for the totals the header needs, a second to write the cases.
        var cases = 0
        var failures = 0
        results.forEachPath { _, _, findings in
            cases += 1
            if findings.contains(where: { $0.severity == .error }) { failures += 1 }
        }
        var sink = Sink(toStdout: true)
        let time = Output.fixed(elapsed, 3)
        sink.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        sink.write(
            "<testsuites name=\"secured\" tests=\"\(cases)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n")
        sink.write(
            "  <testsuite name=\"\(escapeXML(command))\" tests=\"\(cases)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(time)\">\n"
        )
        results.forEachPath { file, _, findings in
            sink.write(
                "    <testcase classname=\"secured.audit\" name=\"\(escapeXML(FilePath.display(file)))\" time=\"0\"")
            if findings.isEmpty {
                sink.write("/>\n")
                return
            }
            sink.write(">\n")
            let errors = findings.filter { $0.severity == .error }
            if let first = errors.first {
                let text = errors.map(\.description).joined(separator: "\n")
                sink.write(
                    "      <failure type=\"\(first.code.rawValue)\" message=\"\(escapeXML(first.code.rawValue + " " + first.reason))\">\(escapeXML(text))</failure>\n"
                )
            }
            let warnings = findings.filter { $0.severity == .warning }
            if !warnings.isEmpty {
                sink.write(
                    "      <system-out>\(escapeXML(warnings.map(\.description).joined(separator: "\n")))</system-out>\n"
                )
            }
            sink.write("    </testcase>\n")
        }
        sink.write("  </testsuite>\n</testsuites>\n")
        sink.flush()
    }

    static func escapeXML(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                // XML 1.0 cannot carry other control characters, even escaped.
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    out += "?"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    // MARK: - SARIF 2.1.0

    struct SARIFMessage: Encodable { var text: String }
    struct SARIFLevel: Encodable { var level: String }
    struct SARIFRule: Encodable {
        var id, name: String
        var shortDescription, fullDescription, help: SARIFMessage
        var defaultConfiguration: SARIFLevel
    }
    struct SARIFArtifact: Encodable {
        var uri: String
        var uriBaseId: String?
    }
    struct SARIFRegion: Encodable { var startLine: Int }
    struct SARIFPhysical: Encodable {
        var artifactLocation: SARIFArtifact
        var region: SARIFRegion
    }
    struct SARIFLocation: Encodable { var physicalLocation: SARIFPhysical }
    struct SARIFNotification: Encodable {
        var level = "note"
        var message: SARIFMessage
        var locations: [SARIFLocation]?
    }
    struct SARIFResult: Encodable {
        var ruleId: String
        var ruleIndex: Int
        var level: String
        var message: SARIFMessage
        var locations: [SARIFLocation]
        var partialFingerprints: [String: String]
    }

    /// SARIF 2.1.0 for code scanning: each SR code a rule (SPEC section 7's text and how to
    /// fix it), each finding a result located relative to the repository root, with a
    /// fingerprint that survives lines inserted above it; notes are tool notifications;
    /// shards get an automation id each. Results stream as they are read back.
    static func sarif(_ results: AuditRun, command: String, shard: (index: Int, count: Int)?) {
        var locator = FindingLocator()
        let rules = RecordError.Code.diagnostics
        func location(_ path: String, line: Int?) -> SARIFLocation {
            let artifact =
                locator.relativeURI(path).map { SARIFArtifact(uri: $0, uriBaseId: "SRCROOT") }
                ?? SARIFArtifact(uri: locator.absoluteURI(path), uriBaseId: nil)
            return SARIFLocation(
                physicalLocation: SARIFPhysical(artifactLocation: artifact, region: SARIFRegion(startLine: line ?? 1)))
        }
        let ruleList = rules.map { code in
            SARIFRule(
                id: code.rawValue, name: code.ruleName, shortDescription: SARIFMessage(text: code.summary),
                fullDescription: SARIFMessage(text: code.summary + " " + "(SPEC section 7)"),
                help: SARIFMessage(text: code.help),
                defaultConfiguration: SARIFLevel(level: code.severity == .error ? "error" : "warning"))
        }
        let notes = results.notes.map { note in
            SARIFNotification(
                message: SARIFMessage(text: note.message), locations: note.path.map { [location($0, line: note.line)] })
        }
        var sink = Sink(toStdout: true)
        sink.write(
            "{\n  \"$schema\" : \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\" : \"2.1.0\",\n")
        sink.write("  \"runs\" : [\n    {\n")
        if let shard {
            sink.write(
                "      \"automationDetails\" : {\"id\" : \(json("secured/\(command)/shard-\(shard.index)-of-\(shard.count)/"))},\n"
            )
        }
        sink.write("      \"invocations\" : [{\"executionSuccessful\" : \(results.ioFailure == nil), ")
        sink.write("\"toolExecutionNotifications\" : [\(notes.map { json($0) }.joined(separator: ", "))]}],\n")
        sink.write("      \"originalUriBaseIds\" : {\"SRCROOT\" : {\"uri\" : \(json(locator.rootURI))}},\n")
        sink.write("      \"results\" : [")
        var first = true
        results.forEachFinding { f in
            guard let index = rules.firstIndex(of: f.code) else { return }
            let place = location(f.file, line: f.line)
            let uri = place.physicalLocation.artifactLocation.uri
            let result = SARIFResult(
                ruleId: f.code.rawValue, ruleIndex: index, level: f.severity == .error ? "error" : "warning",
                message: SARIFMessage(text: f.reason), locations: [place],
                partialFingerprints: ["securedFinding/v1": locator.fingerprint(of: f, uri: uri)])
            sink.write((first ? "\n        " : ",\n        ") + json(result))
            first = false
        }
        sink.write(first ? "],\n" : "\n      ],\n")
        sink.write("      \"tool\" : {\"driver\" : {\"informationUri\" : \"https://github.com/OWNER/secured\", ")
        sink.write("\"name\" : \"secured\", \"semanticVersion\" : \(json(Secured.version)), ")
        sink.write("\"rules\" : [\n        \(ruleList.map { json($0) }.joined(separator: ",\n        "))\n      ]}}\n")
        sink.write("    }\n  ]\n}\n")
        sink.flush()
    }
}
