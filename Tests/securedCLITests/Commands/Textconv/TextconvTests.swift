import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// `secured textconv`, the git diff driver: always exit 0 and never a write; it finds the policy's
/// key in the user's key folder as `seal` and the hooks do.
@Suite("textconv: the diff driver shows plaintext with a key, a marker without", .serialized)
struct TextconvTests: GitRepositoryFixture {
    @Test func gitDiffShowsTheChangedPlaintextWithAKeyAndTheMarkerWithout() throws {
        let ws = try repository()
        try policy(ws, "keys: [Keys/site.pub]\n")
        #expect(try secured(["seal", "content/private/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write(".gitattributes", "*.md diff=secured\n")
        try git(["config", "diff.secured.textconv", "'\(securedBinary)' textconv"], ws)
        try git(["add", "-A"], ws)
        try git(["commit", "-qm", "sealed"], ws)
        // Re-seal with a changed body.
        let opened = try secured(["open", "content/private/a.md", "--key", ws.keyPath, "--in-place"], in: ws.dir)
        #expect(opened.status == 0)
        _ = try ws.write("content/private/a.md", "---\ntitle: \"A\"\n---\nThe private body, changed.\nA new line.\n")
        #expect(try secured(["seal", "content/private/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let withKey = try git(["diff"], ws, environment: ["SECURED_KEY": try ws.read("site.key")])
        #expect(
            withKey.stdoutText.contains("-The private body.\n+The private body, changed.\n+A new line.\n"),
            "\(withKey.stdoutText)")
        #expect(!withKey.stdoutText.contains("secured: \""), "the blob lines are not shown")
        let withoutKey = try git(["diff"], ws)
        #expect(withoutKey.stdoutText.contains("+secured: \""))
        #expect(withoutKey.stdoutText.contains("[secured textconv: not opened: only public keys"))
        // textconv itself: always exit 0, never a write.
        let missing = try secured(["textconv", "nothing.md"], in: ws.dir)
        #expect(missing.status == 0 && missing.stdoutText.contains("[secured textconv: cannot read"))
        let other = try Workspace(keyID: "other")
        let wrong = try secured(["textconv", "content/private/a.md", "--key", other.keyPath], in: ws.dir)
        #expect(
            wrong.status == 0 && wrong.stdoutText.contains("[secured textconv: not opened: "), "\(wrong.stdoutText)")
        #expect(!wrong.stdoutText.contains("The private body"))
        let sameID = try Workspace(keyID: "site")
        let clash = try secured(["textconv", "content/private/a.md", "--key", sameID.keyPath], in: ws.dir)
        #expect(
            clash.status == 0 && clash.stdoutText.contains("[secured textconv: not opened: "), "\(clash.stdoutText)")
        // Tampered: the signature fails, nothing is opened.
        let sealed = try ws.read("content/private/a.md")
        _ = try ws.write("content/private/a.md", sealed.replacingOccurrences(of: "title: \"A\"", with: "title: \"Z\""))
        let tampered = try secured(["textconv", "content/private/a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(
            tampered.status == 0 && tampered.stdoutText.contains("[secured textconv: not opened: SR011"),
            "\(tampered.stdoutText)")
        let plain = try secured(["textconv", "content/public/b.md"], in: ws.dir)
        let plainText = try ws.read("content/public/b.md")
        #expect(plain.status == 0 && plain.stdoutText == plainText)
    }

    @Test func noKeyGivenUsesThePerUserKeyTheRecordNames() throws {
        let ws = try Workspace()
        let home = ws.dir.appendingPathComponent("home").path
        let env = ["HOME": home, "XDG_CONFIG_HOME": ""]
        #expect(try secured(["keygen", "--id", "site-2030"], in: ws.dir, environment: env).status == 0)
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent("Keys"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: home + "/.config/secured/site-2030.pub",
            toPath: ws.dir.appendingPathComponent("Keys/site-2030.pub").path)
        _ = try ws.write(".secured.yaml", "keys: [Keys/site-2030.pub]\n")
        _ = try ws.write("a.md", "---\ntitle: a\n---\nThe opened body.\n")
        #expect(try secured(["seal", "a.md"], in: ws.dir, environment: env).status == 0)
        let r = try secured(["textconv", "a.md"], in: ws.dir, environment: env)
        #expect(r.status == 0)
        #expect(r.stdoutText.contains("The opened body."), "\(r.stdoutText)")
        #expect(r.stderrText.isEmpty, "\(r.stderrText)")
        let noPolicy = try secured(["textconv", "a.md", "--no-policy"], in: ws.dir, environment: env)
        #expect(noPolicy.stdoutText.contains("[secured textconv: not opened: no key"), "\(noPolicy.stdoutText)")
    }
}

/// A file over the size limit is neither parsed nor hidden: `textconv` shows it as it is, in time.
@Suite("textconv: a file over the size limit is shown unchanged, with the marker after")
struct TextconvSizeLimitTests {
    /// `secured` under `timeout -s KILL seconds`: status 137 when it did not finish.
    func secured(within seconds: Int, _ arguments: [String], in dir: URL) throws -> ProcessResult {
        try runProcess(
            "timeout", ["-s", "KILL", "\(seconds)", securedBinary] + arguments,
            removing: ["SECURED_KEY", "GITHUB_STEP_SUMMARY"], currentDirectory: dir)
    }

    @Test func textconvShowsAFileOverTheSizeLimitUnchangedWithTheMarkerAfter() throws {
        // As found: a Markdown file over 16 MiB printed only the marker, hiding every change.
        let ws = try Workspace()
        let line = "a line of the body, changed or not\n"
        let text = "---\ntitle: big\n---\n" + String(repeating: line, count: 17 * (1 << 20) / line.utf8.count)
        let path = try ws.write("big.md", text)
        let r = try secured(within: 120, ["textconv", "big.md"], in: ws.dir)
        #expect(r.status == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(r.stdout.count > original.count && r.stdout.prefix(original.count) == original)
        let marker = String(decoding: r.stdout.dropFirst(original.count), as: UTF8.self)
        #expect(
            marker.hasPrefix("[secured textconv: not opened: file is") && marker.contains("size limit"), "\(marker)")
    }
}
