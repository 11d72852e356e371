import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// `secured hook check` checks what is staged: a record sealed in the working tree but not staged
/// is still refused; `--audit` verifies with the public key the policy names.
@Suite("hook check: the index, not the working tree, with the policy's public key", .serialized)
struct HookCheckIndexTests: GitRepositoryFixture {
    @Test func theHookChecksTheIndexNotTheWorkingTree() throws {
        let ws = try repository()
        try policy(ws, "require-secured: [content/private/**]\nkeys: [Keys/site.pub]\nexclude: [README.md]\n")
        try git(["add", "-A"], ws)
        // No key for Keys/site.pub in this home's key folder: the hint says what to put in place of KEY.
        let refused = try secured(["hook", "check", "--sealed"], in: ws.dir, environment: ["HOME": ws.dir.path])
        #expect(refused.status == 1)
        #expect(refused.stderrText.contains("content/private/a.md:1: error: SR003"))
        #expect(
            refused.stderrText.contains(
                "\n  hint: In place of KEY, put the path of your secret key file, one with 'sign' or 'mac' such as ~/.config/secured/<id>.key; no key that signs came from the key files given, SECURED_KEY or the policy's keys. Seal it: secured seal --key KEY -- content/private/a.md && git add -- content/private/a.md\n"
            ), "\(refused.stderrText)")
        #expect(!refused.stderrText.contains("public/b.md"))
        // Sealed in the working tree but not staged: still refused.
        #expect(try secured(["seal", "content/private/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(try secured(["hook", "check", "--sealed"], in: ws.dir).status == 1)
        try git(["add", "content/private/a.md"], ws)
        let accepted = try secured(["hook", "check"], in: ws.dir)
        #expect(accepted.status == 0, "\(accepted.stderrText)")
        // A record without front matter where sealing is required is plaintext; plaintext
        // beside sealed content too; a deleted record is skipped; nothing is written.
        try git(["commit", "-qm", "sealed"], ws)
        _ = try ws.write("content/private/raw.md", "Just text, no front matter.\n")
        let sealedText = try ws.read("content/private/a.md")
        _ = try ws.write("content/private/a.md", sealedText + "leaked plaintext\n")
        try git(["add", "-A"], ws)
        let before = try ws.read("content/private/a.md")
        let both = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(both.status == 1)
        #expect(both.stderrText.contains("content/private/raw.md:1: error: SR003 staged as plaintext"))
        #expect(both.stderrText.contains("content/private/a.md:") && both.stderrText.contains("SR016"))
        #expect(try ws.read("content/private/a.md") == before)
        try git(["rm", "-q", "--cached", "content/private/raw.md"], ws)
        try git(["checkout", "--", "content/private/a.md"], ws, status: 0)
        try git(["reset", "-q", "content/private/a.md"], ws)
        try git(["checkout", "--", "content/private/a.md"], ws)
        try git(["rm", "-q", "content/private/a.md"], ws)
        let deleted = try secured(["hook", "check"], in: ws.dir)
        #expect(deleted.status == 0, "\(deleted.stderrText)")
        #expect(deleted.stderrText.contains("0 staged records checked"))
    }

    @Test func theAuditHookUsesThePolicysPublicKey() throws {
        let ws = try repository()
        try policy(ws, "require-signature: true\nkeys: [Keys/site.pub]\nexclude: [README.md]\n")
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        let ok = try secured(["hook", "check", "--audit"], in: ws.dir)
        #expect(ok.status == 0, "\(ok.stderrText)")
        let text = try ws.read("content/public/b.md")
        _ = try ws.write("content/public/b.md", text.replacingOccurrences(of: "title: \"B\"", with: "title: \"X\""))
        try git(["add", "-A"], ws)
        let bad = try secured(["hook", "check", "--audit"], in: ws.dir)
        #expect(bad.status == 1 && bad.stderrText.contains("content/public/b.md:4: error: SR011"), "\(bad.stderrText)")
    }
}
