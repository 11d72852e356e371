import Foundation
import TestSupport
import Testing

/// Issue 22, SPEC 1.2 section 8: checks that cannot run never pass silently. With signatures
/// required and no key at all, audit, verify and the hooks refuse to run (exit 2); without
/// the requirement, an audit says how many signatures it did not verify.
@Suite("No silent pass without keys")
struct NoSilentPassTests {
    /// A copy of the example corpus with one record changed after it was signed.
    func tamperedCorpus() throws -> Workspace {
        let ws = try Workspace()
        let corpus = ws.dir.appendingPathComponent("content")
        try FileManager.default.copyItem(
            at: TestPaths.repositoryRoot.appendingPathComponent("Examples/corpus"), to: corpus)
        let news = corpus.appendingPathComponent("news")
        let first = try FileManager.default.contentsOfDirectory(atPath: news.path).sorted().first!
        let text = try ws.read("content/news/\(first)")
        _ = try ws.write("content/news/\(first)", text.replacingOccurrences(of: "title: ", with: "title: Changed "))
        return ws
    }

    static let refusal = "signatures are required (--require-signature) but no key was given; a public key is enough"

    @Test func auditRefusesWithSignaturesRequiredAndNoKey() throws {
        let ws = try tamperedCorpus()
        let r = try secured(["audit", "content", "--require-signature"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains(Self.refusal), "\(r.stderrText)")
        #expect(r.stderrText.contains("--key Keys/<id>.pub"))
        #expect(!r.stderrText.contains("passed"))
        // SECURED_KEY holding a public key is a key: the change is found.
        let pub = try String(
            contentsOf: TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.pub"), encoding: .utf8)
        let withKey = try secured(
            ["audit", "content", "--require-signature"], in: ws.dir, environment: ["SECURED_KEY": pub])
        #expect(withKey.status == 1 && withKey.stderrText.contains("SR011"), "\(withKey.stderrText)")
    }

    @Test func aPolicyRequiringSignaturesRefusesTooAndSaysWhere() throws {
        let ws = try tamperedCorpus()
        _ = try ws.write(".secured.yaml", "exclude: [\"*.key\"]\nrequire-signature: true\nkeys: [demo]\n")
        let r = try secured(["audit", "content"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(
            r.stderrText.contains(
                "signatures are required (.secured.yaml:2) but no key was given; a public key is enough: --key Keys/demo.pub"
            ), "\(r.stderrText)")
        // --no-policy drops the requirement: the audit runs and says what it did not check.
        let none = try secured(["audit", "content", "--no-policy"], in: ws.dir)
        #expect(none.status == 0, "\(none.stderrText)")
    }

    @Test func anAuditWithNoKeyCountsTheSignaturesItDidNotVerify() throws {
        let ws = try tamperedCorpus()
        let r = try secured(["audit", "content"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(
            r.stderrText.contains("note: 36 signatures were not verified: no key was given"), "\(r.stderrText)")
        let json = try secured(["audit", "content", "--format", "json"], in: ws.dir)
        #expect(json.stdoutText.contains("\"kind\":\"signaturesNotVerified\""), "\(json.stdoutText)")
        // With a key, no such note.
        let keyed = try secured(
            ["audit", "content", "--key", TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.pub").path],
            in: ws.dir)
        #expect(!keyed.stderrText.contains("not verified"))
    }

    @Test func verifyRefusesWithNoKey() throws {
        let ws = try tamperedCorpus()
        let r = try secured(["verify", "content"], in: ws.dir)
        #expect(r.status == 2)
        #expect(
            r.stderrText.contains(
                "signatures are required (verify) but no key was given; a public key is enough: --key Keys/<id>.pub"),
            "\(r.stderrText)")
    }

    @Test func theHookRefusesWithSignaturesRequiredAndNoKey() throws {
        let workflow = GitWorkflowTests()
        let ws = try workflow.repository()
        try workflow.policy(ws, "require-signature: [content/public/**]\nexclude: [README.md]\n")
        try git(["add", "-A"], ws)
        let r = try secured(["hook", "check"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains("signatures are required (.secured.yaml:1) but no key was given"))
        // The flag alone, no policy requirement: refused as well.
        try workflow.policy(ws, "exclude: [README.md]\n")
        try git(["add", "-A"], ws)
        let flag = try secured(["hook", "check", "--audit", "--require-signature"], in: ws.dir)
        #expect(flag.status == 2 && flag.stderrText.contains("(--require-signature)"), "\(flag.stderrText)")
        // With the policy's public key, the hook runs (and finds the unsigned record).
        try workflow.policy(ws, "require-signature: [content/public/**]\nexclude: [README.md]\nkeys: [Keys/site.pub]\n")
        try git(["add", "-A"], ws)
        let keyed = try secured(["hook", "check"], in: ws.dir)
        #expect(keyed.status == 1 && keyed.stderrText.contains("SR008"), "\(keyed.stderrText)")
    }
}
