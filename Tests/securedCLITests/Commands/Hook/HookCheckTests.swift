import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// `secured hook check`, the pre-commit check, in repositories built as an attacker would: a staged
/// file holding secret key material is refused however malformed; the policies are read as staged,
/// not from the work tree; staged files the checks pass over are named; the size limit is the audit's.
@Suite("hook check: staged secret keys, staged policies, files it passes over", .serialized)
struct HookCheckTests {
    /// A repository whose policy requires `_posts/private/**` sealed, committed.
    func repository(_ policy: String = "require-secured: [\"_posts/private/**\"]\n") throws -> Workspace {
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write(".secured.yaml", policy)
        try git(["add", "-A"], ws)
        try git(["commit", "-q", "-m", "init"], ws)
        return ws
    }

    /// The key file's lines, without comments: `id`, `enc`, `mac`, `sign`.
    func keyLines(_ ws: Workspace) -> [String] {
        ws.key.keyFileText().split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    /// Variants of a secret key file, each of which the hook once let through.
    func variant(_ name: String, _ ws: Workspace) throws -> [UInt8] {
        let lines = keyLines(ws)
        let text = lines.joined(separator: "\n") + "\n"
        func only(_ fields: [String]) -> String {
            lines.filter { line in fields.contains { line.hasPrefix($0 + ":") } }.joined(separator: "\n") + "\n"
        }
        let enc = lines.first { $0.hasPrefix("enc:") }!
        switch name {
        case "extra field": return Array((text + "note: mine\n").utf8)
        case "Latin-1 comment": return [0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A] + Array(text.utf8)
        case "id and sign only": return Array(only(["id", "sign"]).utf8)
        case "id and mac only": return Array(only(["id", "mac"]).utf8)
        case "enc without id": return Array(only(["enc"]).utf8)
        case "enc repeated": return Array((text + enc + "\n").utf8)
        case "invalid id": return Array(text.replacing("id: cli", with: "id: my key").utf8)
        case "YAML document": return Array(("---\n" + text + "...\n").utf8)
        case "flow mapping": return Array("{id: cli, \(enc)}\n".utf8)
        case "JSON": return Array("{\"id\":\"cli\",\"\(enc.replacing(": ", with: "\":\""))\"}".utf8)
        case "over 64 KiB": return Array(("#" + String(repeating: "x", count: 70000) + "\n" + text).utf8)
        case "UTF-16 with BOM": return [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        case "UTF-16BE without BOM": return text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        case "public key comment first":
            return Array(("untrusted comment: secured public key cli\n" + text).utf8)
        default: throw CocoaError(.featureUnsupported)
        }
    }

    @Test(arguments: [
        "extra field", "Latin-1 comment", "id and sign only", "id and mac only", "enc without id", "enc repeated",
        "invalid id", "YAML document", "flow mapping", "JSON", "over 64 KiB", "UTF-16 with BOM",
        "UTF-16BE without BOM", "public key comment first",
    ])
    func aStagedFileWithSecretKeyMaterialIsRefusedWhateverElseIsWrongWithIt(_ name: String) throws {
        // As found: each of these passed the hook with exit 0; only a fully valid key
        // file was refused.
        let ws = try repository()
        try Data(variant(name, ws)).write(to: ws.dir.appendingPathComponent("site.key"))
        try git(["add", "-f", "site.key"], ws)
        for args in [["hook", "check"], ["hook", "check", "--sealed"]] {
            let r = try secured(args, in: ws.dir)
            #expect(r.status == 1, "\(name): \(r.stderrText)")
            #expect(r.stderrText.contains("site.key: error: is a secret key file"), "\(name): \(r.stderrText)")
            #expect(r.stderrText.contains("git rm --cached -- site.key") && r.stderrText.contains("rotate"))
            #expect(r.stderrText.contains("commit refused: 1 secret key file staged"))
            for secret in ws.secretForms { #expect(!r.stderrText.contains(secret), "\(name): key bytes shown") }
        }
    }

    @Test func textThatOnlyNamesTheFieldsAndCommittedKeyFilesPass() throws {
        // The rule does not refuse docs: this repository's README and SPEC (which show the key
        // file format), prose that names the fields, public and passphrase key files.
        let ws = try repository()
        let root = TestPaths.repositoryRoot
        for file in ["README.md", "SPEC.md", "Keys/README.md", "Keys/demo.pub", "Keys/demo.members.key.pw"] {
            _ = try ws.write(
                "docs/" + file, try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8))
        }
        _ = try ws.write(
            "docs/fields.md",
            "---\ntitle: Key files\n---\nA key file holds enc: (the AES key), mac: and sign:.\n\nenc: <base64 of 32 bytes>\nmac: optional\nsign: Ed25519 seed\nenc: AES-256-CBC\n"
        )
        _ = try ws.write("docs/config.yml", "sign: true\nmac: 00:1A:2B:3C:4D:5E\nsignature: x\nmacro: y\n")
        try git(["add", "-A"], ws)
        let r = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(!r.stderrText.contains("secret key"), "\(r.stderrText)")
    }

    @Test func theHookReadsThePoliciesAsStagedNotTheWorkTree() throws {
        // As found: an unstaged `rm .secured.yaml` made the hook say "no policy file …
        // plaintext passes", and the plaintext private post was committed.
        let ws = try repository()
        _ = try ws.write("_posts/private/a.md", "---\ntitle: x\n---\nSECRET PLAINTEXT\n")
        try git(["add", "_posts/private/a.md"], ws)
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent(".secured.yaml"))
        let deleted = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(deleted.status == 1, "\(deleted.stderrText)")
        #expect(deleted.stderrText.contains("_posts/private/a.md:1: error: SR003"), "\(deleted.stderrText)")
        #expect(!deleted.stderrText.contains("no policy file"))
        #expect(deleted.stderrText.contains(".secured.yaml: note: this policy is deleted in the work tree"))
        try git(["checkout", "-q", "--", ".secured.yaml"], ws)
        // An untracked policy below it, never staged, silenced it.
        _ = try ws.write("_posts/private/.secured.yaml", "include: [\"*.txt\"]\n")
        let untracked = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(untracked.status == 1, "\(untracked.stderrText)")
        #expect(untracked.stderrText.contains("_posts/private/a.md:1: error: SR003"), "\(untracked.stderrText)")
        #expect(
            untracked.stderrText.contains(
                "_posts/private/.secured.yaml: note: this policy is not staged, so the commit would not hold it"))
        // Staged, the same policy applies (the commit holds it): it leaves the post out of
        // what the root requires sealed, which the hook refuses (a new user committed a
        // plaintext post that way).
        try git(["add", "_posts/private/.secured.yaml"], ws)
        let staged = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(staged.status == 1, "\(staged.stderrText)")
        #expect(staged.stderrText.contains("0 staged records checked"), "\(staged.stderrText)")
        #expect(
            staged.stderrText.contains("commit refused: _posts/private/.secured.yaml undoes what the root's policy"),
            "\(staged.stderrText)")
    }

    @Test func aStagedPolicyChangeAppliesWhateverTheWorkTreeHolds() throws {
        // As found: a staged require-secured was ignored once the work tree's copy differed.
        let ws = try repository("include: [\"*.md\"]\n")
        _ = try ws.write(".secured.yaml", "require-secured: [\"_posts/private/**\"]\n")
        try git(["add", ".secured.yaml"], ws)
        _ = try ws.write(".secured.yaml", "include: [\"*.md\"]\n")
        _ = try ws.write("_posts/private/a.md", "---\ntitle: x\n---\nSECRET PLAINTEXT\n")
        try git(["add", "_posts/private/a.md"], ws)
        let r = try secured(["hook", "check"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(r.stderrText.contains("_posts/private/a.md:1: error: SR003"), "\(r.stderrText)")
        #expect(
            r.stderrText.contains(".secured.yaml: note: this policy is changed in the work tree but not in the index"))
        // The other way round: a requirement only the work tree holds is not the commit's.
        try git(["reset", "-q", "--", ".secured.yaml"], ws)
        _ = try ws.write(".secured.yaml", "require-secured: [\"_posts/private/**\"]\n")
        let unstaged = try secured(["hook", "check", "--sealed"], in: ws.dir)
        #expect(unstaged.status == 0, "\(unstaged.stderrText)")
    }

    @Test func stagedFilesTheChecksPassOverAreNamed() throws {
        // As found: `_posts/private/.draft.md` passed with "0 staged records checked" and
        // no word, and so did `_posts/private/post.markdown`, which Jekyll renders as a post.
        let ws = try repository()
        _ = try ws.write("_posts/private/.draft.md", "---\ntitle: x\n---\nSECRET\n")
        try git(["add", "_posts/private/.draft.md"], ws)
        let hidden = try secured(["hook", "check"], in: ws.dir)
        #expect(
            hidden.stderrText.contains(
                "note: 1 staged hidden file is not checked (hidden files are skipped, as the audit skips them)"),
            "\(hidden.stderrText)")
        #expect(hidden.stderrText.contains("_posts/private/.draft.md"))
        try git(["reset", "-q"], ws)
        // A hidden folder's records are checked, as before.
        _ = try ws.write("_posts/private/.d/draft.md", "---\ntitle: x\n---\nSECRET\n")
        try git(["add", "_posts/private/.d/draft.md"], ws)
        let folder = try secured(["hook", "check"], in: ws.dir)
        #expect(folder.status == 1 && folder.stderrText.contains("_posts/private/.d/draft.md:1: error: SR003"))
        try git(["reset", "-q"], ws)
        _ = try ws.write("_posts/private/post.markdown", "---\ntitle: x\n---\nSECRET\n")
        _ = try ws.write("_posts/private/other.markdown", "---\ntitle: y\n---\nSECRET\n")
        _ = try ws.write("_posts/private/.gitkeep", "")
        try git(
            ["add", "_posts/private/post.markdown", "_posts/private/other.markdown", "_posts/private/.gitkeep"], ws)
        let markdown = try secured(["hook", "check"], in: ws.dir)
        #expect(
            markdown.stderrText.contains(
                "note: 2 staged files lie where the policy requires records sealed (require-secured) but are not a record"
            ),
            "\(markdown.stderrText)")
        #expect(markdown.stderrText.contains("_posts/private/other.markdown, _posts/private/post.markdown"))
        #expect(markdown.stderrText.contains("(say \"*.markdown\") to the policy's include"))
        #expect(!markdown.stderrText.contains(".gitkeep"), "an empty file holds nothing to check")
        // Added to the include pattern, they are checked.
        _ = try ws.write(
            ".secured.yaml", "include: [\"*.md\", \"*.markdown\"]\nrequire-secured: [\"_posts/private/**\"]\n")
        try git(["add", ".secured.yaml"], ws)
        let included = try secured(["hook", "check"], in: ws.dir)
        #expect(included.status == 1 && included.stderrText.contains("_posts/private/post.markdown:1: error: SR003"))
    }

    @Test func hookCheckAuditHonoursTheSizeLimitAsAuditDoes() throws {
        // As found: a staged 18 MB record (or 3 KB with --size-limit 1000) passed with exit 0.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        let line = "a body line\n"
        _ = try ws.write(
            "big.md", "---\ntitle: b\n---\n" + String(repeating: line, count: 18_000_000 / line.utf8.count))
        _ = try ws.write("small.md", "---\ntitle: s\n---\n" + String(repeating: line, count: 3000 / line.utf8.count))
        try git(["add", "-A"], ws)
        func sr017(_ r: ProcessResult, _ file: String) -> String? {
            // The hook says it on stderr, the audit's report is on stdout.
            (r.stdoutText + r.stderrText).split(separator: "\n").first { $0.hasPrefix("\(file): error: SR017") }.map(
                String.init)
        }
        for extra in [[], ["--size-limit", "1000"]] {
            let hook = try secured(["hook", "check", "--audit"] + extra, in: ws.dir)
            let audit = try secured(["audit", "big.md", "small.md"] + extra, in: ws.dir)
            #expect(hook.status == 1 && audit.status == 1, "\(extra): \(hook.stderrText)")
            #expect(
                sr017(hook, "big.md") != nil && sr017(hook, "big.md") == sr017(audit, "big.md"), "\(hook.stderrText)")
            #expect(sr017(hook, "small.md") == sr017(audit, "small.md"), "\(extra): \(hook.stderrText)")
            #expect((sr017(hook, "small.md") != nil) == !extra.isEmpty)
        }
        // --sealed, where sealing is required: a record it cannot read is refused too.
        let sealed = try secured(["hook", "check", "--sealed", "--require-secured"], in: ws.dir)
        #expect(sealed.status == 1 && sr017(sealed, "big.md")?.contains("over the size limit") == true)
    }
}
