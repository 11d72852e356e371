import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@testable import secured

/// Every finding says how to fix it (an indented `hint:` line in text output, a `hint` field in
/// JSON) from the same sentences as the SARIF rules' help, and the commands hints and refusals
/// suggest run as written in a POSIX shell, whatever the file's name.
@Suite("Hints: every finding carries its fix, paths quoted for a shell", .serialized)
struct HintTests {
    /// A corpus with at least one finding of every SR code, and the audits that report them.
    func everyCode() throws -> (Workspace, [[String]]) {
        let ws = try Workspace(keyID: "site")
        let other = try Workspace(keyID: "other")
        let b64 = { (bytes: [UInt8]) in Base64.encode(bytes) }
        func sealed(_ plaintext: [UInt8], iv: AESCBC.IV, truncate: Bool = false) throws -> String {
            var ct = try AESCBC.encrypt(plaintext, using: ws.key.encryptionKey, iv: iv)
            if truncate { ct = Array(ct.prefix(16)) }  // a last block of zeros: bad padding
            return "\(b64(ct));\(b64(Array(iv.bytes)))"
        }
        func record(_ name: String, _ secured: String?, body: String = "") throws {
            _ = try ws.write(
                "c/\(name)", "---\ntitle: \(name)\n\(secured.map { "secured: \"\($0)\"\n" } ?? "")---\n\(body)")
        }
        _ = try ws.write("c/r01.md", "no front matter\n")
        _ = try ws.write("c/r02.md", "---\na: 1\na: 2\n---\n")
        try record("r03.md", nil, body: "plaintext\n")  // SR003, SR008
        try record("r04.md", "not base64 at all")
        try record("r05.md", "QUJ=;AAAAAAAAAAAAAAAAAAAAAA==")
        try record("r06.md", "AAAAAAAAAAAAAAAAAAAAAA==;AAAA")
        try record("r07.md", "AAAA;AAAAAAAAAAAAAAAAAAAAAA==")
        try record("r09.md", nil)
        _ = try ws.write("c/r09.md", "---\ntitle: r09\nsignature: \"v9;site;AAAA\"\n---\n")
        try record("r10.md", nil, body: "public\n")
        #expect(try secured(["sign", "c/r10.md", "--key", other.keyPath], in: ws.dir).status == 0)
        try record("r11.md", nil, body: "public\n")
        #expect(try secured(["sign", "c/r11.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let r11 = try ws.read("c/r11.md")
        _ = try ws.write("c/r11.md", r11.replacingOccurrences(of: "public", with: "changed"))
        try record("r12.md", try sealed(Array(repeating: 0, count: 16), iv: AESCBC.IV(), truncate: true))
        try record("r13.md", try sealed([0xFF, 0xFE], iv: AESCBC.IV()))
        let shared = try AESCBC.IV()
        try record("r14a.md", try sealed(Array("one".utf8), iv: shared))
        try record("r14b.md", try sealed(Array("two".utf8), iv: shared))
        try record("r15.md", try sealed(Array("copied".utf8), iv: AESCBC.IV()))
        for name in ["r12.md", "r13.md", "r14a.md", "r14b.md", "r15.md"] {
            #expect(try secured(["sign", "c/\(name)", "--key", ws.keyPath], in: ws.dir).status == 0)
        }
        try FileManager.default.copyItem(
            at: ws.dir.appendingPathComponent("c/r15.md"), to: ws.dir.appendingPathComponent("c/r15 copy.md"))
        try record("r16.md", nil, body: "secret\n")
        #expect(try secured(["seal", "c/r16.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("c/r16.md", try ws.read("c/r16.md") + "plaintext beside it\n")
        try Data([0x2D, 0x2D, 0x2D, 0x0A, 0xE9, 0x0A, 0x2D, 0x2D, 0x2D, 0x0A]).write(
            to: ws.dir.appendingPathComponent("c/r17.md"))
        // The manifest: built, then a record added (SR018) and its signature line changed (SR019).
        _ = try ws.write("m/a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["manifest", "build", "m", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("m/added.md", "---\ntitle: added\n---\nbody\n")
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("m/MANIFEST.sha256.minisig"))
        let manifest = try ws.read("m/MANIFEST.sha256")
        _ = try ws.write(
            "m/MANIFEST.sha256",
            manifest.replacingOccurrences(of: "signature: v1;site;", with: "signature: v1;site;AAAA"))
        return (
            ws,
            [
                ["audit", "c", "--key", ws.keyPath, "--require-secured", "--require-signature"],
                ["audit", "m", "--key", ws.keyPath, "--manifest", "m/MANIFEST.sha256"],
            ]
        )
    }

    @Test func everyCodesTextHasAHintLineAndItsJSONAHintField() throws {
        let (ws, audits) = try everyCode()
        // code -> the hint line after each finding that has one (a hint that differs from one
        // shown above only by the record's path is shown once)
        var text: [String: [String]] = [:]
        var json: [String: [String]] = [:]
        for audit in audits {
            let lines = try secured(audit, in: ws.dir).stdoutText.split(
                separator: "\n", omittingEmptySubsequences: false)
            for (i, line) in lines.enumerated() {
                guard let code = line.firstMatch(of: /: (error|warning): (SR\d\d\d)\s/)?.output.2 else { continue }
                let next = i + 1 < lines.count ? String(lines[i + 1]) : ""
                if next.hasPrefix("  hint: ") || text[String(code)] == nil {
                    text[String(code), default: []].append(next)
                }
            }
            let doc = try secured(audit + ["--format", "json"], in: ws.dir).stdout
            let object = try JSONSerialization.jsonObject(with: doc) as? [String: Any]
            for finding in object?["findings"] as? [[String: Any]] ?? [] {
                json[finding["code"] as? String ?? "", default: []].append(finding["hint"] as? String ?? "")
            }
        }
        // Leak findings come from `secured leaks`, not the audit: LeakTests checks that their
        // text hint and JSON hint field are the same sentences.
        for code in RecordError.Code.diagnostics where code != .sr020LeakInFile && code != .sr021LeakInHistory {
            let hints = text[code.rawValue] ?? []
            #expect(!hints.isEmpty, "no \(code.rawValue) finding in the text output")
            for hint in hints { #expect(hint.hasPrefix("  hint: ") && hint.count > 12, "\(code.rawValue): \(hint)") }
            let fields = json[code.rawValue] ?? []
            #expect(!fields.isEmpty, "no \(code.rawValue) finding in the JSON output")
            for field in fields { #expect(!field.isEmpty, "\(code.rawValue): no hint field") }
            #expect(
                Set(hints.map { String($0.dropFirst(8)) }).isSubset(of: Set(fields)),
                "\(code.rawValue): text and JSON differ")
        }
        // The commands in hints name the record after --, quoted for a POSIX shell.
        #expect(
            text["SR011"]?.first?.contains("  hint: Review the change first (git diff --cached -- c/r11.md;") == true)
        // ... and pass the key the audit was given.
        let key = ShellWord.quoted(ws.keyPath)
        #expect(text["SR011"]?.first?.hasSuffix("re-sign: secured sign --key \(key) -- c/r11.md") == true)
        #expect(text["SR015"]?.isEmpty == false)
        #expect(text["SR010"]?.first?.contains("names key 'other'") == true)
        #expect(text["SR010"]?.first?.contains("trust a key only from its owner") == true)
        #expect(text["SR016"]?.first?.contains("secured edit --key \(key) -- c/r16.md") == true)
        #expect(text["SR016"]?.first?.contains("lost for good") == true)
    }

    @Test func hintsAndTheSARIFRulesHelpComeFromOneSource() throws {
        for code in RecordError.Code.diagnostics {
            let finding = RecordError(code, file: "PATH", reason: "r")
            #expect(finding.hint() == code.help, "\(code.rawValue)")
            #expect(!code.help.isEmpty && code.help != "See the message.")
        }
        #expect(RecordError(.refused, file: "a", reason: "r").hint() == nil)
    }

    @Test func pathsInHintsAreShellWords() throws {
        #expect(ShellWord.quoted("content/a.md") == "content/a.md")
        #expect(ShellWord.quoted("my posts/it's.md") == "'my posts/it'\\''s.md'")
        #expect(ShellWord.quoted("-n.md") == "-n.md")  // commands put it after --
        // Where no -- comes before it (an option's value, an operand), it is not read as an option.
        #expect(ShellWord.argument("-x.key") == "./-x.key")
        #expect(ShellWord.argument("-x y.key") == "'./-x y.key'")
        #expect(ShellWord.argument("Keys/a.key") == "Keys/a.key" && ShellWord.argument("/k/-a.key") == "/k/-a.key")
        #expect(
            ShellWord.quoted(FilePath.decode([0x63, 0x61, 0x66, 0xE9, 0x27, 0x2E, 0x6D, 0x64])) == "$'caf\\xE9\\'.md'"
        )
        #expect(ShellWord.quoted("a\nb") == "$'a\\nb'")
        // What bash reads back is the bytes.
        for bytes: [UInt8] in [Array("a b'c".utf8), [0x63, 0xE9, 0x27, 0x5C, 0x0A, 0x24], Array("café".utf8)] {
            let word = ShellWord.quoted(FilePath.decode(bytes))
            let r = try runProcess("bash", ["-c", "printf %s \(word)"], currentDirectory: URL(fileURLWithPath: "/"))
            #expect(Array(r.stdout) == bytes, "\(word)")
        }
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
}
