import Foundation
import SecuredRecords
import TestSupport
import Testing

/// Contracts the commands broke on hostile input (issue 19), each built as it was found.
@Suite("Hostile input: commands keep their contracts", .serialized)
struct CommandContractTests {
    @Test func hookCheckAuditHonoursTheSizeLimitAsAuditDoes() throws {
        // As found: a staged 18 MB record (or 3 KB with --size-limit 1000) passed with exit 0.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        let line = "a body line\n"
        _ = try ws.write(
            "big.md", "---\ntitle: b\n---\n" + String(repeating: line, count: 18_000_000 / line.utf8.count))
        _ = try ws.write("small.md", "---\ntitle: s\n---\n" + String(repeating: line, count: 3000 / line.utf8.count))
        try git(["add", "-A"], ws)
        func sr017(_ r: ProcessResult, _ file: String) -> String? {
            // The hook says it on stderr, the audit's report is on stdout.
            (r.stdoutText + r.stderrText).split(separator: "\n").first { $0.hasPrefix("\(file): error: SR017") }.map(
                String.init)
        }
        for extra in [[], ["--size-limit", "1000"]] {
            let hook = try secured(["hook", "check", "--audit"] + extra, in: ws.dir)
            let audit = try secured(["audit", "big.md", "small.md"] + extra, in: ws.dir)
            #expect(hook.status == 1 && audit.status == 1, "\(extra): \(hook.stderrText)")
            #expect(
                sr017(hook, "big.md") != nil && sr017(hook, "big.md") == sr017(audit, "big.md"), "\(hook.stderrText)")
            #expect(sr017(hook, "small.md") == sr017(audit, "small.md"), "\(extra): \(hook.stderrText)")
            #expect((sr017(hook, "small.md") != nil) == !extra.isEmpty)
        }
        // --sealed, where sealing is required: a record it cannot read is refused too.
        let sealed = try secured(["hook", "check", "--sealed", "--require-secured"], in: ws.dir)
        #expect(sealed.status == 1 && sr017(sealed, "big.md")?.contains("over the size limit") == true)
    }

    @Test func manifestBuildRefusesANameTheTrustedCommentCannotHold() throws {
        // As found: exit 0, and a .minisig its own `manifest check` rejected (SR019).
        let ws = try Workspace()
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\n")
        for (name, shown) in [("M\nx.sha256", "$'M\\nx.sha256'"), ("M\rx", "$'M\\rx'"), ("M\tx", "$'M\\tx'")] {
            let r = try secured(["manifest", "build", "c", "--key", ws.keyPath, "--out", name], in: ws.dir)
            #expect(r.status == 2, "\(r.stderrText)")
            #expect(r.stderrText.contains("--out \(shown): the manifest's name holds"), "\(r.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent(name).path))
        }
        #expect(
            try secured(["manifest", "build", "c", "--key", ws.keyPath, "--out", "M x.sha256"], in: ws.dir).status == 0)
    }

    @Test func suggestedCommandsRunAsWrittenInAPOSIXShell() throws {
        // As found: `secured seal -dash.md --key KEY` is parsed as options (-h prints help).
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", "require-secured: true\nexclude: [\"*.key\"]\n")
        for name in ["-dash.md", "-h.md", "it's a $x.md"] { _ = try ws.write(name, "---\ntitle: t\n---\nplain\n") }
        #expect(try bash("printf -- '---\\ntitle: t\\n---\\nplain\\n' > $'caf\\xE9.md'", ws).status == 0)
        try git(["add", "-A"], ws)
        let refused = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(refused.status == 1)
        let fixes = refused.stderrText.split(separator: "\n").compactMap { line in
            line.range(of: "Seal it: ").map { String(line[$0.upperBound...]) }
        }
        #expect(fixes.count == 4, "\(refused.stderrText)")
        #expect(fixes.contains("secured seal --key KEY -- -dash.md && git add -- -dash.md"))
        #expect(fixes.contains("secured seal --key KEY -- $'caf\\xE9.md' && git add -- $'caf\\xE9.md'"), "\(fixes)")
        let bin = ShellWord.quoted(URL(fileURLWithPath: securedBinary).deletingLastPathComponent().path)
        for fix in fixes {
            let r = try bash("PATH=\(bin):$PATH; " + fix.replacing("KEY", with: ShellWord.quoted(ws.keyPath)), ws)
            #expect(r.status == 0, "\(fix): \(r.stdoutText)\(r.stderrText)")
            #expect(!r.stdoutText.contains("USAGE"), "\(fix)")
        }
        let accepted = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(accepted.status == 0, "\(accepted.stderrText)")
    }

    @Test(arguments: [
        ("plain", "plain"), ("-dash.md", "-dash.md"), ("a b", "'a b'"), ("it's", "'it'\\''s'"), ("a\nb", "$'a\\nb'"),
        ("tab\there", "$'tab\\there'"), ("back\\slash\n", "$'back\\\\slash\\n'"), ("é.md", "'é.md'"),
        ("quote'\r", "$'quote\\'\\r'"), ("", "''"),
    ])
    func shellWordsReadBackAsWritten(_ path: String, _ expected: String) throws {
        #expect(ShellWord.quoted(path) == expected)
        let r = try runProcess("bash", ["--noprofile", "--norc", "-c", "printf %s \(ShellWord.quoted(path))"])
        #expect(r.stdout == Data(path.utf8), "\(path)")
    }

    @Test func initOnARegularFileIsAUsageError() throws {
        // As found: exit 1, "cannot create a temporary file in afile".
        let ws = try Workspace()
        _ = try ws.write("afile", "x\n")
        let r = try secured(["init", "afile"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains("afile is not a folder"))
        #expect(try ws.read("afile") == "x\n")
    }
}
