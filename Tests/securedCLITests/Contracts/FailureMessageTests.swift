import Foundation
import TestSupport
import Testing

/// A command that fails says why once, on stderr, naming the file, and exits with the status
/// SPEC section 8 gives it: the commands throw, and one place prints the message.
@Suite("Failures are said once, by one place")
struct FailureMessageTests {
    func lines(_ text: String, containing part: String) -> [Substring] {
        text.split(separator: "\n").filter { $0.contains(part) }
    }

    @Test func editWithAMissingEditorNamesTheRecordOnceAndExitsOne() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let sealed = try ws.read("a.md")
        let r = try secured(
            ["edit", "a.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": "no-such-editor-here"])
        #expect(r.status == 1)
        #expect(
            lines(r.stderrText, containing: "record left untouched") == [
                "a.md: error: editor 'no-such-editor-here' not found (set VISUAL or EDITOR to one that is installed); record left untouched"
            ], "\(r.stderrText)")
        #expect(try ws.read("a.md") == sealed)
    }

    @Test func inspectOfAFileThatIsNotARecordSaysTheFindingOnceInEveryFormat() throws {
        let ws = try Workspace()
        _ = try ws.write("open.md", "---\ntitle: a\n")
        let text = try secured(["inspect", "open.md"], in: ws.dir)
        #expect(text.status == 1 && text.stdout.isEmpty)
        #expect(lines(text.stderrText, containing: "SR001").count == 1, "\(text.stderrText)")
        #expect(text.stderrText.hasPrefix("open.md:1: error: SR001 front matter is not terminated"))
        let json = try secured(["inspect", "open.md", "--format", "json"], in: ws.dir)
        #expect(json.status == 1)
        #expect(lines(json.stderrText, containing: "SR001").count == 1, "\(json.stderrText)")
        let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let findings = document["findings"] as? [[String: Any]] ?? []
        #expect(findings.map { $0["code"] as? String } == ["SR001"])
    }

    /// SPEC 8.1: a report's findings are its data. In a machine format they are in the stdout
    /// document only (stderr keeps the summary line); in text each is said once.
    @Test func verifySaysEachFindingOnceInEveryFormat() throws {
        let ws = try Workspace()
        _ = try ws.write("c/nofm.md", "no front matter\n")
        for format in ["json", "github", "sarif", "junit"] {
            let r = try secured(["verify", "c", "--key", ws.keyPath, "--format", format], in: ws.dir)
            #expect(r.status == 1, "\(format): \(r.stderrText)")
            #expect(r.stdoutText.contains("SR001"), "\(format): \(r.stdoutText)")
            #expect(lines(r.stderrText, containing: "SR001").isEmpty, "\(format): \(r.stderrText)")
            #expect(r.stderrText.hasPrefix("verify: 1 record: 1 failed; "), "\(format): \(r.stderrText)")
            let quiet = try secured(["verify", "c", "--key", ws.keyPath, "--format", format, "-q"], in: ws.dir)
            #expect(quiet.status == 1 && quiet.stdoutText.contains("SR001"), "\(format): \(quiet.stdoutText)")
            #expect(lines(quiet.stderrText, containing: "SR001").isEmpty, "\(format): \(quiet.stderrText)")
        }
        let text = try secured(["verify", "c", "--key", ws.keyPath], in: ws.dir)
        #expect(text.status == 1)
        #expect(lines(text.stdoutText, containing: "SR001").count == 1, "\(text.stdoutText)")
        #expect(lines(text.stderrText, containing: "SR001").isEmpty, "\(text.stderrText)")
    }

    /// seal, sign and rotate in JSON: a refusal is its entry's `error`, not also a line on stderr.
    @Test func sealSignAndRotateInJSONSayARefusalOnlyInTheDocument() throws {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        _ = try ws.write("r/nofm.md", "no front matter\n")
        let commands = [
            ["seal", "r", "--key", ws.keyPath], ["sign", "r", "--key", ws.keyPath],
            ["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath],
        ]
        for command in commands {
            let json = try secured(command + ["--format", "json"], in: ws.dir)
            #expect(json.status == 1, "\(command[0]): \(json.stderrText)")
            let document = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
            let files = document["files"] as? [[String: Any]] ?? []
            #expect(files.compactMap { ($0["error"] as? [String: Any])?["code"] as? String } == ["SR001"])
            #expect(lines(json.stderrText, containing: "SR001").isEmpty, "\(command[0]): \(json.stderrText)")
            let text = try secured(command, in: ws.dir)
            #expect(text.status == 1)
            #expect(lines(text.stderrText, containing: "SR001").count == 1, "\(command[0]): \(text.stderrText)")
        }
    }

    @Test func aRefusedCommitEndsWithWhyAfterWhatWasChecked() throws {
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", "require-secured: [\"_posts/private/**\"]\n")
        try git(["add", "-A"], ws)
        try git(["commit", "-q", "-m", "init"], ws)
        _ = try ws.write("_posts/private/a.md", "---\ntitle: a\n---\nplaintext\n")
        try git(["add", "-A"], ws)
        let r = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(
            r.stderrText.hasSuffix(
                "secured: 1 staged record checked\nsecured: commit refused: 1 staged record is plaintext where sealing is required\n"
            ), "\(r.stderrText)")
        #expect(lines(r.stderrText, containing: "commit refused").count == 1, "\(r.stderrText)")
    }
}
