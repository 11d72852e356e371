import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Where the passphrase comes from, attacked as it was found: a variable that is not UTF-8 is
/// refused, not turned into replacement characters, and every command takes it the same way.
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

    @Test func rotateFromAPassphraseKeyTakesThePassphraseLikeEveryOtherCommand() throws {
        let ws = try sealed()
        _ = try ws.write("other/b.md", "---\ntitle: \"b\"\n---\nAlso members only.\n")
        #expect(try secured(["seal", "other", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("phrase.txt", Self.phrase + "\n")
        let share = try secured(
            [
                "share", "site.key", "--passphrase", "--label", "members", "--passphrase-file", "phrase.txt", "--out",
                "site.members.key.pw",
            ], in: ws.dir)
        #expect(share.status == 0, "\(share.stderrText)")
        let next = try Workspace(keyID: "next")
        let env = ["SECURED_PASSPHRASE": Self.phrase]

        // As found: the variable set, and the error told the user to set it. Now the key opens;
        // alone, a read-only key cannot check the ed25519 signature, and the message says so.
        let alone = try secured(
            ["rotate", "content", "--from", "site.members.key.pw", "--to", next.keyPath], in: ws.dir, environment: env)
        #expect(alone.status == 1, "\(alone.stderrText)")
        #expect(!alone.stderrText.contains("set SECURED_PASSPHRASE"), "\(alone.stderrText)")
        #expect(alone.stderrText.contains("SR010"), "\(alone.stderrText)")
        #expect(alone.stderrText.contains("read-only") && alone.stderrText.contains("--from site.pub"))

        // With the .pub beside it, from SECURED_PASSPHRASE...
        let viaVariable = try secured(
            ["rotate", "content", "--from", "site.members.key.pw", "--from", "site.pub", "--to", next.keyPath],
            in: ws.dir, environment: env)
        #expect(viaVariable.status == 0, "\(viaVariable.stderrText)")
        #expect(viaVariable.stderrText.contains("1 re-sealed and re-signed"), "\(viaVariable.stderrText)")
        // ...and from --passphrase-file.
        let viaFile = try secured(
            [
                "rotate", "other", "--from", "site.members.key.pw", "--from", "site.pub", "--passphrase-file",
                "phrase.txt", "--to", next.keyPath,
            ], in: ws.dir)
        #expect(viaFile.status == 0, "\(viaFile.stderrText)")
        for (record, body) in [("content/a.md", "Members only.\n"), ("other/b.md", "Also members only.\n")] {
            let open = try secured(["open", record, "--key", next.keyPath], in: ws.dir)
            #expect(open.status == 0 && open.stdoutText == body, "\(open.stderrText)")
        }
        for r in [alone, viaVariable, viaFile] { #expect(!r.stderrText.contains(Self.phrase)) }
    }
}

/// A folder of passphrase key files at the highest count readers take: `verify` never unwraps
/// them, and one a record names still fails as a configuration error.
@Suite("Hostile passphrase key folders: unwrapped only when a record names them")
struct HostilePassphraseFolderTests {
    /// A well-formed passphrase key file for `id` at 10,000,000 iterations whose wrapped key
    /// opens under no passphrase: deriving it would take seconds, and then fail.
    static func unopenable(id: String, iterations: Int = 10_000_000) throws -> String {
        let salt = Base64.encode(try SecureRandom.bytes(count: 16))
        let wrapped = Base64.encode(try SecureRandom.bytes(count: 12 + 60 + 16))
        let text =
            "untrusted comment: secured passphrase key \(id) members\npbkdf2-sha256;\(iterations);\(salt)\n\(wrapped)\n"
        _ = try PassphraseKeyFile(parsing: text)  // well-formed: only deriving could tell
        return text
    }

    @Test func verifyNeverUnwrapsPassphraseKeysNoRecordNames() throws {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("keys/site.pub", ws.key.publicKey!.fileText)
        for k in 0..<6 { _ = try ws.write("keys/reader\(k).members.key.pw", try Self.unopenable(id: "reader\(k)")) }
        for k in 0..<3 { _ = try ws.write("content/\(k).md", "---\ntitle: \"\(k)\"\n---\nbody \(k)\n") }
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        // Eagerly, six derivations of 10,000,000 iterations, then "wrong passphrase" (exit 2).
        let verify = try runProcess(
            "timeout", ["-s", "KILL", "120", securedBinary, "verify", "content", "--key", "keys"],
            environment: ["SECURED_PASSPHRASE": "ample orbit velvet cactus harbor"],
            removing: ["SECURED_KEY", "GITHUB_STEP_SUMMARY"], currentDirectory: ws.dir)
        #expect(verify.status == 0, "\(verify.stderrText)")
        #expect(verify.stderrText.contains("3 valid"), "\(verify.stderrText)")
        #expect(!verify.stderrText.contains("wrong passphrase"), "\(verify.stderrText)")
    }

    @Test func aPassphraseKeyThatFailsWhenARecordNamesItIsStillAConfigurationError() throws {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("keys/site.pub", ws.key.publicKey!.fileText)
        _ = try ws.write("keys/site.members.key.pw", try Self.unopenable(id: "site", iterations: 100_000))
        _ = try ws.write("content/a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        let env = ["SECURED_PASSPHRASE": "ample orbit velvet cactus harbor"]
        // verify decrypts nothing: the file is never unwrapped.
        let verify = try secured(["verify", "content", "--key", "keys"], in: ws.dir, environment: env)
        #expect(verify.status == 0, "\(verify.stderrText)")
        // audit opens the record signed by 'site': now it is unwrapped, and fails as it would have up front.
        let audit = try secured(["audit", "content", "--key", "keys"], in: ws.dir, environment: env)
        #expect(audit.status == 2, "\(audit.stderrText)")
        #expect(
            audit.stderrText.contains("site.members.key.pw: wrong passphrase or damaged file"), "\(audit.stderrText)")
        let open = try secured(["open", "content/a.md", "--key", "keys"], in: ws.dir, environment: env)
        #expect(open.status == 2 && open.stderrText.contains("wrong passphrase or damaged file"), "\(open.stderrText)")
    }
}
