import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// `secured leaks` (SPEC 1.3 section 10): runs of a sealed record's words found in built pages,
/// feeds, drafts and the git history, reported without quoting them.
@Suite("leaks: sealed content found elsewhere, never quoted")
struct LeakTests {
    /// 60 distinct words, letters only: `lqa lqb …`.
    static let words: [String] = (0..<60).map { n in
        "lq" + String(Character(Unicode.Scalar(UInt8(0x61 + n % 26)))) + "\(["", "o", "u"][n / 26])z"
    }

    static func text(_ range: Range<Int>) -> String { words[range].joined(separator: " ") }

    /// A workspace with `posts/a.md` sealed (all 60 words) and `posts/public.md` unsealed.
    static func corpus() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("posts/a.md", "---\ntitle: a\n---\n\(text(0..<60))\n")
        _ = try ws.write("posts/public.md", "---\ntitle: public\n---\nNothing secret here at all.\n")
        #expect(try secured(["seal", "posts/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        return ws
    }

    @Test func aRunOf16WordsIsReportedAndOneOf7Never() throws {
        let ws = try Self.corpus()
        _ = try ws.write("site/long.html", "<p>Before.</p>\n<p>\(Self.text(20..<36))</p>\n")
        _ = try ws.write("site/short.html", "<p>\(Self.text(40..<47))</p>\n")
        let r = try secured(["leaks", "--key", ws.keyPath, "--corpus", "posts", "site"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let findings = r.stdoutText.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(
            findings == [
                "site/long.html:2: error: SR020 a run of 16 words of the sealed record posts/a.md (the words are not shown)"
            ])
        #expect(r.stdoutText.contains("  hint: It looks like a built page"))
        #expect(r.stderrText.contains("leaks: 1 sealed record searched for in 4 files"))
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("site/long.html"))
        let clean = try secured(["leaks", "--key", ws.keyPath, "--corpus", "posts", "site"], in: ws.dir)
        #expect(clean.status == 0 && clean.stdoutText.isEmpty, "\(clean.stdoutText)")
    }

    @Test func withoutAKeyThatOpensTheSealedRecordsItIsAUsageError() throws {
        let ws = try Self.corpus()
        _ = try ws.write("site/long.html", "<p>\(Self.text(20..<40))</p>\n")
        let r = try secured(["leaks", "--corpus", "posts", "site"], in: ws.dir)
        #expect(r.status == 2)
        #expect(r.stderrText.contains("no secret or read-only key was given"), "\(r.stderrText)")
        let other = try Workspace(keyID: "site")  // same id, other key: bad padding (almost always)
        let wrong = try secured(["leaks", "--key", other.keyPath, "--corpus", "posts", "site"], in: ws.dir)
        #expect(wrong.status == 2 || wrong.status == 0, "\(wrong.stderrText)")
        #expect(!wrong.stdoutText.contains("SR020"))
        // The public key verifies, it never decrypts.
        let pub = try secured(["pubkey", ws.keyPath], in: ws.dir)
        #expect(pub.status == 0)
        _ = try ws.write("site.pub", pub.stdoutText)
        let r2 = try secured(["leaks", "--key", "site.pub", "--corpus", "posts", "site"], in: ws.dir)
        #expect(r2.status == 2, "\(r2.stderrText)")
    }

    @Test func noOutputInAnyFormatHoldsSixConsecutiveSealedWords() throws {
        let ws = try Self.corpus()
        _ = try ws.write("site/feed.xml", "<feed><content>&lt;p&gt;\(Self.text(0..<30))&lt;/p&gt;</content></feed>\n")
        _ = try ws.write("site/search.json", "[{\"c\":\"\(Self.text(30..<60))\"}]\n")
        let sealed = Self.words
        for format in ["text", "json", "github", "sarif", "junit"] {
            let r = try secured(
                ["leaks", "--key", ws.keyPath, "--corpus", "posts", "site", "--format", format], in: ws.dir)
            #expect(r.status == 1, "\(format): \(r.stderrText)")
            #expect(r.stdoutText.contains("SR020"), "\(format)")
            let out = (r.stdoutText + "\n" + r.stderrText).lowercased()
                .split { !$0.isLetter && !$0.isNumber }.map(String.init)
            var longest = 0
            for start in out.indices {
                guard let first = sealed.firstIndex(of: out[start]) else { continue }
                var k = 0
                while start + k < out.count, first + k < sealed.count, out[start + k] == sealed[first + k] { k += 1 }
                longest = max(longest, k)
            }
            #expect(longest < 6, "\(format): \(longest) consecutive sealed words in the output")
        }
    }

    @Test func jsonNamesTheRecordAndTheRunAndTheSameHintAsText() throws {
        let ws = try Self.corpus()
        _ = try ws.write("site/feed.xml", "<feed>\n\n<content>\(Self.text(0..<25))</content></feed>\n")
        let text = try secured(["leaks", "--key", ws.keyPath, "--corpus", "posts", "site"], in: ws.dir)
        let json = try secured(
            ["leaks", "--key", ws.keyPath, "--corpus", "posts", "site", "--format", "json"], in: ws.dir)
        let doc = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        let findings = doc?["findings"] as? [[String: Any]] ?? []
        #expect(findings.count == 1)
        let f = findings.first ?? [:]
        #expect(f["code"] as? String == "SR020" && f["file"] as? String == "site/feed.xml")
        #expect(f["line"] as? Int == 3 && f["record"] as? String == "posts/a.md" && f["words"] as? Int == 25)
        #expect((f["fingerprint"] as? String)?.count == 64)
        let hint = text.stdoutText.split(separator: "\n").first { $0.hasPrefix("  hint: ") }.map {
            String($0.dropFirst(8))
        }
        #expect(hint != nil && hint == f["hint"] as? String)
        #expect(hint?.hasPrefix("It looks like a feed") == true)
    }

    @Test func aBaselineAcceptsFindingsAndNamesStaleOnes() throws {
        let ws = try Self.corpus()
        _ = try ws.write("site/a.html", "<p>\(Self.text(0..<20))</p>\n")
        let args = ["leaks", "--key", ws.keyPath, "--corpus", "posts", "site"]
        #expect(try secured(args + ["--write-baseline", "leaks.baseline"], in: ws.dir).status == 1)
        let baseline = try ws.read("leaks.baseline")
        #expect(baseline.split(separator: "\n").count == 2 && !baseline.contains(Self.words[0]))
        let accepted = try secured(args + ["--baseline", "leaks.baseline"], in: ws.dir)
        #expect(accepted.status == 0 && !accepted.stdoutText.contains("SR020"), "\(accepted.stdoutText)")
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("site/a.html"))
        let stale = try secured(args + ["--baseline", "leaks.baseline"], in: ws.dir)
        #expect(stale.status == 0)
        #expect(stale.stderrText.contains("1 baseline fingerprint matches no finding"), "\(stale.stderrText)")
        _ = try ws.write("bad.baseline", "not a fingerprint\n")
        #expect(try secured(args + ["--baseline", "bad.baseline"], in: ws.dir).status == 2)
    }

    @Test func historyFindsPlaintextCommittedBeforeSealing() throws {
        let ws = try Workspace(keyID: "site")
        try git(["init", "-q"], ws)
        _ = try ws.write("posts/a.md", "---\ntitle: a\n---\n\(Self.text(0..<30))\n")
        try git(["add", "posts/a.md"], ws)
        try git(["commit", "-q", "-m", "plaintext"], ws)
        let blob = try git(["rev-parse", "HEAD:posts/a.md"], ws).stdoutText.trimmingCharacters(
            in: .whitespacesAndNewlines)
        let commit = try git(["rev-parse", "HEAD"], ws).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try secured(["seal", "posts/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["commit", "-q", "-a", "-m", "sealed"], ws)
        // An object no ref reaches (a stash dropped, a rebased-away draft) is searched too.
        _ = try ws.write("draft.txt", "Draft: \(Self.text(5..<25))\n")
        let dangling = try git(["hash-object", "-w", "draft.txt"], ws).stdoutText.trimmingCharacters(
            in: .whitespacesAndNewlines)
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("draft.txt"))
        let without = try secured(["leaks", "--key", ws.keyPath], in: ws.dir)
        #expect(without.status == 0, "\(without.stdoutText)")
        let r = try secured(["leaks", "--key", ws.keyPath, "--history", "--format", "json"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let doc = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any]
        let findings = doc?["findings"] as? [[String: Any]] ?? []
        #expect(findings.count == 2)
        let f = findings.first { $0["blob"] as? String == blob } ?? [:]
        #expect(f["code"] as? String == "SR021" && f["commit"] as? String == commit)
        #expect(f["file"] as? String == "posts/a.md" && f["line"] as? Int == 4 && f["words"] as? Int == 30)
        #expect((f["hint"] as? String)?.contains("History cannot be unsealed") == true)
        #expect(r.stderrText.contains("git blob"))
        let d = findings.first { $0["blob"] as? String == dangling } ?? [:]
        #expect(d["code"] as? String == "SR021" && d["commit"] == nil && d["words"] as? Int == 20)
        #expect(d["file"] as? String == "git blob \(dangling)" && d["line"] as? Int == 1)
    }

    /// Every file is read, whatever its name; hidden entries and links are skipped; a FIFO is
    /// never opened (SR017, no hang); a file over the size limit is SR017, never a silent pass.
    @Test func everyFileIsWalkedButHiddenEntriesLinksAndFIFOsAreNot() throws {
        let ws = try Self.corpus()
        _ = try ws.write("site/data.bin", "\(Self.text(0..<20))\n")
        _ = try ws.write("site/.hidden/copy.html", "\(Self.text(20..<40))\n")
        _ = try ws.write("outside/copy.txt", "\(Self.text(40..<60))\n")
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("site/link").path,
            withDestinationPath: ws.dir.appendingPathComponent("outside").path)
        #expect(mkfifo(ws.dir.appendingPathComponent("site/pipe").path, 0o600) == 0)
        let r = try secured(["leaks", "--key", ws.keyPath, "--corpus", "posts", "site"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let findings = r.stdoutText.split(separator: "\n").filter { $0.contains(": error: ") }.map(String.init)
        #expect(findings.count == 2, "\(findings)")
        #expect(findings.contains { $0.hasPrefix("site/data.bin:1: error: SR020 a run of 20 words") })
        #expect(findings.contains { $0.hasPrefix("site/pipe: error: SR017") && $0.contains("not opened") })
        #expect(r.stderrText.contains("site/link: note: symbolic link skipped"))
        _ = try ws.write("big/page.html", "<p>\(Self.text(0..<20))</p>" + String(repeating: " ", count: 5000))
        let small = try secured(
            ["leaks", "--key", ws.keyPath, "--corpus", "posts", "big", "--size-limit", "3000"], in: ws.dir)
        #expect(small.status == 1, "\(small.stderrText)")
        #expect(small.stdoutText.contains("big/page.html: error: SR017 file is 5"), "\(small.stdoutText)")
        #expect(!small.stdoutText.contains("SR020"))
    }

    /// A real Jekyll site built from the plaintext, then the post sealed: the feed still holds it.
    @Test func aJekyllFeedBuiltBeforeSealingLeaks() throws {
        guard programExists("jekyll") else {
            print("skipped: jekyll is not on PATH (apt install jekyll ruby-jekyll-feed)")
            return
        }
        let ws = try Workspace(keyID: "site")
        _ = try ws.write(
            "_config.yml", "title: t\nurl: https://example.org\nplugins: [jekyll-feed]\nexclude: ['*.key']\n")
        let body =
            "The *quiet* harbour keeps its secrets, [they say](https://example.org/x), until the tide "
            + "turns and every lantern along the northern wall flickers twice before dawn."
        _ = try ws.write("_posts/2024-01-01-secret.md", "---\ntitle: Secret\n---\n\(body)\n")
        let build = try runProcess("jekyll", ["build", "--quiet"], currentDirectory: ws.dir)
        #expect(build.status == 0, "\(build.stderrText)")
        #expect(try secured(["seal", "_posts/2024-01-01-secret.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let r = try secured(["leaks", "--key", ws.keyPath, "--corpus", "_posts", "_site"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let files = r.stdoutText.split(separator: "\n").filter { $0.contains("SR020") }.map {
            String($0.prefix { $0 != ":" })
        }
        #expect(files.contains("_site/feed.xml"), "\(r.stdoutText)")
        #expect(files.contains("_site/2024/01/01/secret.html"), "\(r.stdoutText)")
    }

    /// With the default corpus `.`, a copy in `_drafts/` made the sealed post public, so
    /// `jekyll build && secured leaks --key K _site` passed with the post in the feed.
    @Test func aDraftCopyInTheDefaultCorpusHidesNothing() throws {
        let ws = try LeakTests.corpus()
        _ = try ws.write("_drafts/copy.md", "---\ntitle: draft\n---\n\(Self.text(0..<60))\n")
        _ = try ws.write("_site/feed.xml", "<feed><entry><content>\(Self.text(0..<60))</content></entry></feed>\n")
        let r = try secured(["leaks", "-q", "--key", ws.keyPath, "_site"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let files = r.stdoutText.split(separator: "\n").filter { $0.contains(": error: SR020") }
            .map { String($0.prefix { $0 != ":" }) }
        #expect(files.sorted() == ["_drafts/copy.md", "_site/feed.xml"], "\(r.stdoutText)")
    }

    @Test func theCorpusWalkSkipsItQuietlyWhenTheSearchNamesIt() throws {
        let ws = try Workspace()
        _ = try ws.write(
            "_posts/a.md", "---\ntitle: a\n---\nA body of words that nobody else has written down anywhere.\n")
        #expect(try secured(["seal", "_posts/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("_site/index.html", "<p>Nothing sealed here.</p>\n")
        let r = try secured(["leaks", "--key", ws.keyPath, "_site"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(!r.stderrText.contains("folder skipped"), "\(r.stderrText)")
        // Not named: the corpus walk still says it left the built folder out.
        let other = try secured(["leaks", "--key", ws.keyPath, "_posts"], in: ws.dir)
        #expect(other.stderrText.contains("_site: note: folder skipped"), "\(other.stderrText)")
    }
}
