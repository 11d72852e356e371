import Foundation
import TestSupport
import Testing

/// Where users run `secured leaks`: the policy's `leaks` field, read by local runs and the hook
/// alike, and the pre-commit hook that refuses a commit copying a sealed record's words.
@Suite("leaks: the policy's leaks field and the pre-commit hook", .serialized)
struct LeakWorkflowTests {
    static let words = LeakTests.words
    static func text(_ range: Range<Int>) -> String { LeakTests.text(range) }

    /// A git repository with `posts/a.md` sealed (60 words) and `posts/public.md`, committed.
    static func repository(policy: String = "") throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        try git(["init", "-q", "-b", "main"], ws)
        _ = try ws.write("posts/a.md", "---\ntitle: a\n---\n\(text(0..<60))\n")
        _ = try ws.write("posts/public.md", "---\ntitle: public\n---\nNothing secret here at all.\n")
        #expect(try secured(["seal", "posts/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        if !policy.isEmpty { _ = try ws.write(".secured.yaml", policy) }
        try git(["add", "-A"], ws)
        try git(["commit", "-qm", "sealed"], ws)
        return ws
    }

    /// The longest run of the sealed words in `output`.
    static func longest(_ output: String) -> Int { LeakSiteTests.longestRun(of: words, in: output) }

    @Test func withNoPathTheLeaksCommandSearchesWhatThePolicyNames() throws {
        let policy = "leaks:\n  paths: [site]\n  baseline: ci/leaks.baseline\n"
        let ws = try Self.repository(policy: policy)
        _ = try ws.write("site/feed.xml", "<feed><content>\(Self.text(10..<30))</content></feed>\n")
        _ = try ws.write("elsewhere/copy.txt", "\(Self.text(30..<50))\n")
        let key = ["--key", ws.keyPath]
        // The baseline the policy names does not exist yet: a usage error naming it.
        let missing = try secured(["leaks"] + key, in: ws.dir)
        #expect(missing.status == 2 && missing.stderrText.contains("ci/leaks.baseline"), "\(missing.stderrText)")
        _ = try ws.write("ci/leaks.baseline", "# nothing accepted yet\n")
        let r = try secured(["leaks"] + key, in: ws.dir)
        // Writing it when it does not exist yet is no error.
        let fresh = try secured(
            ["leaks"] + key + ["--baseline", "ci/new.baseline", "--write-baseline", "ci/new.baseline"], in: ws.dir)
        #expect(
            fresh.status == 1 && (try? ws.read("ci/new.baseline"))?.split(separator: "\n").count == 2,
            "\(fresh.stderrText)")
        #expect(r.status == 1, "\(r.stderrText)")
        let found = r.stdoutText.split(separator: "\n").filter { $0.contains(": error: SR020") }
        #expect(found.count == 1 && found[0].hasPrefix("site/feed.xml:1: error: SR020 a run of 20 words"), "\(found)")
        // A path on the command line replaces the policy's.
        let named = try secured(["leaks"] + key + ["elsewhere"], in: ws.dir)
        #expect(
            named.status == 1 && named.stdoutText.contains("elsewhere/copy.txt") && !named.stdoutText.contains("site/"))
        // Reviewed and accepted into the policy's baseline: local runs, the hook and CI pass.
        #expect(try secured(["leaks"] + key + ["--write-baseline", "ci/leaks.baseline"], in: ws.dir).status == 1)
        let accepted = try secured(["leaks"] + key, in: ws.dir)
        #expect(accepted.status == 0 && accepted.stderrText.contains("1 in the baseline"), "\(accepted.stderrText)")
        // --no-policy: neither the paths nor the baseline.
        let bare = try secured(["leaks"] + key + ["--no-policy", "site"], in: ws.dir)
        #expect(bare.status == 1)
        // history: true searches git history as --history does (the plaintext was never committed).
        _ = try ws.write(".secured.yaml", policy + "  history: true\n")
        let history = try secured(["leaks"] + key, in: ws.dir)
        #expect(history.status == 0 && history.stderrText.contains("git blob"), "\(history.stderrText)")
        // A bad field: the file and line.
        _ = try ws.write(".secured.yaml", "leaks:\n  paths: [site]\n  history: sometimes\n")
        let bad = try secured(["leaks"] + key, in: ws.dir)
        #expect(bad.status == 2 && bad.stderrText.contains(".secured.yaml:3: "), "\(bad.stderrText)")
    }

    @Test func theHookRefusesADraftCopyOrAPastedParagraphWhenAKeyIsAtHand() throws {
        let ws = try Self.repository()
        let key = ["--key", ws.keyPath]
        _ = try ws.write("drafts/copy.txt", "Draft, do not publish:\n\(Self.text(5..<25))\n")
        try git(["add", "drafts/copy.txt"], ws)
        let refused = try secured(["hook", "check"] + key, in: ws.dir)
        #expect(refused.status == 1, "\(refused.stderrText)")
        #expect(
            refused.stderrText.contains(
                "drafts/copy.txt:2: error: SR020 a run of 20 words of the sealed record posts/a.md"))
        #expect(refused.stderrText.contains("commit refused: 1 staged file holds runs of sealed records' words"))
        #expect(Self.longest(refused.stdoutText + refused.stderrText) < 6)
        // --leaks alone; --sealed alone does not search.
        #expect(try secured(["hook", "check", "--leaks"] + key, in: ws.dir).status == 1)
        #expect(try secured(["hook", "check", "--sealed"] + key, in: ws.dir).status == 0)
        // No key at hand: said, and the commit goes ahead.
        let keyless = try secured(["hook", "check"], in: ws.dir)
        #expect(keyless.status == 0, "\(keyless.stderrText)")
        #expect(
            keyless.stderrText.contains("no secret or read-only key is at hand: the staged files were not searched"))
        // A short quote is not a leak.
        _ = try ws.write("drafts/copy.txt", "Quote: \(Self.text(5..<11))\n")
        try git(["add", "drafts/copy.txt"], ws)
        #expect(try secured(["hook", "check"] + key, in: ws.dir).status == 0)
        try git(["rm", "-q", "--cached", "drafts/copy.txt"], ws)
        // A paragraph pasted into a public record does not make itself public.
        _ = try ws.write(
            "posts/public.md", "---\ntitle: public\n---\nNothing secret here at all.\n\n\(Self.text(30..<50))\n")
        try git(["add", "posts/public.md"], ws)
        let pasted = try secured(["hook", "check"] + key, in: ws.dir)
        #expect(
            pasted.status == 1 && pasted.stderrText.contains("posts/public.md:6: error: SR020"), "\(pasted.stderrText)")
        // What a public record held when committed stays public: editing it elsewhere passes.
        try git(["commit", "-qm", "quoted on purpose", "--no-verify"], ws)
        _ = try ws.write(
            "posts/public.md", "---\ntitle: public, edited\n---\nNothing secret here at all.\n\n\(Self.text(30..<50))\n"
        )
        try git(["add", "posts/public.md"], ws)
        let edited = try secured(["hook", "check"] + key, in: ws.dir)
        #expect(edited.status == 0, "\(edited.stderrText)")
    }

    @Test func theInstalledHookRefusesTheCommitWithSecuredKeyAndNotesWithout() throws {
        let ws = try Self.repository()
        #expect(try secured(["hook", "install"], in: ws.dir).status == 0)
        _ = try ws.write("notes/paragraph.txt", "Pasted from the sealed post:\n\n\(Self.text(40..<60))\n")
        try git(["add", "notes/paragraph.txt"], ws)
        // The read-only part of the key is enough (what CI and the hook are given).
        let share = try secured(["share", ws.keyPath, "--read-only", "--out", "site.readonly.key"], in: ws.dir)
        #expect(share.status == 0, "\(share.stderrText)")
        let key = try ws.read("site.readonly.key")
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("site.readonly.key"))
        let refused = try git(["commit", "-qm", "paste"], ws, status: 1, environment: ["SECURED_KEY": key])
        #expect(refused.stderrText.contains("notes/paragraph.txt:3: error: SR020"), "\(refused.stderrText)")
        #expect(Self.longest(refused.stderrText) < 6)
        let passed = try git(["commit", "-qm", "paste"], ws)
        #expect(passed.stderrText.contains("were not searched for sealed records' words"), "\(passed.stderrText)")
    }
}
