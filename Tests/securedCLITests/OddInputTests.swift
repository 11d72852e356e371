import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Odd files, odd names, odd key files, and a JSON document from every command (issue 9).
@Suite("Odd inputs and scripting", .serialized)
struct OddInputTests {
    @Test func fifosAndDanglingLinksAreSR017AndNeverBlock() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", plainRecord)
        #expect(mkfifo(ws.dir.appendingPathComponent("c/pipe.md").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("dangling.md").path, withDestinationPath: "nowhere")
        // Walked: the FIFO is reported, not skipped, and the audit fails.
        let walked = try secured(["audit", "c", "--format", "json"], in: ws.dir)
        #expect(walked.status == 1, "\(walked.stderrText)")
        let doc = try JSONSerialization.jsonObject(with: walked.stdout) as? [String: Any]
        let findings = doc?["findings"] as? [[String: Any]] ?? []
        #expect(findings.map { $0["file"] as? String } == ["c/pipe.md"])
        #expect(findings.first?["code"] as? String == "SR017")
        // Named: both are SR017 in every format, exit 1 (opening the FIFO would hang for ever).
        for format in ["text", "json", "junit", "github"] {
            let named = try secured(["audit", "c/pipe.md", "dangling.md", "--format", format], in: ws.dir)
            #expect(named.status == 1, "\(format): \(named.stderrText)")
            let all = named.stdoutText + named.stderrText
            #expect(all.contains("SR017"), "\(format)")
            #expect(all.contains("dangling.md") && all.contains("c/pipe.md"), "\(format)")
        }
        // A path that does not exist is a usage error, with no report.
        let missing = try secured(["audit", "c", "nope.md", "--format", "json"], in: ws.dir)
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderrText.contains("no such file or folder: nope.md"))
    }

    @Test func fileNamesThatAreNotUTF8AreReadCheckedAndWritten() throws {
        let ws = try Workspace()
        _ = try ws.write("k/placeholder", "")
        let name = "$(printf 'caf\\351.md')"  // "café.md" in Latin-1: not UTF-8
        let script = """
            set -e
            printf -- '---\\ntitle: t\\n---\\nsecret body\\n' > "\(name)"
            "$S" seal "\(name)" --key "$K"
            "$S" audit . --include '*.md' --key "$K" --require-signature --format json > audit.json
            "$S" open "\(name)" --key "$K"
            # The file kept its byte name: sealing wrote no second file beside it.
            test -f "\(name)" && [ "$(ls | grep -c caf)" = 1 ]
            """
        let r = try runProcess(
            "sh", ["-c", script], environment: ["S": securedBinary, "K": ws.keyPath], currentDirectory: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stderrText.contains("caf\\xE9.md: sealed and signed"), "\(r.stderrText)")
        #expect(r.stdoutText == "secret body\n")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.dir.appendingPathComponent("audit.json")))
        #expect((doc as? [String: Any])?["recordsPassed"] as? Int == 1)
    }

    @Test func keyFilesWithCRLFOrBOMLoadAsYAMLReadsThem() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", plainRecord)
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let text = try String(contentsOfFile: ws.keyPath, encoding: .utf8)
        for (name, bytes) in [
            ("crlf.key", Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
            ("bom.key", [0xEF, 0xBB, 0xBF] + Array(text.utf8)),
            ("both.key", [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
        ] {
            let path = ws.dir.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o600)
            let r = try secured(["verify", "a.md", "--key", name], in: ws.dir)
            #expect(r.status == 0, "\(name): \(r.stderrText)")
        }
    }

    @Test func everyCommandWritesOneJSONDocument() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", plainRecord)
        _ = try ws.write("c/b.md", "---\ntitle: b\n---\nsecond body\n")
        var runs: [(String, ProcessResult)] = []
        var covered: Set<[String]> = []
        let commands = try leafCommands()
        func run(_ args: [String]) throws {
            runs.append((args.joined(separator: " "), try secured(args + ["--format", "json"], in: ws.dir)))
            if let command = commands.first(where: { args.starts(with: $0.path) }) { covered.insert(command.path) }
        }
        try run(["keygen", "--id", "other", "--out", "other.key"])
        try run(["seal", "c", "--key", ws.keyPath])
        try run(["sign", "c", "--key", ws.keyPath])
        try run(["verify", "c", "--key", ws.keyPath])
        try run(["open", "c/a.md", "--key", ws.keyPath])
        try run(["inspect", "c/a.md", "--key", ws.keyPath])
        try run(["manifest", "build", "c", "--key", ws.keyPath])
        try run(["manifest", "check", "c/MANIFEST.sha256", "--key", ws.keyPath])
        try run(["audit", "c", "--key", ws.keyPath, "--manifest", "c/MANIFEST.sha256"])
        chmod(ws.dir.appendingPathComponent("other.key").path, 0o600)
        try run(["rotate", "c", "--from", ws.keyPath, "--to", "other.key"])
        try run(["pubkey", "other.key"])
        try run(["leaks", "--corpus", "c", "--key", "other.key", "c"])
        try run(["audit", "c", "--key", "other.key", "--shard", "1/1", "--write-index", "c.index"])
        try run(["audit-merge", "c.index"])
        try run(["identity", "--out", "me.txt"])
        let recipient = try secured(["identity", "--out", "you.txt"], in: ws.dir).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try run(["share", "other.key", "-r", recipient, "--out", "other.key.age"])
        try run(["explain"])
        try run(["explain", "SR011"])
        // Every command that takes --format (from the tool's own list) was run above.
        let missing = commands.filter { $0.takesFormat && !covered.contains($0.path) }
        #expect(missing.isEmpty, "commands with --format that this test does not run: \(missing)")
        for (command, r) in runs {
            #expect(r.status == 0, "\(command): \(r.stderrText)")
            let doc = try? JSONSerialization.jsonObject(with: r.stdout)
            #expect(doc is [String: Any], "\(command): \(r.stdoutText)")
        }
        // A failure keeps its exit code and still writes the document.
        _ = try ws.write("c/a.md", "---\ntitle: changed\nsecured: \"x\"\n---\n")
        let failed = try secured(["verify", "c/a.md", "--key", "other.key", "--format", "json"], in: ws.dir)
        #expect(failed.status == 1)
        let doc = try JSONSerialization.jsonObject(with: failed.stdout) as? [String: Any]
        #expect(doc?["failed"] as? Int == 1)
    }
}
