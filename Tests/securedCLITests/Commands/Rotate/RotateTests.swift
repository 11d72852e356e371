import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured rotate`: records move from the old key to the new one; a run that stops can run again;
/// a record that carried no signature is re-sealed but not signed unless `--sign-unsigned` says so
/// (a blob copied under forged front matter must not come out signed by the new key).
@Suite("rotate: re-seals and re-signs, restartable, never vouches for an unsigned record", .serialized)
struct RotateTests {
    /// After a rotation no record stays vouched for by the retired key; a record
    /// signed but not sealed (a public post) is signed again with the new key.
    @Test func rotateReSignsSignedRecordsItDoesNotSeal() throws {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        _ = try ws.write("r/sealed.md", "---\nt: 1\n---\nprivate\n")
        _ = try ws.write("r/public.md", "---\nt: 2\n---\npublic\n")
        _ = try ws.write("r/plain.md", "---\nt: 3\n---\nneither\n")
        #expect(try secured(["seal", "r/sealed.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(try secured(["sign", "r/public.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let rotate = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(
            rotate.stderrText.contains(
                "rotate old -> new: 3 records: 1 re-sealed and re-signed, 1 re-signed (not sealed), 1 skipped, 0 failed"
            ),
            "\(rotate.stderrText)")
        #expect(try ws.read("r/public.md").contains("signature: \"ed25519;new;"))
        #expect(try ws.read("r/public.md").hasSuffix("---\npublic\n"), "the body is kept")
        let audit = try secured(["verify", "r/sealed.md", "r/public.md", "--key", new.keyPath], in: ws.dir)
        #expect(audit.status == 0, "\(audit.stderrText)")
        // Nothing is left that only the old key vouches for.
        let old = try secured(["verify", "r/sealed.md", "r/public.md", "--key", ws.keyPath], in: ws.dir)
        #expect(old.status == 1)
        // Run again: both skipped as already rotated.
        let again = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(again.stderrText.contains("rotate old -> new: 3 records: 3 skipped, 0 failed; "), "\(again.stderrText)")
        // A public post whose signature no longer matches the old key is not vouched for anew.
        _ = try ws.write("r/changed.md", "---\nt: 4\n---\nbody\n")
        #expect(try secured(["sign", "r/changed.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let text = try ws.read("r/changed.md")
        _ = try ws.write("r/changed.md", text.replacingOccurrences(of: "t: 4", with: "t: 5"))
        let changed = try secured(["rotate", "r/changed.md", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(changed.status == 1 && changed.stderrText.contains("SR011"), "\(changed.stderrText)")
        #expect(try ws.read("r/changed.md").contains("ed25519;old;"), "left as it was")
    }

    @Test func rotateIsRestartable() throws {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        for i in 0..<6 { _ = try ws.write("r/\(i).md", "---\nt: \(i)\n---\nbody \(i)\n") }
        #expect(try secured(["seal", "r", "--key", ws.keyPath], in: ws.dir).status == 0)
        let rotate = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(rotate.stderrText.contains("6 records: 6 re-sealed and re-signed, 0 failed; "), "\(rotate.stderrText)")
        let again = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(again.stderrText.contains("6 records: 6 skipped, 0 failed; "), "\(again.stderrText)")
        #expect(try secured(["audit", "r", "--key", new.keyPath, "--require-signature"], in: ws.dir).status == 0)
        let open = try secured(["open", "r/3.md", "--key", new.keyPath], in: ws.dir)
        #expect(open.stdoutText == "body 3\n")

        // Rotating with a wrong --from key fails and leaves the records as they were.
        let stranger = try Workspace(keyID: "stranger")
        for i in 0..<2 { _ = try stranger.write("q/\(i).md", "---\nt: \(i)\n---\nbody\n") }
        #expect(try secured(["seal", "q", "--key", stranger.keyPath], in: stranger.dir).status == 0)
        let before = try stranger.read("q/0.md")
        let bad = try secured(["rotate", "q", "--from", ws.keyPath, "--to", new.keyPath], in: stranger.dir)
        #expect(bad.status == 1)
        #expect(bad.stderrText.contains("SR010"))
        #expect(try stranger.read("q/0.md") == before)
    }

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
