import Foundation
import SecuredRecords

/// Renders an audit report in one of the output formats.
enum Reporter {
    /// The JSON document (`--format json`), keys sorted so output is stable.
    struct JSONReport: Encodable {
        struct Finding: Encodable {
            var code: String
            var severity: String
            var file: String
            var line: Int?
            var field: String?
            var message: String
        }
        var tool = "secured"
        var version = Secured.version
        var recordsChecked: Int
        var recordsPassed: Int
        var errors: Int
        var warnings: Int
        var counts: [String: Int]
        var findings: [Finding]
        var notes: [String]
        var corpusChecksCoverShardOnly: Bool
        var elapsedSeconds: Double
    }

    static func render(_ report: AuditReport, format: OutputFormat, elapsed: Double, command: String) {
        switch format {
        case .text:
            for note in report.notes { Output.error(note) }
            for finding in report.findings { Output.error(finding.description) }
            Output.error(summary(report, elapsed: elapsed, command: command))
        case .json:
            for note in report.notes { Output.error(note) }
            let doc = JSONReport(
                recordsChecked: report.recordsChecked, recordsPassed: report.recordsPassed,
                errors: report.findings.filter { $0.severity == .error }.count,
                warnings: report.findings.filter { $0.severity == .warning }.count, counts: report.countsByCode,
                findings: report.findings.map {
                    .init(
                        code: $0.code.rawValue, severity: $0.severity.rawValue, file: $0.file, line: $0.line,
                        field: $0.field, message: $0.reason)
                }, notes: report.notes, corpusChecksCoverShardOnly: report.corpusChecksCoverShardOnly,
                elapsedSeconds: (elapsed * 1000).rounded() / 1000)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            let data = (try? encoder.encode(doc)) ?? Data("{}".utf8)
            Output.dataBytes([UInt8](data) + [0x0A])
            Output.error(summary(report, elapsed: elapsed, command: command))
        case .junit:
            for note in report.notes { Output.error(note) }
            Output.data(junit(report, elapsed: elapsed, command: command))
            Output.error(summary(report, elapsed: elapsed, command: command))
        case .github:
            for note in report.notes { Output.error(note) }
            for finding in report.findings { Output.data(github(finding) + "\n") }
            Output.error(summary(report, elapsed: elapsed, command: command))
        }
    }

    static func summary(_ report: AuditReport, elapsed: Double, command: String) -> String {
        let errors = report.findings.filter { $0.severity == .error }.count
        let warnings = report.findings.count - errors
        let failed = report.recordsChecked - report.recordsPassed
        let by = report.countsByCode.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        var text =
            "\(command): \(report.recordsChecked) records checked, \(report.recordsPassed) passed, \(failed) failed; \(errors) errors, \(warnings) warnings"
        if !by.isEmpty { text += " (\(by))" }
        text += String(format: "; %.2fs", elapsed)
        return text
    }

    static func github(_ f: RecordError) -> String {
        var props = "file=\(escapeProperty(f.file))"
        if let line = f.line { props += ",line=\(line)" }
        props += ",title=\(escapeProperty(f.code.rawValue))"
        let kind = f.severity == .error ? "error" : "warning"
        return "::\(kind) \(props)::\(escapeData(f.code.rawValue + " " + f.reason))"
    }

    private static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    static func junit(_ report: AuditReport, elapsed: Double, command: String) -> String {
        var byFile: [String: [RecordError]] = [:]
        for f in report.findings { byFile[f.file, default: []].append(f) }
        var cases = report.files
        // Findings about paths that are not records (manifest, unreadable inputs) get a case too.
        let extra = Set(byFile.keys).subtracting(report.files)
        cases += extra.sorted()
        let failures = cases.filter { (byFile[$0] ?? []).contains { $0.severity == .error } }.count
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        xml +=
            "<testsuites name=\"secured\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(String(format: "%.3f", elapsed))\">\n"
        xml +=
            "  <testsuite name=\"\(escapeXML(command))\" tests=\"\(cases.count)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(String(format: "%.3f", elapsed))\">\n"
        for file in cases {
            let findings = byFile[file] ?? []
            let errors = findings.filter { $0.severity == .error }
            xml += "    <testcase classname=\"secured.audit\" name=\"\(escapeXML(file))\" time=\"0\""
            if findings.isEmpty {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            if let first = errors.first {
                let text = errors.map(\.description).joined(separator: "\n")
                xml +=
                    "      <failure type=\"\(first.code.rawValue)\" message=\"\(escapeXML(first.code.rawValue + " " + first.reason))\">\(escapeXML(text))</failure>\n"
            }
            let warnings = findings.filter { $0.severity == .warning }
            if !warnings.isEmpty {
                xml +=
                    "      <system-out>\(escapeXML(warnings.map(\.description).joined(separator: "\n")))</system-out>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
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
}
