import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Where the passphrase comes from, attacked as it was found (issue: keys-hostile, items A and B):
/// a variable that is not UTF-8, and a command that loaded keys its own way.
@Suite("Hostile passphrases: one way in, bytes as given", .serialized)
struct HostilePassphraseTests {
    static let phrase = "ample orbit velvet cactus harbor"

    /// A workspace with its key's .pub and one record sealed and signed (ed25519) with it.
    func sealed() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("site.pub", ws.key.publicKey!.fileText)
        _ = try ws.write("content/a.md", "---\ntitle: \"a\"\n---\nMembers only.\n")
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        return ws
    }

    /// `secured` with SECURED_PASSPHRASE set to the bytes `octal` (a `printf` format such as
    /// `\377\376`) by a shell: Foundation's `Process` cannot carry bytes that are not UTF-8.
    func securedWithRawPassphrase(_ octal: String, _ arguments: [String], in dir: URL) throws -> ProcessResult {
        try runProcess(
            "/bin/sh",
            ["-c", "SECURED_PASSPHRASE=\"$(printf '\(octal)')\" exec \"$0\" \"$@\"", securedBinary] + arguments,
            removing: ["SECURED_KEY", "SECURED_PASSPHRASE", "GITHUB_STEP_SUMMARY"], currentDirectory: dir)
    }

    @Test func aPassphraseVariableThatIsNotUTF8IsRefusedNotTurnedIntoReplacementCharacters() throws {
        let ws = try sealed()
        // As found: the public string of fourteen U+FFFD wraps a file...
        let replacement = String(repeating: "\u{FFFD}", count: 14)
        let wrote = try secured(
            ["share", "site.key", "--passphrase", "--label", "members", "--out", "site.members.key.pw"], in: ws.dir,
            environment: ["SECURED_PASSPHRASE": replacement])
        #expect(wrote.status == 0, "\(wrote.stderrText)")
        // ...and fourteen bytes that are not UTF-8 (each different) opened it.
        let invalid = String(repeating: "\\377", count: 7) + String(repeating: "\\376", count: 7)
        let keys = ["--key", "site.members.key.pw", "--key", "site.pub"]
        let open = try securedWithRawPassphrase(invalid, ["open", "content/a.md"] + keys, in: ws.dir)
        #expect(open.status == 2, "\(open.stdoutText)")
        #expect(!open.stdoutText.contains("Members only."))
        #expect(open.stderrText.contains("SECURED_PASSPHRASE is not UTF-8"), "\(open.stderrText)")
        #expect(!open.stderrText.contains("\u{FFFD}"), "the value is quoted")

        // share refuses to write a file under it, without a word before.
        let share = try securedWithRawPassphrase(
            invalid, ["share", "site.key", "--passphrase", "--label", "other", "--out", "site.other.key.pw"],
            in: ws.dir)
        #expect(share.status == 2, "\(share.stderrText)")
        #expect(share.stderrText.contains("SECURED_PASSPHRASE"), "\(share.stderrText)")
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("site.other.key.pw").path))

        // Every command that loads keys reads it the same way: audit too.
        let audit = try securedWithRawPassphrase(invalid, ["audit", "content"] + keys, in: ws.dir)
        #expect(audit.status == 2 && audit.stderrText.contains("SECURED_PASSPHRASE"), "\(audit.stderrText)")

        // The same bytes as valid UTF-8 still work through the shell path (the harness is sound).
        let fine = try securedWithRawPassphrase(
            replacement.utf8.map { "\\" + String($0, radix: 8) }.joined(), ["open", "content/a.md"] + keys,
            in: ws.dir)
        #expect(fine.status == 0 && fine.stdoutText == "Members only.\n", "\(fine.stderrText)")
    }
}
