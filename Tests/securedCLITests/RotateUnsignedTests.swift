import Foundation
import TestSupport
import Testing

/// `rotate` never vouches for what was never authenticated (issue: keys-hostile, item C). As
/// found: a blob copied into a new file with forged front matter and no signature was flagged
/// by `audit --require-signature`, and after one `rotate` carried a valid signature of the new
/// key and passed.
@Suite("rotate: unsigned records are not laundered")
struct RotateUnsignedTests {
    /// A workspace with a record sealed and signed by "old", and a forged copy of its blob,
    /// unsigned, under other front matter.
    func forged() throws -> (Workspace, Workspace) {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        _ = try ws.write("r/real.md", "---\ntitle: real\n---\nthe real text\n")
        #expect(try secured(["seal", "r/real.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let blob = try #require(try ws.read("r/real.md").split(separator: "\n").first { $0.hasPrefix("secured:") })
        _ = try ws.write("r/forged.md", "---\ntitle: \"Official statement\"\n\(blob)\n---\n")
        return (ws, new)
    }

    func audit(_ ws: Workspace, key: String) throws -> ProcessResult {
        try secured(["audit", "r", "--require-signature", "--key", key], in: ws.dir)
    }

    @Test func anUnsignedRecordIsReSealedButNotSignedAndListed() throws {
        let (ws, new) = try forged()
        let before = try audit(ws, key: ws.keyPath)
        #expect(before.status == 1 && (before.stdoutText + before.stderrText).contains("SR008"), "\(before.stderrText)")

        let rotate = try secured(
            ["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath, "--format", "json"], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(rotate.stderrText.contains("r/forged.md: re-sealed but not signed"), "\(rotate.stderrText)")
        #expect(rotate.stderrText.contains("1 re-sealed and re-signed"), "\(rotate.stderrText)")
        let json = try #require(try JSONSerialization.jsonObject(with: rotate.stdout) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]], "\(rotate.stdoutText)")
        let outcomes = Dictionary(
            uniqueKeysWithValues: files.map { ($0["file"] as? String ?? "", $0["outcome"] as? String ?? "") })
        #expect(outcomes["r/forged.md"] == "re-sealed, not signed", "\(outcomes)")
        #expect(outcomes["r/real.md"] == "rotated", "\(outcomes)")
        #expect(try !ws.read("r/forged.md").contains("signature:"), "the forgery was signed")

        // The audit with the new key still flags it; the new key does open it (it was re-sealed).
        let after = try audit(ws, key: new.keyPath)
        let found = after.stdoutText + after.stderrText
        #expect(after.status == 1 && found.contains("r/forged.md") && found.contains("SR008"), "\(found)")
        let open = try secured(["open", "r/forged.md", "--key", new.keyPath], in: ws.dir)
        #expect(open.status == 0 && open.stdoutText == "the real text\n", "\(open.stderrText)")

        // Run again: nothing left to do, the unsigned record is not signed now either.
        let again = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(again.status == 0 && again.stderrText.contains("2 skipped"), "\(again.stderrText)")
        #expect(try !ws.read("r/forged.md").contains("signature:"))
    }

    @Test func signUnsignedSignsThemAndNamesEachOne() throws {
        let (ws, new) = try forged()
        let rotate = try secured(
            ["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath, "--sign-unsigned"], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(
            rotate.stderrText.contains("r/forged.md: signed although it carried no signature (--sign-unsigned)"),
            "\(rotate.stderrText)")
        #expect(!rotate.stderrText.contains("r/real.md: signed although"), "\(rotate.stderrText)")
        #expect(try ws.read("r/forged.md").contains("signature: \"ed25519;new;"))
        let after = try audit(ws, key: new.keyPath)
        #expect(after.status == 0, "\(after.stdoutText)")
        // The help says what the flag does.
        let help = try secured(["rotate", "--help"], in: ws.dir)
        #expect(help.stdoutText.contains("--sign-unsigned") && help.stdoutText.contains("NOT signed"))
    }
}
