import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// What a hostile file name or record can put into what CI shows: no line that starts a workflow
/// command, no terminal escape, an inert step summary.
@Suite("CI output: nothing a file or record holds starts a workflow command")
struct CIOutputTests {
    static let forged = "l\n::warning file=evil.md,line=1::forged annotation\n.md"

    /// Every line of `text` the Actions runner would read as a workflow command (`::` at its
    /// start after spaces, or `##[` anywhere).
    func workflowCommands(_ text: String) -> [String] {
        text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
            .map(String.init).filter { line in
                line.drop { $0 == " " || $0 == "\t" }.hasPrefix("::") || line.contains("##[")
            }
    }

    /// As found: the default text format printed a YAML-decoded repeated key and a
    /// file name with their line breaks and escape bytes raw, so a record could write its own
    /// `::error` lines into a CI log and escape sequences to a terminal.
    @Test(arguments: ["text", "github", "junit"])
    func noFormatPrintsControlCharactersFromARecordOrAName(format: String) throws {
        let ws = try Workspace()
        let key = "\"x\\n::error file=ok.md,line=1::forged\\e]0;pwned\\a\""
        _ = try ws.write("c/post.md", "---\n\(key): 1\n\(key): 2\n---\n")
        _ = try ws.write("c/n\n::warning file=README.md::from a name\u{1B}[2J.md", "---\nsecured: \"!\"\n---\n")
        for args in [["audit", "c", "--format", format], ["verify", "c", "--key", ws.keyPath]] {
            let r = try secured(args, in: ws.dir)
            #expect(r.status == 1, "\(args): \(r.stderrText)")
            let all = r.stdoutText + r.stderrText
            #expect(workflowCommands(all).filter { !$0.hasPrefix("::error file=c/") }.isEmpty, "\(args): \(all)")
            #expect(!all.contains("\u{1B}") && !all.contains("\u{07}"), "\(args): an escape byte reached the output")
            #expect(all.contains("\\x0A") || all.contains("%0A"), "\(args): the line break is shown, not obeyed")
        }
    }

    @Test func githubFormatWritesNoLineThatStartsAWorkflowCommand() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\n")
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("c/" + Self.forged).path, withDestinationPath: "a.md")
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("c/##[error]legacy.md").path, withDestinationPath: "a.md")
        _ = try ws.write("c/bad\n::error::100% forged\r\n.md", "no front matter\n")
        let r = try secured(["audit", "c", "--format", "github"], in: ws.dir)
        #expect(r.status == 1)
        // stderr: notes and the summary, never a command.
        #expect(workflowCommands(r.stderrText).isEmpty, "\(r.stderrText)")
        #expect(
            r.stderrText.contains(
                "c/l\\x0A::warning file=evil.md,line=1::forged annotation\\x0A.md: note: symbolic link skipped"))
        #expect(r.stderrText.contains("c/##%5Berror]legacy.md: note: symbolic link skipped"))
        // stdout: our one annotation, its values escaped.
        let commands = workflowCommands(r.stdoutText)
        #expect(commands.count == 1, "\(r.stdoutText)")
        #expect(
            commands.first?.hasPrefix(
                "::error file=c/bad%0A%3A%3Aerror%3A%3A100%25 forged%0D%0A.md,line=1,title=SR001::") == true)
        // A usage error in that format too: a policy that fails, in a folder named to forge.
        _ = try ws.write("p\n::error::x/.secured.yaml", "bogus: 1\n")
        _ = try ws.write("p\n::error::x/a.md", "---\ntitle: a\n---\n")
        let usage = try secured(["audit", "p\n::error::x", "--format=github"], in: ws.dir)
        #expect(usage.status == 2 && workflowCommands(usage.stderrText).isEmpty, "\(usage.stderrText)")
        #expect(usage.stderrText.contains("p\\x0A::error::x/.secured.yaml:1: unknown field"))
    }

    /// `line` with its code spans (CommonMark: a run of n backticks up to the next run of
    /// exactly n) taken out.
    func outsideCodeSpans(_ line: String) -> String {
        let chars = Array(line)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i] == "`" else {
                out.append(chars[i])
                i += 1
                continue
            }
            var n = 0
            while i + n < chars.count && chars[i + n] == "`" { n += 1 }
            var j = i + n
            var closed: Int?
            while j < chars.count {
                var m = 0
                while j + m < chars.count && chars[j + m] == "`" { m += 1 }
                if m == n {
                    closed = j + m
                    break
                }
                j += max(m, 1)
            }
            guard let end = closed else {
                out += String(chars[i..<(i + n)])
                i += n
                continue
            }
            i = end
        }
        return out
    }

    @Test func theStepSummaryQuotesRecordTextAsInertMarkdown() throws {
        let ws = try Workspace()
        let key = "![i](https://evil.example/pixel.png)"
        _ = try ws.write("c/a.md", "---\n\"\(key)\": 1\n\"\(key)\": 2\n---\n")
        let ticks = "`` ![j](https://evil.example/ticks.png) ` <img src=https://evil.example/x.png>"
        _ = try ws.write("c/b.md", "---\n\"\(ticks)\": 1\n\"\(ticks)\": 2\n---\n")
        _ = try ws.write("c/<img src=x onerror=alert(1)>.md", "no front matter\n")
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("c/![n](x.png)`.md").path, withDestinationPath: "a.md")
        let summary = ws.dir.appendingPathComponent("summary.md").path
        let r = try secured(
            ["audit", "c", "--format", "github"], in: ws.dir,
            environment: [
                "GITHUB_STEP_SUMMARY": summary, "GITHUB_SERVER_URL": "https://github.com",
                "GITHUB_REPOSITORY": "example/site", "GITHUB_SHA": String(repeating: "0", count: 40),
            ])
        #expect(r.status == 1)
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.contains("evil.example/pixel.png") && text.contains("ticks.png") && text.contains("onerror"))
        for line in text.split(separator: "\n").map(String.init) {
            // Our own links to the findings are the only live Markdown left.
            let rest = outsideCodeSpans(line).replacing(
                /\]\(https:\/\/github\.com\/example\/site\/blob\/0{40}\/[A-Za-z0-9%._\/-]+#L\d+\)/, with: "]")
            for live in ["![", "](", "<", "http", "`"] {
                #expect(!rest.contains(live), "'\(live)' outside a code span: \(line)")
            }
        }
    }
}

/// `##[` (the runner's legacy workflow command, read anywhere in a line) and line breaks are
/// escaped inside JSON, JUnit and SARIF values and in `inspect`'s and `verify`'s text, so a file
/// name or a record cannot write annotations in CI.
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

    @Test("audit's reports escape what a file name or record holds in every format")
    func auditReportsInEveryFormat() throws {
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

    @Test("verify's and inspect's text escape what a file name or record holds")
    func verifyAndInspectText() throws {
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
