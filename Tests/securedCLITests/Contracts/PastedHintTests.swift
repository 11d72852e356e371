import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@testable import secured

/// A hint that suggests a command with a key runs as pasted: it passes the key the command was
/// given, or the policy's key from the user's key folder, or says what to put in place of KEY.
@Suite("Hints run as pasted, with the key the command was given")
struct PastedHintTests {
    /// Runs a command line as a user pastes it: bash, `secured` first on the PATH.
    func paste(_ line: String, in ws: Workspace, environment: [String: String] = [:]) throws -> ProcessResult {
        let bin = URL(fileURLWithPath: securedBinary).deletingLastPathComponent().path
        let path = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        return try runProcess(
            "bash", ["--noprofile", "--norc", "-c", line],
            environment: gitTestEnvironment.merging(environment.merging(["PATH": path]) { $1 }) { $1 },
            removing: ["SECURED_KEY", "SECURED_PASSPHRASE", "GIT_DIR", "GIT_INDEX_FILE"].filter {
                environment[$0] == nil
            },
            currentDirectory: ws.dir)
    }

    /// The command a finding's hint suggests after `lead` (`Sign it: `), up to the end of the line.
    func suggested(_ output: String, after lead: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix("  hint: ") && $0.contains(lead) }.map {
            String($0.split(separator: lead, maxSplits: 1).last!)
        }
    }

    @Test func aSignHintPassesTheKeyTheAuditWasGiven() throws {
        // As seen: `secured sign --key KEY -- …`, pasted, gave "error: KEY: cannot read key".
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\nbody\n")
        let audit = try secured(["audit", "c", "--key", "site.key", "--require-signature"], in: ws.dir)
        #expect(audit.status == 1)
        let command = try #require(suggested(audit.stdoutText, after: "Sign it: "), "\(audit.stdoutText)")
        #expect(command == "secured sign --key site.key -- c/a.md")
        let pasted = try paste(command, in: ws)
        #expect(pasted.status == 0, "\(pasted.stderrText)")
        #expect(try secured(["audit", "c", "--key", "site.key", "--require-signature"], in: ws.dir).status == 0)
        // A key file whose name needs quoting is one shell word.
        try FileManager.default.copyItem(atPath: ws.keyPath, toPath: ws.dir.appendingPathComponent("my key's.key").path)
        _ = try ws.write("c/b.md", "---\ntitle: b\n---\nbody\n")
        let quoted = try secured(["audit", "c/b.md", "--key", "my key's.key", "--require-signature"], in: ws.dir)
        let word = try #require(suggested(quoted.stdoutText, after: "Sign it: "))
        #expect(word == "secured sign --key 'my key'\\''s.key' -- c/b.md")
        #expect(try paste(word, in: ws).status == 0)
    }

    @Test func aKeyPathThatStartsWithADashIsNotReadAsAnOptionWhenPasted() throws {
        // As found: `secured seal --reseal --key -x.key -- s.md`, pasted, gave "Missing value
        // for '--key <path>'".
        let ws = try Workspace(keyID: "site")
        try FileManager.default.copyItem(atPath: ws.keyPath, toPath: ws.dir.appendingPathComponent("-x.key").path)
        _ = try ws.write("s.md", "---\ntitle: s\n---\nfirst body\n")
        #expect(try secured(["seal", "s.md", "--key=-x.key"], in: ws.dir).status == 0)
        _ = try ws.write("s.md", try ws.read("s.md") + "a body written after sealing\n")
        let seal = try secured(["seal", "s.md", "--key=-x.key"], in: ws.dir)
        #expect(seal.status == 1)
        let command = try #require(
            suggested(seal.stderrText, after: "(which is then lost for good): "), "\(seal.stderrText)")
        #expect(command == "secured seal --reseal --key ./-x.key -- s.md", "\(seal.stderrText)")
        let pasted = try paste(command, in: ws)
        #expect(pasted.status == 0, "\(pasted.stderrText)")
        // A sign hint from audit, the same.
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\nbody\n")
        let audit = try secured(["audit", "c", "--key=-x.key", "--require-signature"], in: ws.dir)
        let sign = try #require(suggested(audit.stdoutText, after: "Sign it: "), "\(audit.stdoutText)")
        #expect(sign == "secured sign --key ./-x.key -- c/a.md")
        #expect(try paste(sign, in: ws).status == 0)
    }

    @Test func withNoKeyKnownTheHintSaysWhatToPutInPlaceOfKEY() throws {
        let ws = try Workspace(keyID: "site")
        let pub = try ws.write("Keys/site.pub", ws.key.publicKey!.fileText)
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\nbody\n")
        let audit = try secured(["audit", "c", "--key", pub, "--require-signature"], in: ws.dir)
        let hint = try #require(suggested(audit.stdoutText, after: "Sign it: "), "\(audit.stdoutText)")
        #expect(hint == "secured sign --key KEY -- c/a.md", "the command ends the line, to select and paste")
        #expect(
            audit.stdoutText.contains(
                "  hint: In place of KEY, put the path of your secret key file, one with 'sign' or 'mac' such as ~/.config/secured/<id>.key; no key that signs came from the key files given, SECURED_KEY or the policy's keys. Sign it: secured sign --key KEY -- c/a.md\n"
            ), "\(audit.stdoutText)")
        // Pasted as it is, the placeholder is named for what it is.
        let pasted = try paste("secured sign --key KEY -- c/a.md", in: ws)
        #expect(pasted.status == 2)
        #expect(pasted.stderrText.contains("KEY: cannot read key"), "\(pasted.stderrText)")
        #expect(pasted.stderrText.contains("KEY in a suggested command stands for your key file: put its path there"))
        // The rules' help (SARIF, explain) says the same.
        #expect(
            RecordError.Code.sr008SignatureMissing.help.hasPrefix(
                "In place of KEY, put the path of your secret key file"))
    }

    @Test func theKeyFromSECUREDKEYNeedsNoOption() throws {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\nbody\n")
        let env = ["SECURED_KEY": try ws.read("site.key")]
        let audit = try secured(["audit", "c", "--require-signature"], in: ws.dir, environment: env)
        let command = try #require(suggested(audit.stdoutText, after: "Sign it: "), "\(audit.stdoutText)")
        #expect(command == "secured sign -- c/a.md")
        #expect(try paste(command, in: ws, environment: env).status == 0)
    }

    @Test func theHookNamesThePolicysKeyFromTheUserKeyFolder() throws {
        // The tour's case: the policy names Keys/site.pub, the secret key is in
        // ~/.config/secured; the hook refuses a plaintext private post and its hint runs.
        let ws = try Workspace(keyID: "unused")
        let home = ws.dir.appendingPathComponent("home").path
        let env = ["HOME": home]
        try git(["init", "-q", "-b", "main"], ws)
        #expect(try secured(["keygen", "--id", "site"], in: ws.dir, environment: env).status == 0)
        _ = try ws.write(
            "Keys/site.pub", try String(contentsOfFile: home + "/.config/secured/site.pub", encoding: .utf8))
        _ = try ws.write(".secured.yaml", "require-secured: [\"private/**\"]\nkeys: [Keys/site.pub]\n")
        _ = try ws.write("private/a b.md", "---\ntitle: a\n---\nsecret body\n")
        try git(["add", "-A"], ws)
        let hook = try secured(["hook", "check", "--sealed"], in: ws.dir, environment: env)
        #expect(hook.status == 1)
        let command = try #require(suggested(hook.stderrText, after: "Seal it: "), "\(hook.stderrText)")
        #expect(
            command
                == "secured seal --key ~/.config/secured/site.key -- 'private/a b.md' && git add -- 'private/a b.md'")
        let pasted = try paste(command, in: ws, environment: env)
        #expect(pasted.status == 0, "\(pasted.stderrText)")
        #expect(try secured(["hook", "check"], in: ws.dir, environment: env).status == 0)
    }

    @Test func manifestHintsPassTheKeyAndRunAsPasted() throws {
        // As seen: `secured manifest build --key KEY ROOT` was the hint.
        let ws = try Workspace(keyID: "site")
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", "manifest: _posts/MANIFEST.sha256\n")
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["manifest", "build", "--key", "site.key"], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        try git(["commit", "-q", "-m", "base"], ws)
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nnew body\n")
        let sign = try secured(["sign", "_posts/a.md", "--key", "site.key"], in: ws.dir)
        #expect(
            sign.stderrText.contains("rebuild it before committing: secured manifest build --key site.key -- _posts\n"),
            "\(sign.stderrText)")
        try git(["add", "-A"], ws)
        let hook = try secured(["hook", "check", "--key", "site.key"], in: ws.dir)
        #expect(hook.status == 1)
        let line = try #require(hook.stderrText.split(separator: "\n").first { $0.contains("rebuild it: ") })
        let command = String(line.split(separator: "rebuild it: ").last!)
        #expect(command == "secured manifest build --key site.key && git add -- _posts/MANIFEST.sha256", "\(line)")
        #expect(try paste(command, in: ws).status == 0)
        #expect(try secured(["hook", "check", "--key", "site.key"], in: ws.dir).status == 0)
        // With no policy's manifest, the root is the part to fill in, and the message says so.
        let none = try secured(["manifest", "build", "--key", "site.key", "--no-policy"], in: ws.dir)
        #expect(
            none.stderrText.contains(
                "in place of ROOT, put the corpus's folder; secured manifest build --key site.key -- ROOT"),
            "\(none.stderrText)")
    }

    @Test func rotateNamesTheCopiesOfTheOldKeyWithTheShareThatReplacesEach() throws {
        // After a rotation, the published passphrase key files still held
        // the old key, and nothing said so.
        let ws = try Workspace(keyID: "old")
        let env = ["SECURED_PASSPHRASE": "a passphrase long enough for members"]
        _ = try ws.write("Keys/old.pub", ws.key.publicKey!.fileText)
        _ = try ws.write(".secured.yaml", "keys: [Keys/old.pub]\n")
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nFor members.\n")
        #expect(try secured(["seal", "_posts", "--key", "old.key"], in: ws.dir).status == 0)
        #expect(try secured(["keygen", "--id", "new", "--out", "new.key"], in: ws.dir).status == 0)
        // No copy of the old key anywhere: no note.
        let plain = try secured(["rotate", "_posts", "--from", "old.key", "--to", "new.key"], in: ws.dir)
        #expect(plain.status == 0 && !plain.stderrText.contains("holds the old key"), "\(plain.stderrText)")
        // Back to the old key, with a members' passphrase copy and a team's age copy of it.
        #expect(try secured(["rotate", "_posts", "--from", "new.key", "--to", "old.key"], in: ws.dir).status == 0)
        let share = ["share", "old.key", "--passphrase", "--label", "members", "--out", "Keys/old.members.key.pw"]
        #expect(try secured(share, in: ws.dir, environment: env).status == 0)
        let recipient = try secured(["identity", "--out", "me.txt"], in: ws.dir).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let age = ["share", "old.key", "-r", recipient, "--out", "Keys/old.key.age"]
        #expect(try secured(age, in: ws.dir).status == 0)
        let r = try secured(["rotate", "_posts", "--from", "old.key", "--to", "new.key"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let lines = r.stderrText.split(separator: "\n").map(String.init)
        let pw = try #require(lines.first { $0.hasPrefix("Keys/old.members.key.pw: note: holds the old key 'old'") })
        #expect(pw.contains("publish it wherever this one is published"))
        let command = try #require(pw.split(separator: "then delete this file: ").last.map(String.init))
        #expect(command == "secured share new.key --passphrase --label members --out Keys/new.members.key.pw")
        let team = try #require(lines.first { $0.hasPrefix("Keys/old.key.age: note: holds the old key 'old'") })
        #expect(
            team.hasSuffix(
                "secured share new.key -r RECIPIENT --out Keys/new.key.age (RECIPIENT: each holder's age1… recipient, one -r each)"
            ), "\(team)")
        // The command, pasted, writes the new key's copy, and the members' passphrase opens the
        // rotated post with it (and the new public key).
        #expect(try paste(command, in: ws, environment: env).status == 0)
        _ = try ws.write("Keys/new.pub", try ws.read("new.pub"))
        let open = try secured(
            ["open", "_posts/a.md", "--key", "Keys/new.members.key.pw", "--key", "Keys/new.pub"], in: ws.dir,
            environment: env)
        #expect(open.status == 0 && open.stdoutText == "For members.\n", "\(open.stderrText)")
    }
}
