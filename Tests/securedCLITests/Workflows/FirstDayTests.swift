import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Journeys of a new user's first day, each reproduced as it was seen: a secret key kept out of
/// the repository and out of commits, writers finding the policy's key in their key folder, and
/// the hook and CI agreeing about the policy's manifest.
@Suite(
    "The first day: keys kept out of the repository, found where the policy says, hooks and CI agreeing", .serialized)
struct FirstDayTests {
    @Test func aSecretKeyIsNotWrittenIntoTheRepositoryNorCommitted() throws {
        // As seen: keygen with no --out wrote key.key into the current folder, with no warning
        // inside a git work tree; the hook let `git commit` of it through; init added nothing
        // to .gitignore.
        let ws = try Workspace()
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent(".gitignore"))
        try git(["init", "-q", "-b", "main"], ws)
        let home = ws.dir.appendingPathComponent("home").path
        let made = try secured(["keygen", "--id", "site"], in: ws.dir, environment: ["HOME": home])
        #expect(made.status == 0, "\(made.stderrText)")
        #expect(FileManager.default.fileExists(atPath: home + "/.config/secured/site.key"))
        #expect(FileManager.default.fileExists(atPath: home + "/.config/secured/site.pub"))
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("site.key").path))
        let xdg = ws.dir.appendingPathComponent("xdg").path
        #expect(
            try secured(["keygen", "--id", "x"], in: ws.dir, environment: ["HOME": home, "XDG_CONFIG_HOME": xdg]).status
                == 0)
        #expect(FileManager.default.fileExists(atPath: xdg + "/secured/x.key"))
        // Told to write one inside the work tree: it does, and warns.
        let inside = try secured(["keygen", "--id", "in", "--out", "Keys/in.key"], in: ws.dir)
        #expect(inside.status == 0)
        #expect(inside.stderrText.contains("Keys/in.key: warning: this secret key is inside the git work tree"))
        // The hook refuses a secret key staged under any name; public, team and passphrase keys pass.
        let key = try String(contentsOfFile: ws.keyPath, encoding: .utf8)
        _ = try ws.write("notes/backup.txt", key)
        _ = try ws.write("Keys/cli.pub", ws.key.publicKey!.fileText)
        _ = try ws.write("a.md", "---\ntitle: t\n---\nbody\n")
        try git(["add", "notes/backup.txt", "Keys/in.key", "Keys/cli.pub", "Keys/in.pub", "a.md"], ws)
        for args in [["hook", "check"], ["hook", "check", "--sealed"], ["hook", "check", "--audit"]] {
            let r = try secured(args, in: ws.dir)
            #expect(r.status == 1, "\(args): \(r.stderrText)")
            #expect(r.stderrText.contains("notes/backup.txt: error: is a secret key file"), "\(r.stderrText)")
            #expect(r.stderrText.contains("Keys/in.key: error: is a secret key file"))
            #expect(r.stderrText.contains("git rm --cached -- notes/backup.txt"))
            #expect(!r.stderrText.contains("cli.pub: error"))
        }
        // The fix it names works.
        let fix = try bash("git rm -q --cached -- notes/backup.txt && git rm -q --cached -- Keys/in.key", ws)
        #expect(fix.status == 0, "\(fix.stderrText)")
        let after = try secured(["hook", "check"], in: ws.dir)
        #expect(after.status == 0, "\(after.stderrText)")
        // With no policy at all, the hook says so instead of passing in silence.
        #expect(after.stderrText.contains("no policy file (.secured.yaml) was found"), "\(after.stderrText)")
        // init writes one, and adds *.key to .gitignore (once).
        #expect(try secured(["init"], in: ws.dir).status == 0)
        #expect(try ws.read(".gitignore").contains("\n*.key\n"))
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent(".secured.yaml"))
        #expect(try secured(["init"], in: ws.dir).status == 0)
        #expect(try ws.read(".gitignore").components(separatedBy: "*.key").count == 2)
        #expect(try bash("git check-ignore -q Keys/in.key && ! git check-ignore -q Keys/in.pub", ws).status == 0)
    }

    @Test func writersFindThePolicysKeyInTheUserKeyFolder() throws {
        // As seen: every seal/open/edit/sign needed --key ~/.config/secured/<id>.key; the
        // policy's keys were not read, and `~` was not expanded in a policy.
        let ws = try Workspace()
        let home = ws.dir.appendingPathComponent("home").path
        let env = ["HOME": home]
        #expect(try secured(["keygen", "--id", "site"], in: ws.dir, environment: env).status == 0)
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent("Keys"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: home + "/.config/secured/site.pub", toPath: ws.dir.appendingPathComponent("Keys/site.pub").path)
        _ = try ws.write(".secured.yaml", "keys: [Keys/site.pub]\n")
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nThe body.\n")
        let seal = try secured(["seal", "_posts/a.md"], in: ws.dir, environment: env)
        #expect(seal.status == 0, "\(seal.stderrText)")
        #expect(seal.stderrText.contains("note: no --key given: using \(home)/.config/secured/site.key"))
        let open = try secured(["open", "_posts/a.md"], in: ws.dir, environment: env)
        #expect(open.status == 0 && open.stdoutText == "The body.\n", "\(open.stderrText)")
        #expect(try secured(["sign", "_posts/a.md"], in: ws.dir, environment: env).status == 0)
        // With no such key, the message says what was looked for.
        let other = try secured(["open", "_posts/a.md"], in: ws.dir, environment: ["HOME": ws.dir.path])
        #expect(other.status == 2)
        #expect(other.stderrText.contains("no key file in \(ws.dir.path)/.config/secured for the policy's keys (site)"))
        // `~` in a policy's keys is the home folder.
        _ = try ws.write(".secured.yaml", "keys: [\"~/.config/secured/site.key\"]\nrequire-signature: true\n")
        let audit = try secured(["audit", "_posts"], in: ws.dir, environment: env)
        #expect(audit.status == 0, "\(audit.stdoutText)\(audit.stderrText)")
    }

    @Test func hooksAndCIAgreeAboutThePolicysManifest() throws {
        // As seen: `secured edit` or `sign` changed a record; both pre-commit hooks passed; CI
        // then failed with SR018 because the policy's manifest was stale.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", "manifest: _posts/MANIFEST.sha256\n")
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["sign", "_posts/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(try secured(["manifest", "build", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        #expect(try secured(["hook", "check", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["commit", "-q", "-m", "base"], ws)
        _ = try ws.write("_posts/a.md", try ws.read("_posts/a.md").replacing("body", with: "new body"))
        let sign = try secured(["sign", "_posts/a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(
            sign.stderrText.contains(
                "_posts/MANIFEST.sha256: note: this manifest, which the policy names, no longer matches the 1 record just written"
            ),
            "\(sign.stderrText)")
        try git(["add", "-A"], ws)
        let hook = try secured(["hook", "check", "--key", ws.keyPath], in: ws.dir)
        #expect(hook.status == 1, "\(hook.stderrText)")
        #expect(
            hook.stderrText.contains(
                "_posts/a.md: error: SR018 the manifest _posts/MANIFEST.sha256 the policy names lists another version"),
            "\(hook.stderrText)")
        #expect(try secured(["audit", "."], in: ws.dir).status == 1, "CI agrees")
        // The fix the hook names, then both pass.
        #expect(try secured(["manifest", "build", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        #expect(try secured(["hook", "check", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(try secured(["audit", ".", "--key", ws.keyPath], in: ws.dir).status == 0)
    }
}
