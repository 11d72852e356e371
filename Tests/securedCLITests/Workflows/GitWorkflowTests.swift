import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// The policy file read by the commands in a real git repository: flags add to it, it includes,
/// ignores and names the manifest and the keys, and a bad policy is a usage error naming its line.
/// The hooks and the diff driver in such a repository: Commands/Hook, Commands/Textconv.
@Suite("Git workflow: the policy in the commands", .serialized)
struct GitWorkflowTests: GitRepositoryFixture {
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
}
