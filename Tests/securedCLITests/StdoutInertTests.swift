import Foundation
import TestSupport
import Testing

/// Found by a stranger: `##[` (the runner's legacy workflow command, read anywhere in a line)
/// and line breaks went to stdout as they were inside JSON, JUnit and SARIF values and in
/// `inspect`'s text, so a file name or a record could write annotations in CI.
@Suite("Reports on stdout: nothing a file puts there acts on the Actions runner")
struct StdoutInertTests {
    static let hostileName = "a\n::error file=x.md::forged ##[error]legacy.md"

    /// Every line of `stdout`: none holds `##[`; none starts (after blanks) with `::` unless
    /// it is one of the tool's own annotations (`::error file=`, `::warning `).
    static func expectInert(_ stdout: String, _ label: String) {
        for line in stdout.split(separator: "\n", omittingEmptySubsequences: false) {
            #expect(!line.contains("##["), "\(label): \(line)")
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            let ours = trimmed.hasPrefix("::error file=") || trimmed.hasPrefix("::warning ")
            #expect(!trimmed.hasPrefix("::") || ours, "\(label): \(line)")
            #expect(!trimmed.hasPrefix("::error file=x.md"), "\(label): \(line)")
        }
    }

    @Test func auditReportsInEveryFormat() throws {
        let ws = try Workspace()
        _ = try ws.write("c/\(Self.hostileName)", "no front matter ##[warning]here\n")
        _ = try ws.write("c/b.md", "---\ntitle: \"##[error]t\"\n---\nbody\n")
        for format in ["text", "json", "sarif", "junit", "github"] {
            let r = try secured(["audit", "c", "--key", ws.keyPath, "--format", format], in: ws.dir)
            #expect(r.status == 1, "\(format): \(r.stderrText)")
            #expect(r.stdoutText.contains("legacy"), "\(format): \(r.stdoutText)")
            Self.expectInert(r.stdoutText, format)
            if format == "json" || format == "sarif" {
                // The same name to any JSON reader: `\u005b` is `[`.
                let doc = try JSONSerialization.jsonObject(with: r.stdout)
                let text = String(decoding: try JSONSerialization.data(withJSONObject: doc), as: UTF8.self)
                #expect(format == "sarif" || text.contains("##[error]legacy.md"), "\(format)")
            }
        }
    }

    @Test func verifyAndInspectText() throws {
        let ws = try Workspace()
        _ = try ws.write("\(Self.hostileName)", "---\ntitle: \"##[error]t\"\n---\nbody ##[group]x\n")
        #expect(try secured(["seal", Self.hostileName, "--key", ws.keyPath], in: ws.dir).status == 0)
        for format in ["text", "json", "github", "junit", "sarif"] {
            let r = try secured(
                ["verify", "--key", ws.keyPath, "--format", format, "--", Self.hostileName], in: ws.dir)
            Self.expectInert(r.stdoutText, "verify \(format)")
        }
        for format in ["text", "json"] {
            let r = try secured(["inspect", "--key", ws.keyPath, "--format", format, Self.hostileName], in: ws.dir)
            #expect(r.status == 0, "\(r.stderrText)")
            Self.expectInert(r.stdoutText, "inspect \(format)")
        }
    }
}
