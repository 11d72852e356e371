import SecuredRecords

/// JUnit XML for CI test reports: one test case a record (and a path with findings).
enum JUnitRenderer {
    /// JUnit XML: one test case per record (and per other path with findings).
    static func render(_ results: AuditRun, elapsed: Double, command: String) {
        // A first pass for the totals the header needs, a second to write the cases.
        var cases = 0
        var failures = 0
        results.forEachPath { _, _, findings in
            cases += 1
            if findings.contains(where: { $0.severity == .error }) { failures += 1 }
        }
        var sink = TextSink(.xml)
        let time = Output.fixed(elapsed, 3)
        sink.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        sink.write(
            "<testsuites name=\"secured\" tests=\"\(cases)\" failures=\"\(failures)\" errors=\"0\" time=\"\(time)\">\n")
        sink.write(
            "  <testsuite name=\"\(escapeXML(command))\" tests=\"\(cases)\" failures=\"\(failures)\" errors=\"0\" skipped=\"0\" time=\"\(time)\">\n"
        )
        results.forEachPath { file, _, findings in
            sink.write(
                "    <testcase classname=\"secured.\(escapeXML(command))\" name=\"\(escapeXML(FilePath.display(file)))\" time=\"0\""
            )
            if findings.isEmpty {
                sink.write("/>\n")
                return
            }
            sink.write(">\n")
            let errors = findings.filter { $0.severity == .error }
            if let first = errors.first {
                let text = errors.map(\.description).joined(separator: "\n")
                sink.write(
                    "      <failure type=\"\(first.code.rawValue)\" message=\"\(escapeXML(first.code.rawValue + " " + FilePath.visible(first.reason)))\">\(escapeXML(text))</failure>\n"
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
        if !results.notes.isEmpty {
            // Notes (a policy that narrows or hides checks, keys trusted) travel with the report.
            let text = results.notes.map(\.advisedDescription).joined(separator: "\n")
            sink.write("    <system-err>\(escapeXML(text))</system-err>\n")
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
            // A line break as a character reference: it survives in attributes, and no line
            // of the report starts with what a value put there.
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            case "\t": out.unicodeScalars.append(scalar)
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
