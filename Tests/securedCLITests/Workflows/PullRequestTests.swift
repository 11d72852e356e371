import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// What a pull request controls — every record, file name, policy and key file it adds —
/// cannot hide records, forge CI output or run commands. Each test builds the input the way
/// an attacker would.
@Suite("Pull requests: policies, file names and keys it adds", .serialized)
struct PullRequestInputTests {
    /// A signed record at `a.md`, and under `sub/` an unsigned one and a tampered one.
    func corpusWithHiddenFolder(_ ws: Workspace) throws {
        try Data(publicKeyFileText(ws)).write(to: ws.dir.appendingPathComponent("cli.pub"))
        _ = try ws.write("a.md", "---\ntitle: \"A\"\n---\nBody a.\n")
        _ = try ws.write("sub/b.md", "---\ntitle: \"B\"\n---\nBody b.\n")
        _ = try ws.write("sub/c.md", "---\ntitle: \"C\"\n---\nBody c.\n")
        #expect(try secured(["sign", "a.md", "sub/c.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let c = try ws.read("sub/c.md").replacing("Body c.", with: "Body changed.")
        _ = try ws.write("sub/c.md", c)
    }

    @Test(arguments: ["exclude: [\"*.md\"]\n", "include: [\"*.txt\"]\n"])
    func aPolicyBelowTheFolderThatLeavesRecordsOutIsNamedInEveryFormat(_ policy: String) throws {
        // As found: "1 record checked, 1 passed", exit 0, no note, while sub/ holds an
        // unsigned and a tampered record.
        let ws = try Workspace()
        try corpusWithHiddenFolder(ws)
        _ = try ws.write("sub/.secured.yaml", policy)
        let args = ["audit", ".", "--key", "cli.pub", "--require-signature"]
        let text = try secured(args, in: ws.dir)
        #expect(
            text.stderrText.contains("sub/.secured.yaml: note: this policy leaves 2 records out"), "\(text.stderrText)")
        #expect(text.stderrText.contains("sub/b.md") && text.stderrText.contains("sub/c.md"))
        let json = try secured(args + ["--format", "json"], in: ws.dir)
        #expect(json.stdoutText.contains("\"kind\":\"policyNarrowsChecks\""), "\(json.stdoutText)")
        let sarif = try secured(args + ["--format", "sarif"], in: ws.dir)
        #expect(sarif.stdoutText.contains("this policy leaves 2 records out"), "\(sarif.stdoutText)")
        let github = try secured(args + ["--format", "github"], in: ws.dir)
        #expect(
            github.stdoutText.contains("::warning file=sub/.secured.yaml,title=secured%3A policyNarrowsChecks::"),
            "\(github.stdoutText)")
        let junit = try secured(args + ["--format", "junit"], in: ws.dir)
        #expect(junit.stdoutText.contains("<system-err>sub/.secured.yaml: note: this policy leaves 2 records"))
        // Without a signature requirement a policy narrows the walk as it always did.
        let plain = try secured(["audit", ".", "--key", "cli.pub"], in: ws.dir)
        #expect(!plain.stderrText.contains("leaves"), "\(plain.stderrText)")
    }

    @Test func aPolicyCannotHideSignatureErrorsTheCommandLineRequires() throws {
        // As found: `ignore: [SR011]` in a subfolder let a tampered staged record through
        // `hook check --audit` with no note.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        try corpusWithHiddenFolder(ws)
        _ = try ws.write("sub/.secured.yaml", "ignore: [SR008, SR011]\n")
        try git(["add", "-A"], ws)
        let required = try secured(["hook", "check", "--audit", "--key", "cli.pub", "--require-signature"], in: ws.dir)
        #expect(required.status == 1)
        #expect(
            required.stderrText.contains("SR011") && required.stderrText.contains("SR008"), "\(required.stderrText)")
        let audit = try secured(["audit", ".", "--key", "cli.pub", "--require-signature"], in: ws.dir)
        #expect(audit.status == 1 && audit.stderrText.contains("SR011"), "\(audit.stderrText)")
        // Without the requirement the policy may hide them, and the hook says so, as the audit does.
        let hook = try secured(["hook", "check", "--audit", "--key", "cli.pub"], in: ws.dir)
        #expect(hook.status == 0)
        #expect(
            hook.stderrText.contains("sub/.secured.yaml:1: note: this policy hides SR008, SR011"), "\(hook.stderrText)")
    }

    @Test func aKeyAPolicyBelowTheRootAddsIsNamed() throws {
        // As found: a subfolder policy's `keys: [evil.pub]` verified a tampered
        // record re-signed with the attacker's key, in every format, with no word about it.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        try Data(publicKeyFileText(ws)).write(to: ws.dir.appendingPathComponent("Keys/cli.pub"))
        _ = try ws.write(".secured.yaml", "require-signature: true\nkeys: [Keys/cli.pub]\n")
        _ = try ws.write("news/a.md", "---\ntitle: \"A\"\n---\nForged.\n")
        #expect(try secured(["keygen", "--id", "evil", "--out", "evil.key"], in: ws.dir).status == 0)
        #expect(try secured(["sign", "news/a.md", "--key", "evil.key"], in: ws.dir).status == 0)
        try FileManager.default.moveItem(
            at: ws.dir.appendingPathComponent("evil.pub"), to: ws.dir.appendingPathComponent("news/evil.pub"))
        _ = try ws.write("news/.secured.yaml", "require-signature: true\nkeys: [evil.pub]\n")
        try git(["add", "news"], ws)
        let note = "news/.secured.yaml:2: note: this policy adds the key file news/evil.pub"
        for args in [["audit", ".", "--key", "Keys/cli.pub", "--require-signature"], ["hook", "check", "--audit"]] {
            let r = try secured(args, in: ws.dir)
            #expect(r.stderrText.contains(note), "\(args): \(r.stderrText)")
        }
        let github = try secured(["audit", ".", "--require-signature", "--format", "github"], in: ws.dir)
        #expect(github.stdoutText.contains("::warning file=news/.secured.yaml,line=2,title=secured%3A policyAddsKey::"))
    }

    @Test func aPolicyBelowTheRootThatDropsTheSignatureRequirementIsNamed() throws {
        // As found: `{}` in a subfolder made `hook check --audit` pass a tampered and
        // an unsigned record with no note.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        try Data(publicKeyFileText(ws)).write(to: ws.dir.appendingPathComponent("Keys/cli.pub"))
        _ = try ws.write(".secured.yaml", "require-signature: true\nkeys: [Keys/cli.pub]\n")
        _ = try ws.write("news/a.md", "---\ntitle: \"A\"\n---\nBody.\n")
        #expect(try secured(["sign", "news/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("news/a.md", try ws.read("news/a.md").replacing("Body.", with: "Changed."))
        _ = try ws.write("news/u.md", "---\ntitle: \"U\"\n---\nUnsigned.\n")
        _ = try ws.write("news/.secured.yaml", "{}\n")
        // The root policy is staged too: the hook reads the policies as the commit holds them.
        try git(["add", ".secured.yaml", "news"], ws)
        let hook = try secured(["hook", "check", "--audit"], in: ws.dir)
        #expect(
            hook.stderrText.contains(
                "news/.secured.yaml: note: this policy drops what the policy of the folder checked requires of 2 records"
            ),
            "\(hook.stderrText)")
        #expect(hook.stderrText.contains("1 signature was not verified: no key was given"), "\(hook.stderrText)")
        let audit = try secured(["audit", "."], in: ws.dir)
        #expect(
            audit.stderrText.contains("this policy drops what the policy of the folder checked requires of 2 records"),
            "\(audit.stderrText)")
    }

    @Test func aPolicyBelowTheRootThatDropsTheSealingRequirementIsNamed() throws {
        // As found: `include: ["*.md"]` in `_posts/private/` under a root policy
        // with `require-secured: ["_posts/private/**"]` let a plaintext private post through
        // the hook and the audit, with no word.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", "require-secured: [\"_posts/private/**\"]\n")
        _ = try ws.write("_posts/private/a.md", "---\ntitle: x\n---\nSECRET PLAINTEXT\n")
        try git(["add", "-A"], ws)
        let before = try secured(["hook", "check"], in: ws.dir)
        #expect(before.status == 1 && (before.stdoutText + before.stderrText).contains("SR003"), "\(before.stderrText)")
        _ = try ws.write("_posts/private/.secured.yaml", "include: [\"*.md\"]\n")
        try git(["add", "-A"], ws)
        let note =
            "_posts/private/.secured.yaml: note: this policy drops what the policy of the folder checked requires of 1 record"
        let hook = try secured(["hook", "check"], in: ws.dir)
        #expect(hook.stderrText.contains(note), "\(hook.stderrText)")
        // As found: the commit went through with that note. The hook refuses it.
        #expect(hook.status == 1, "\(hook.stderrText)")
        #expect(
            hook.stderrText.contains(
                "commit refused: _posts/private/.secured.yaml undoes what the root's policy requires of staged records"),
            "\(hook.stderrText)")
        let github = try secured(["audit", ".", "--format", "github"], in: ws.dir)
        #expect(
            github.stdoutText.contains(
                "::warning file=_posts/private/.secured.yaml,title=secured%3A policyDropsRequirement::"),
            "\(github.stdoutText)")
        // A sub-policy leaving the records out of a run that requires them sealed: named too.
        _ = try ws.write("_posts/private/.secured.yaml", "include: [\"*.txt\"]\n")
        _ = try ws.write("_posts/public.md", "---\ntitle: p\n---\nPublic.\n")
        let narrowed = try secured(["audit", ".", "--require-secured"], in: ws.dir)
        #expect(
            narrowed.stderrText.contains(
                "this policy leaves 1 record out of a run that requires them signed or sealed"),
            "\(narrowed.stderrText)")
    }

    @Test func hookCheckSealedWithRequireSignatureIsRefusedNotIgnored() throws {
        // As found: exit 0, "1 staged record checked", with no key and no signature checked.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write("a.md", "---\ntitle: t\n---\nbody\n")
        try git(["add", "-A"], ws)
        let r = try secured(["hook", "check", "--sealed", "--require-signature"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains("--require-signature is checked by the audit half"))
        let both = try secured(["hook", "check", "--require-signature"], in: ws.dir)
        #expect(both.status == 2 && both.stderrText.contains("no key was given"), "\(both.stderrText)")
    }

    @Test func theKeyModeWarningSuggestsACommandThatRunsAsWritten() throws {
        // As found: `run chmod 600 Keys/$(touch PWNED).key`, on every clone (git checks files
        // out 0644).
        let ws = try Workspace()
        let names = ["$(touch PWNED).key", "a b;touch PWNED-9.key", "`touch PWNED-2`.key"]
        let key = try String(contentsOfFile: ws.keyPath, encoding: .utf8)
        for name in names {
            let path = try ws.write(
                "Keys/\(name)", key.replacing("id: cli", with: "id: k\(names.firstIndex(of: name)!)"))
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        _ = try ws.write("a.md", "---\ntitle: t\n---\nbody\n")
        let r = try secured(["audit", "a.md", "--key", "Keys"], in: ws.dir)
        let fixes = r.stderrText.split(separator: "\n").compactMap { line in
            line.range(of: "; run ").map { String(line[$0.upperBound...]) }
        }
        #expect(fixes.count == names.count, "\(r.stderrText)")
        for fix in fixes {
            #expect(fix.hasPrefix("chmod 600 -- "), "\(fix)")
            let run = try bash(fix, ws)
            #expect(run.status == 0, "\(fix): \(run.stderrText)")
        }
        let made = try FileManager.default.contentsOfDirectory(atPath: ws.dir.path).filter { $0.hasPrefix("PWNED") }
        #expect(made.isEmpty, "a suggestion ran a command: \(made)")
        for name in names {
            let mode =
                try FileManager.default.attributesOfItem(atPath: ws.dir.appendingPathComponent("Keys/\(name)").path)[
                    .posixPermissions] as? Int
            #expect(mode == 0o600, "\(name): the suggestion did what it says")
        }
        #expect(
            !(try secured(["audit", "a.md", "--key", "Keys"], in: ws.dir)).stderrText.contains("warning: key file"))
    }

    static let forged = "\n::error file=evil.md,line=1::forged by a policy\u{1B}[31m\u{07}"

    @Test(arguments: [
        "\"x\(PullRequestInputTests.forged.escapedForYAML)\": 1\n",
        "ignore: [\"SR011\(PullRequestInputTests.forged.escapedForYAML)\"]\n",
        "require-signature: \"x\(PullRequestInputTests.forged.escapedForYAML)\"\n",
        "keys: [\"k\(PullRequestInputTests.forged.escapedForYAML).pub\"]\n",
    ])
    func policyTextIsNeverQuotedRaw(_ policy: String) throws {
        // As found: a policy value holding a line break, ESC or BEL wrote a line that starts a
        // workflow command, and raw terminal escapes, on stderr in every format.
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: t\n---\nbody\n")
        _ = try ws.write(".secured.yaml", policy)
        for format in ["text", "json", "github", "sarif", "junit"] {
            let r = try secured(["audit", ".", "--format", format], in: ws.dir)
            #expect(r.status == 2, "\(format): \(r.stderrText)")
            let out = r.stdoutText + r.stderrText
            #expect(!out.contains("\u{1B}") && !out.contains("\u{07}"), "\(format): raw control character")
            for line in out.split(separator: "\n") {
                #expect(!line.drop(while: { $0 == " " }).hasPrefix("::"), "\(format): \(line)")
            }
        }
    }

    @Test func aFileNameWithALineBreakKeepsItsPercentEscapeInAnAnnotation() throws {
        // As found: `file=a\x0Ab.md`, an annotation on a file that does not exist.
        let ws = try Workspace()
        _ = try ws.write("new\nline.md", "---\ntitle: a\ntitle: b\n---\nbody\n")
        let r = try secured(["audit", ".", "--format", "github"], in: ws.dir)
        #expect(r.stdoutText.contains("::error file=new%0Aline.md,line=2,title=SR002::"), "\(r.stdoutText)")
        let text = try secured(["audit", "."], in: ws.dir)
        #expect(text.stdoutText.contains("new\\x0Aline.md:2: error: SR002"), "\(text.stdoutText)")
    }

    @Test func aStagedFileNameCannotStartAWorkflowCommand() throws {
        // As found: hook check's lines begin with the raw path.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", "require-secured: true\n")
        _ = try ws.write("::error file=x.md::forged ##[group]x.md", "---\ntitle: t\n---\nplain\n")
        try git(["add", "-A"], ws)
        let r = try secured(["hook", "check"], in: ws.dir)
        #expect(r.status == 1)
        #expect(r.stderrText.contains("\\x3A:error file=x.md::forged ##\\x5Bgroup]x.md"), "\(r.stderrText)")
        for line in (r.stdoutText + r.stderrText).split(separator: "\n") {
            #expect(!line.drop(while: { $0 == " " }).hasPrefix("::") && !line.contains("##["), "\(line)")
        }
    }

    @Test func trustFromTheBaseIgnoresAKeyAndAPolicyThePullRequestAdded() throws {
        // As found: a policy's `keys:` added the attacker's own public key, and records signed
        // with it passed with no note.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        try Data(publicKeyFileText(ws)).write(to: ws.dir.appendingPathComponent("Keys/cli.pub"))
        _ = try ws.write(".secured.yaml", "require-signature: true\nkeys: [Keys/cli.pub]\n")
        _ = try ws.write("posts/a.md", "---\ntitle: \"A\"\n---\nBody a.\n")
        #expect(try secured(["sign", "posts/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        try git(["commit", "-q", "-m", "base"], ws)
        try git(["checkout", "-q", "-b", "pr"], ws)
        #expect(try secured(["keygen", "--id", "evil", "--out", "evil.key"], in: ws.dir).status == 0)
        try FileManager.default.moveItem(
            at: ws.dir.appendingPathComponent("evil.pub"), to: ws.dir.appendingPathComponent("Keys/evil.pub"))
        _ = try ws.write(".secured.yaml", "keys: [Keys/cli.pub, Keys/evil.pub]\n")
        _ = try ws.write("posts/b.md", "---\ntitle: \"B\"\n---\nForged.\n")
        _ = try ws.write("posts/c.md", "---\ntitle: \"C\"\n---\nUnsigned.\n")
        #expect(try secured(["sign", "posts/b.md", "--key", "evil.key"], in: ws.dir).status == 0)
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("evil.key"))
        try git(["add", "-A"], ws)
        try git(["commit", "-q", "-m", "pull request"], ws)
        // Trusting the checkout: the attacker's key verifies the forged record.
        let naive = try secured(["audit", "."], in: ws.dir)
        #expect(naive.status == 0, "\(naive.stderrText)")
        let r = try secured(["audit", ".", "--trust-from", "main"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(r.stdoutText.contains("posts/b.md:3: error: SR010"), "\(r.stdoutText)")
        #expect(r.stdoutText.contains("posts/c.md: error: SR008"), "the base policy's require-signature applies")
        #expect(r.stderrText.contains(".secured.yaml: note: this policy was changed since main ("))
        #expect(r.stderrText.contains("Keys/cli.pub: note: key file trusted as on main"))
        #expect(r.stderrText.contains("note: keys trusted as on main ("))
        #expect(r.stderrText.contains("(public key) (--trust-from)\n"), "the command line adds the flag")
        #expect(r.stderrText.contains("): cli (public key)"))
        #expect(!r.stderrText.contains("evil (public key)"))
        let github = try secured(["audit", ".", "--trust-from", "main", "--format", "github"], in: ws.dir)
        #expect(github.stdoutText.contains("::warning file=.secured.yaml,title=secured%3A changedSinceBase::"))
        // A key named on the command line that the change added is not trusted either.
        let named = try secured(["audit", ".", "--trust-from", "main", "--key", "Keys/evil.pub"], in: ws.dir)
        #expect(named.stderrText.contains("Keys/evil.pub: note: this key file is not on main"), "\(named.stderrText)")
        #expect(named.stderrText.contains("SR010"))
        let missing = try secured(["audit", ".", "--trust-from", "no-such-branch"], in: ws.dir)
        #expect(missing.status == 2 && missing.stderrText.contains("no such commit"), "\(missing.stderrText)")
    }
}

/// The public key file text of the workspace's key (the `Keys` folder made for it).
private func publicKeyFileText(_ ws: Workspace) throws -> [UInt8] {
    try FileManager.default.createDirectory(
        at: ws.dir.appendingPathComponent("Keys"), withIntermediateDirectories: true)
    return Array(ws.key.publicKey!.fileText.utf8)
}

extension String {
    /// The text as it is inside a YAML double-quoted scalar: line breaks, ESC and BEL as
    /// escapes.
    fileprivate var escapedForYAML: String {
        replacing("\n", with: "\\n").replacing("\u{1B}", with: "\\e").replacing("\u{07}", with: "\\a")
    }
}

/// What a policy file added in a pull request beside the records can and cannot do.
@Suite("Pull requests: a nested policy cannot silently hide tampering")
struct NestedPolicyTests {
    /// As found: a `.secured.yaml` added in a pull request beside the records it
    /// tampered with, holding `ignore: [SR008, SR010, SR011]`, made the audit pass with
    /// `--require-signature` on the command line and said nothing.
    @Test func aNestedPolicyCannotSilentlyHideTampering() throws {
        let ws = try Workspace()
        _ = try ws.write("c/news/a.md", "---\ntitle: a\n---\nbody\n")
        _ = try ws.write("c/news/b.md", "---\ntitle: b\n---\nbody\n")
        #expect(try secured(["seal", "c/news/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let sealed = try ws.read("c/news/a.md")
        _ = try ws.write("c/news/a.md", sealed.replacingOccurrences(of: "title: a", with: "title: forged"))
        let args = ["audit", "c", "--require-signature", "--key", ws.keyPath, "--format", "json"]
        let before = try secured(args, in: ws.dir)
        #expect(before.status == 1 && before.stdoutText.contains("SR011") && before.stdoutText.contains("SR008"))
        _ = try ws.write("c/news/.secured.yaml", "ignore: [SR008, SR010, SR011, SR015]\n")
        let after = try secured(args, in: ws.dir)
        // The command line's requirement stands: no signature finding is hidden by a policy.
        #expect(after.status == 1, "\(after.stderrText)")
        #expect(after.stdoutText.contains("\"SR008\"") && after.stdoutText.contains("\"SR011\""), "\(after.stdoutText)")
        // What the policy does hide (none of them errors here) is not a note; the
        // signature codes it lists are not hidden.
        let doc = try JSONSerialization.jsonObject(with: after.stdout) as? [String: Any]
        let notes = (doc?["notes"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "policyIgnoresErrors" }
        #expect(notes.isEmpty, "\(after.stdoutText)")
        // Without the requirement, the policy may hide them, and the report says so.
        let loose = try secured(["audit", "c", "--key", ws.keyPath, "--format", "json"], in: ws.dir)
        let looseDoc = try JSONSerialization.jsonObject(with: loose.stdout) as? [String: Any]
        let looseNotes = (looseDoc?["notes"] as? [[String: Any]] ?? []).filter {
            $0["kind"] as? String == "policyIgnoresErrors"
        }
        #expect(looseNotes.first?["path"] as? String == "c/news/.secured.yaml", "\(loose.stdoutText)")
        let message = looseNotes.first?["message"] as? String
        #expect(message?.contains("hides SR008, SR010, SR011 ") == true, "\(loose.stdoutText)")
    }
}
