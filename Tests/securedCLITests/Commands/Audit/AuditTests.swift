import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured audit`: the report in every format, the same findings whatever the jobs and shards,
/// the notes that say what was not checked, and the folders and files it walks.
@Suite("audit: findings on stdout in every format, notes and the summary on stderr", .serialized)
struct AuditTests {
    @Test("audit's text, JSON, JUnit and GitHub reports parse back to the same findings")
    func auditFormatsParseBack() throws {
        let ws = try Workspace()
        _ = try ws.write("c/good.md", plainRecord)
        #expect(try secured(["seal", "c", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("c/bad.md", "---\ntitle: a\ntitle: b\n---\nbody\n")
        _ = try ws.write("c/blob.md", "---\nsecured: \"QUFB;AAECAwQFBgcICQoLDA0ODw==\"\n---\n\n")

        let text = try secured(["audit", "c", "--key", ws.keyPath], in: ws.dir)
        #expect(text.status == 1)
        // The findings are the report (stdout, SPEC 1.3 section 8); the summary is on stderr.
        #expect(text.stdoutText.contains("c/bad.md:2: error: SR002"))
        #expect(text.stdoutText.contains("c/blob.md:2: error: SR007"))
        #expect(!text.stderrText.contains("error: SR0"))
        #expect(text.stderrText.contains("3 records checked, 1 passed, 2 failed"))

        let json = try secured(["audit", "c", "--key", ws.keyPath, "--format", "json"], in: ws.dir)
        #expect(json.status == 1)
        let doc = try #require(try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        #expect(doc["recordsChecked"] as? Int == 3)
        #expect(doc["version"] as? String != nil)
        let findings = try #require(doc["findings"] as? [[String: Any]])
        #expect(findings.map { $0["code"] as? String } == ["SR002", "SR007"])

        let junit = try secured(["audit", "c", "--key", ws.keyPath, "--format", "junit"], in: ws.dir)
        #expect(junit.status == 1)
        let parser = XMLParser(data: junit.stdout)
        let counter = JUnitCounter()
        parser.delegate = counter
        #expect(parser.parse(), "JUnit output is well-formed XML")
        #expect(counter.testcases == 3)
        #expect(counter.failures == 2)

        let github = try secured(["audit", "c", "--key", ws.keyPath, "--format", "github"], in: ws.dir)
        #expect(github.status == 1)
        let lines = github.stdoutText.split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("::error ") }.count == 2)
        let grammar = /^::(error|warning) file=[^,:]+(,line=\d+)?,title=SR0\d\d::.+$/
        // Notes a reviewer must see are warnings too, titled by their kind.
        let note = /^::warning (file=[^,:]+(,line=\d+)?,)?title=secured%3A [a-zA-Z]+::.+$/
        for line in lines {
            #expect(line.wholeMatch(of: grammar) != nil || line.wholeMatch(of: note) != nil, "\(line)")
        }

        // Ignoring codes, and a clean corpus exits 0.
        #expect(try secured(["audit", "c", "--ignore", "SR002", "--ignore", "sr007"], in: ws.dir).status == 0)
    }

    @Test("audit finds the same findings whatever the jobs and shards")
    func auditJobsAndShardsAgree() throws {
        let ws = try Workspace()
        for i in 0..<30 {
            _ = try ws.write("s/\(i).md", i % 4 == 0 ? "---\nt: a\nt: b\n---\n" : "---\nt: \(i)\n---\nbody \(i)\n")
        }
        #expect(try secured(["seal", "s", "--key", ws.keyPath], in: ws.dir).status == 1)
        func findings(_ extra: [String]) throws -> [String] {
            let r = try secured(["audit", "s", "--key", ws.keyPath, "--format", "json"] + extra, in: ws.dir)
            let doc = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any]
            return (doc?["findings"] as? [[String: Any]] ?? []).map { "\($0["file"]!):\($0["code"]!)" }
        }
        let one = try findings(["--jobs", "1"])
        #expect(!one.isEmpty)
        #expect(try findings(["--jobs", "2"]) == one)
        let shards = try (1...3).flatMap { try findings(["--shard", "\($0)/3"]) }
        #expect(shards.sorted() == one.sorted())
    }

    @Test func anUnsignedRecordDoesNotPassQuietly() throws {
        // As seen: with no policy, `audit _posts --key Keys/blog.pub` on a corpus where one
        // record's signature line was deleted and its title changed printed "5 records
        // checked, 5 passed" and exit 0, with no word about the unsigned record.
        let ws = try Workspace()
        for i in 1...5 { _ = try ws.write("_posts/p\(i).md", "---\ntitle: \"P\(i)\"\n---\nBody \(i).\n") }
        #expect(try secured(["seal", "_posts", "--key", ws.keyPath], in: ws.dir).status == 0)
        let pub = try ws.write("Keys/cli.pub", ws.key.publicKey!.fileText)
        let text = try ws.read("_posts/p3.md").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("signature:") }.joined(separator: "\n")
        _ = try ws.write("_posts/p3.md", text.replacing("title: \"P3\"", with: "title: \"Changed\""))
        let r = try secured(["audit", "_posts", "--key", pub], in: ws.dir)
        #expect(r.status == 0, "no requirement: it passes, but says so")
        #expect(
            r.stderrText.contains(
                "note: 1 record carries no signature (_posts/p3.md): it was not verified; --require-signature"),
            "\(r.stderrText)")
        let json = try secured(["audit", "_posts", "--key", pub, "--format", "json"], in: ws.dir)
        #expect(json.stdoutText.contains("\"kind\":\"unsignedRecords\""), "\(json.stdoutText)")
        let sarif = try secured(["audit", "_posts", "--key", pub, "--format", "sarif"], in: ws.dir)
        #expect(sarif.stdoutText.contains("1 record carries no signature"))
        let github = try secured(["audit", "_posts", "--key", pub, "--format", "github"], in: ws.dir)
        #expect(github.stdoutText.contains("::warning title=secured%3A unsignedRecords::1 record carries no signature"))
        // Without any key nothing could verify it: that is the other note, not this one.
        let keyless = try secured(["audit", "_posts"], in: ws.dir)
        #expect(!keyless.stderrText.contains("carries no signature"), "\(keyless.stderrText)")
        // With the requirement it is SR008, and no note besides.
        let required = try secured(["audit", "_posts", "--key", pub, "--require-signature"], in: ws.dir)
        #expect(required.status == 1 && required.stdoutText.contains("_posts/p3.md: error: SR008"))
        #expect(!required.stderrText.contains("carries no signature"))
    }

    @Test func builtOutputAndDependenciesAreNotRecords() throws {
        // As seen: `seal .` and init's walk descended into node_modules/, a Jekyll
        // vendor/bundle and _site/; sealing a README suggested adding front matter.
        let ws = try Workspace()
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nbody\n")
        for folder in ["node_modules/pkg", "vendor/bundle/gems/x", "_site/posts"] {
            _ = try ws.write("\(folder)/README.md", "# not a record\n")
        }
        let r = try secured(["audit", "."], in: ws.dir)
        #expect(r.status == 0, "\(r.stdoutText)\(r.stderrText)")
        #expect(r.stderrText.contains("1 record checked"))
        for folder in ["node_modules", "vendor", "_site"] {
            #expect(r.stderrText.contains("\(folder): note: folder skipped (built output or dependencies"))
        }
        // Named, it is walked.
        #expect(try secured(["audit", "_site"], in: ws.dir).status == 1)
        let readme = try ws.write("README.md", "# Site\n")
        let sealed = try secured(["seal", readme, "--key", ws.keyPath], in: ws.dir)
        #expect(sealed.stderrText.contains("If it is not an article (a README, a theme's page), leave it out"))
    }

    @Test func fifosAndDanglingLinksAreSR017AndNeverBlock() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", plainRecord)
        #expect(mkfifo(ws.dir.appendingPathComponent("c/pipe.md").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("dangling.md").path, withDestinationPath: "nowhere")
        // Walked: the FIFO is reported, not skipped, and the audit fails.
        let walked = try secured(["audit", "c", "--format", "json"], in: ws.dir)
        #expect(walked.status == 1, "\(walked.stderrText)")
        let doc = try JSONSerialization.jsonObject(with: walked.stdout) as? [String: Any]
        let findings = doc?["findings"] as? [[String: Any]] ?? []
        #expect(findings.map { $0["file"] as? String } == ["c/pipe.md"])
        #expect(findings.first?["code"] as? String == "SR017")
        // Named: both are SR017 in every format, exit 1 (opening the FIFO would hang for ever).
        for format in ["text", "json", "junit", "github"] {
            let named = try secured(["audit", "c/pipe.md", "dangling.md", "--format", format], in: ws.dir)
            #expect(named.status == 1, "\(format): \(named.stderrText)")
            let all = named.stdoutText + named.stderrText
            #expect(all.contains("SR017"), "\(format)")
            #expect(all.contains("dangling.md") && all.contains("c/pipe.md"), "\(format)")
        }
        // A path that does not exist is a usage error, with no report.
        let missing = try secured(["audit", "c", "nope.md", "--format", "json"], in: ws.dir)
        #expect(missing.status == 2)
        #expect(missing.stdout.isEmpty)
        #expect(missing.stderrText.contains("no such file or folder: nope.md"))
    }

    @Test func quietLeavesOnlyErrorsWarningsAndTheReport() throws {
        // As asked: --quiet.
        let ws = try Workspace()
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\nbody\n")
        _ = try ws.write("c/b.md", "---\ntitle: a\ntitle: b\n---\nbody\n")
        let loud = try secured(["audit", "c", "--key", ws.keyPath], in: ws.dir)
        let quiet = try secured(["audit", "c", "--key", ws.keyPath, "--quiet"], in: ws.dir)
        #expect(loud.stderrText.contains("audit: 2 records checked"))
        #expect(quiet.status == loud.status && quiet.status == 1)
        // Only what a reviewer must see stays: here, that a record carries no signature.
        #expect(
            quiet.stderrText
                == "note: 1 record carries no signature (c/a.md): it was not verified; --require-signature (or the policy's require-signature) makes that an error (SR008)\n",
            "\(quiet.stderrText)")
        #expect(quiet.stdoutText == loud.stdoutText && quiet.stdoutText.contains("c/b.md:2: error: SR002"))
        let seal = try secured(["seal", "c/a.md", "--key", ws.keyPath, "-q"], in: ws.dir)
        #expect(seal.status == 0 && seal.stderrText.isEmpty, "\(seal.stderrText)")
    }

    @Test func quietKeepsTheNoteOnAPolicyThatHidesRecords() throws {
        // As found: `audit . -q --require-signature` printed nothing and exited 0
        // while a policy below the root left two records out.
        let ws = try Workspace()
        #expect(try secured(["keygen", "--id", "s", "--out", "s.key"], in: ws.dir).status == 0)
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\nbody\n")
        _ = try ws.write("c/private/b.md", "---\ntitle: b\n---\nbody\n")
        #expect(try secured(["sign", "c", "--key", "s.key"], in: ws.dir).status == 0)
        _ = try ws.write("c/private/.secured.yaml", "exclude: [\"*.md\"]\n")
        let r = try secured(["audit", "c", "--key", "s.key", "--require-signature", "-q"], in: ws.dir)
        #expect(
            r.stderrText.contains("c/private/.secured.yaml: note: this policy leaves 1 record out"), "\(r.stderrText)")
        #expect(!r.stderrText.contains("audit: "), "\(r.stderrText)")
    }
}
