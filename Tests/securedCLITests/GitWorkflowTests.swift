import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Issue 13: the policy file in the commands, `secured init`, the pre-commit checks on the
/// index, `secured hook install`, and the textconv diff driver, in real git repositories.
@Suite("Git workflow: policy, hooks, diff driver", .serialized)
struct GitWorkflowTests {
    /// A repository with a key (secret and public), a private and a public record, a README.
    func repository() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write("content/private/a.md", "---\ntitle: \"A\"\n---\nThe private body.\n")
        _ = try ws.write("content/public/b.md", "---\ntitle: \"B\"\n---\nA public body.\n")
        _ = try ws.write("README.md", "# site\n")
        let pub = try secured(["pubkey", ws.keyPath], in: ws.dir)
        #expect(pub.status == 0)
        _ = try ws.write("Keys/site.pub", pub.stdoutText)
        return ws
    }

    func policy(_ ws: Workspace, _ text: String, at dir: String = "") throws {
        _ = try ws.write(dir + ".secured.yaml", text)
    }

    // MARK: - The policy in the commands

    @Test func auditReadsThePolicyAndFlagsAddToIt() throws {
        let ws = try repository()
        try policy(
            ws,
            """
            exclude: [README.md]
            require-secured: [content/private/**]
            keys: [Keys/site.pub]
            """)
        let r = try secured(["audit", "."], in: ws.dir)
        #expect(r.status == 1)
        #expect(r.stdoutText.contains("content/private/a.md: error: SR003"))
        #expect(!r.stdoutText.contains("content/public/b.md: error"))
        #expect(!(r.stdoutText + r.stderrText).contains("README.md"), "excluded")
        #expect(r.stderrText.contains("2 records checked"))
        // The command line adds: everywhere now.
        let all = try secured(["audit", ".", "--require-secured"], in: ws.dir)
        #expect(all.stdoutText.contains("content/public/b.md: error: SR003"))
        // A file named on the command line is still checked, excluded or not.
        let named = try secured(["audit", "README.md"], in: ws.dir)
        #expect(named.status == 1 && named.stderrText.contains("SR001"))
        // --no-policy: only the flags.
        let none = try secured(["audit", ".", "--no-policy"], in: ws.dir)
        #expect(none.stderrText.contains("3 records checked") && !none.stderrText.contains("SR003"))
        // Sealed and signed: the policy's public key verifies, no --key given.
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        let sealed = try secured(["audit", ".", "--require-signature"], in: ws.dir)
        #expect(sealed.status == 0, "\(sealed.stderrText)")
        #expect(sealed.stderrText.contains("only public keys were supplied"))
        // ...and a tampered record is caught with it.
        let text = try ws.read("content/public/b.md")
        _ = try ws.write("content/public/b.md", text.replacingOccurrences(of: "title: \"B\"", with: "title: \"C\""))
        let tampered = try secured(["audit", "."], in: ws.dir)
        #expect(tampered.status == 1 && tampered.stderrText.contains("SR011"))
    }

    @Test func includeIgnoreManifestAndExpectedKeys() throws {
        let ws = try repository()
        _ = try ws.write("notes/c.markdown", "---\ntitle: c\ntitle: d\n---\n")
        try policy(
            ws,
            """
            include: ["**/*.markdown", "content/**/*.md"]
            ignore: [SR002]
            manifest: content/MANIFEST.sha256
            keys: [site, other-key]
            """)
        #expect(try secured(["manifest", "build", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        let r = try secured(["audit", "."], in: ws.dir, environment: ["SECURED_KEY": try ws.read("site.key")])
        #expect(r.stderrText.contains("3 records checked"), "\(r.stderrText)")  // README.md is not included
        #expect(!r.stderrText.contains("error: SR002"), "ignored by the policy")
        #expect(r.stderrText.contains(".secured.yaml:2: note: this policy hides SR002"), "and the report says so")
        #expect(r.stderrText.contains("the policy expects key 'other-key'"))
        #expect(!r.stderrText.contains("expects key 'site'"))
        #expect(r.stderrText.contains("MANIFEST.sha256: note: verified"), "\(r.stderrText)")
        #expect(r.status == 0, "\(r.stderrText)")
        // --include adds to the policy's include: README.md is walked too.
        let wider = try secured(["audit", ".", "--include", "*.md", "--key", ws.keyPath], in: ws.dir)
        #expect(
            wider.stderrText.contains("4 records checked") && wider.stdoutText.contains("README.md"),
            "\(wider.stderrText)")
        // manifest check finds the manifest in the policy.
        let check = try secured(["manifest", "check", "--key", ws.keyPath], in: ws.dir)
        #expect(check.status == 0, "\(check.stderrText)")
        _ = try ws.write("content/new.md", "---\ntitle: n\n---\nnew\n")
        #expect(try secured(["manifest", "check", "--key", ws.keyPath], in: ws.dir).status == 1)
    }

    @Test func aBadPolicyIsAUsageErrorNamingItsLine() throws {
        let ws = try repository()
        try policy(ws, "include: [\"*.md\"]\nrequire-signature: sometimes\n", at: "content/")
        for args in [["audit", "content"], ["verify", "content", "--key", ws.keyPath], ["hook", "check"]] {
            if args[0] == "hook" { try git(["add", "-A"], ws) }
            let r = try secured(args, in: ws.dir)
            #expect(r.status == 2, "\(args): \(r.stderrText)")
            #expect(r.stderrText.contains("content/.secured.yaml:2: 'require-signature' is true, false"), "\(args)")
        }
        #expect(try secured(["audit", "content", "--no-policy"], in: ws.dir).status == 0)
    }

    @Test func initWritesACommentedPolicyOnce() throws {
        let ws = try repository()
        let r = try secured(["init"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let text = try ws.read(".secured.yaml")
        #expect(text.contains("require-secured:") && text.contains("# "))
        // It works as written: signatures are required, so with no key the audit refuses to
        // run (exit 2, SPEC 1.2 section 8); with the public key it finds the unsigned records.
        let audit = try secured(["audit", "."], in: ws.dir)
        #expect(audit.status == 2 && audit.stderrText.contains("signatures are required (.secured.yaml:"))
        let keyed = try secured(["audit", ".", "--key", "Keys/site.pub"], in: ws.dir)
        #expect(keyed.status == 1 && keyed.stderrText.contains("SR008"), "require-signature: true")
        _ = try ws.write(".secured.yaml", "# mine\n")
        let again = try secured(["init"], in: ws.dir)
        #expect(again.status == 1 && again.stderrText.contains("already exists"))
        #expect(try ws.read(".secured.yaml") == "# mine\n")
    }

    // MARK: - Hooks

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

    @Test func hookInstallWritesWhereGitLooksAndNeverOverAForeignHook() throws {
        let ws = try repository()
        try policy(ws, "require-secured: [content/private/**]\nexclude: [README.md]\n")
        try git(["config", "core.hooksPath", "githooks"], ws)
        let r = try secured(["hook", "install"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let hook = ws.dir.appendingPathComponent("githooks/pre-commit")
        let script = try String(contentsOf: hook, encoding: .utf8)
        #expect(
            script.contains("secured='\(securedBinary)'")
                || script.contains(URL(fileURLWithPath: securedBinary).lastPathComponent))
        #expect(FileManager.default.isExecutableFile(atPath: hook.path))
        // git runs it: the plaintext commit is refused, the sealed one goes in.
        try git(["add", "-A"], ws)
        let refused = try git(["commit", "-qm", "plaintext"], ws, status: 1)
        #expect(refused.stderrText.contains("commit refused"))
        #expect(try secured(["seal", "content/private/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        try git(["commit", "-qm", "sealed"], ws)
        // Installing again updates its own hook; a foreign hook is left alone (exit 1).
        #expect(try secured(["hook", "install"], in: ws.dir).status == 0)
        try Data("#!/bin/sh\necho mine\n".utf8).write(to: hook)
        let foreign = try secured(["hook", "install"], in: ws.dir)
        #expect(foreign.status == 1 && foreign.stderrText.contains("did not write"))
        #expect(try String(contentsOf: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")
        // Outside a repository: a usage error.
        let outside = try TestPaths.temporaryDirectory("no-repo")
        #expect(try secured(["hook", "install"], in: outside).status == 2)
    }

    // MARK: - Diff driver

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
}
