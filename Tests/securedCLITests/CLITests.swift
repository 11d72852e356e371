import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

let plainRecord = "---\ntitle: \"Hello\"\ntags: [a, b]\n---\n\nThe secret body text, line one.\nLine two.\n"

@Suite("secured CLI", .serialized)
struct CLITests {
    @Test func helpTeachesAndUsageErrorsExitTwo() throws {
        let ws = try Workspace()
        let help = try secured(["--help"], in: ws.dir)
        #expect(help.status == 0)
        #expect(help.stdoutText.contains("Exit status"))
        let commands = try leafCommands()
        #expect(commands.count >= 19, "\(commands)")
        for command in commands {
            let r = try secured(command.path + ["--help"], in: ws.dir)
            #expect(r.status == 0, "\(command)")
            #expect(r.stdoutText.contains("Example"), "\(command) --help has an example")
            #expect(r.stdoutText.contains("Exit status"), "\(command) --help gives the exit codes")
            // Issue 22: no example wraps mid-command at 80 columns (each stays indented).
            for wrapped in helpExampleLinesThatWrap(r.stdoutText) { Issue.record("\(command): \(wrapped)") }
            // Every command's own usage errors exit 2, with nothing on stdout.
            let bad = try secured(command.path + ["--no-such-flag"], in: ws.dir)
            #expect(bad.status == 2, "\(command) --no-such-flag: \(bad.stderrText)")
            #expect(bad.stdout.isEmpty, "\(command)")
        }
        for bad in [["audit"], ["audit", ".", "--bogus"], ["audit", ".", "--shard", "4/3"], ["nope"], ["inspect"]] {
            let r = try secured(bad, in: ws.dir)
            #expect(r.status == 2, "\(bad): \(r.stderrText)")
            #expect(r.stdout.isEmpty, "\(bad)")
            #expect(!r.stderrText.isEmpty)
        }
        // A missing or bad key is a configuration error.
        _ = try ws.write("a.md", plainRecord)
        #expect(try secured(["seal", "a.md", "--key", "missing.key"], in: ws.dir).status == 2)
        #expect(try secured(["seal", "a.md"], in: ws.dir).status == 2)
        #expect(try secured(["audit", "does-not-exist"], in: ws.dir).status == 2)
    }

    @Test func keygen() throws {
        let ws = try Workspace()
        let r = try secured(["keygen", "--id", "site-2026", "--out", "new.key"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let parts = r.stdoutText.split(separator: " ")
        #expect(parts.first == "site-2026")
        let attrs = try FileManager.default.attributesOfItem(atPath: ws.dir.appendingPathComponent("new.key").path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let key = try SecuredKey(parsing: ws.read("new.key"))
        #expect(r.stdoutText == "site-2026 \(key.fingerprint)\n")
        let again = try secured(["keygen", "--id", "site-2026", "--out", "new.key"], in: ws.dir)
        #expect(again.status == 1)
        #expect(again.stderrText.contains("already exists"))
        #expect(try SecuredKey(parsing: ws.read("new.key")).fingerprint == key.fingerprint)
        #expect(try secured(["keygen", "--id", "bad id"], in: ws.dir).status == 2)
    }

    @Test func sealOpenSignVerifyRoundTrip() throws {
        let ws = try Workspace()
        _ = try ws.write("posts/a.md", plainRecord)
        _ = try ws.write("posts/blank.md", "---\ntitle: t\n---\n\n")
        let dry = try secured(["seal", "posts/a.md", "--key", ws.keyPath, "--dry-run"], in: ws.dir)
        #expect(dry.status == 0)
        #expect(dry.stderrText.contains("would be sealed"))
        #expect(try ws.read("posts/a.md") == plainRecord)

        let seal = try secured(["seal", "posts", "--key", ws.keyPath], in: ws.dir)
        #expect(seal.status == 1, "blank.md is refused")
        #expect(seal.stdout.isEmpty)
        #expect(seal.stderrText.contains("posts/a.md: sealed and signed with cli"))
        #expect(seal.stderrText.contains("posts/blank.md: error: nothing to seal"))
        #expect(try ws.read("posts/blank.md") == "---\ntitle: t\n---\n\n")

        let open = try secured(["open", "posts/a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(open.status == 0)
        #expect(open.stdoutText == "\nThe secret body text, line one.\nLine two.\n")
        #expect(open.stderrText.contains("signature valid"))

        let verify = try secured(["verify", "posts/a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(verify.status == 0)
        #expect(verify.stdoutText == "posts/a.md: signature valid (key cli)\n", "the verdict is the report: stdout")
        let unsigned = try secured(["verify", "posts/blank.md", "--key", ws.keyPath], in: ws.dir)
        #expect(unsigned.status == 1)
        #expect(unsigned.stdoutText.contains("SR008"))

        let sign = try secured(["sign", "posts/blank.md", "--key", ws.keyPath], in: ws.dir)
        #expect(sign.status == 0)
        let ambiguous = "---\nt: 1\nsignature: \"a\"\nsignature: \"b\"\n---\n"
        _ = try ws.write("twice.md", ambiguous)
        let badSign = try secured(["sign", "twice.md", "--key", ws.keyPath], in: ws.dir)
        #expect(badSign.status == 1)
        #expect(badSign.stderrText.contains("twice.md:4: error: SR009"))
        #expect(try ws.read("twice.md") == ambiguous)
        #expect(try secured(["verify", "posts", "--key", ws.keyPath], in: ws.dir).status == 0)

        let inPlace = try secured(["open", "posts/a.md", "--key", ws.keyPath, "--in-place"], in: ws.dir)
        #expect(inPlace.status == 0)
        #expect(try ws.read("posts/a.md") == plainRecord)
    }

    @Test func openRefusesATamperedRecordWithoutOutput() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", plainRecord)
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let sealed = try ws.read("a.md")
        _ = try ws.write("a.md", sealed.replacingOccurrences(of: "title: \"Hello\"", with: "title: \"Hallo\""))
        let r = try secured(["open", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(r.status == 1)
        #expect(r.stdout.isEmpty)
        #expect(r.stderrText.contains("a.md:5: error: SR011"))
        let other = try Workspace(keyID: "other")
        let wrong = try secured(["open", "a.md", "--key", other.keyPath], in: ws.dir)
        #expect(wrong.status == 1)
        #expect(wrong.stderrText.contains("SR010"))
    }

    @Test func auditFormatsParseBack() throws {
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

    @Test func auditJobsAndShardsAgree() throws {
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

    @Test func inspectRecordAndBlob() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", plainRecord)
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let r = try secured(["inspect", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("ciphertext: 48 bytes, 3 blocks of 16"))
        #expect(r.stdoutText.contains("key id cli"))
        #expect(r.stdoutText.contains("fingerprint \(ws.key.fingerprint)"))
        #expect(r.stdoutText.contains("padding: checks out"))
        #expect(!r.stdoutText.contains("secret body"))
        let shown = try secured(["inspect", "a.md", "--key", ws.keyPath, "--show-content"], in: ws.dir)
        #expect(shown.stdoutText.contains("The secret body text"))
        let bad = try secured(["inspect", "--blob", "QUFB;AAECAwQFBgcICQoL"], in: ws.dir)
        #expect(bad.status == 1)
        #expect(bad.stdoutText.contains("SR006"))
        #expect(bad.stdoutText.contains("SR007"))
        if let seed = TestPaths.seed("000_") {
            let legacy = try secured(["inspect", seed.path], in: ws.dir)
            #expect(legacy.status == 0)
            #expect(legacy.stdoutText.contains("ciphertext: 400 bytes, 25 blocks of 16"))
        }
    }

    @Test func manifestBuildAndCheck() throws {
        let ws = try Workspace()
        for i in 0..<5 { _ = try ws.write("m/r\(i).md", "---\nt: \(i)\n---\nbody \(i)\n") }
        let build = try secured(["manifest", "build", "m", "--key", ws.keyPath], in: ws.dir)
        #expect(build.status == 0, "\(build.stderrText)")
        let sum = try runProcess(
            "sha256sum", ["-c", "--quiet", "MANIFEST.sha256"], currentDirectory: ws.dir.appendingPathComponent("m"))
        #expect(sum.status == 0, "sha256sum -c accepts our manifest: \(sum.stderrText)")
        #expect(try secured(["manifest", "check", "m/MANIFEST.sha256", "--key", ws.keyPath], in: ws.dir).status == 0)

        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("m/r1.md"))
        _ = try ws.write("m/added.md", "---\nt: x\n---\n")
        _ = try ws.write("m/r2.md", "---\nt: changed\n---\n")
        try FileManager.default.moveItem(
            at: ws.dir.appendingPathComponent("m/r3.md"), to: ws.dir.appendingPathComponent("m/renamed.md"))
        let check = try secured(["manifest", "check", "m/MANIFEST.sha256", "--key", ws.keyPath], in: ws.dir)
        #expect(check.status == 1)
        for needle in [
            "r1.md' is listed but missing", "m/added.md: error: SR018", "m/r2.md: error: SR018",
            "r3.md' is listed but missing", "m/renamed.md: error: SR018",
        ] {
            #expect(check.stdoutText.contains(needle), "\(needle)")
        }
        var manifest = try ws.read("m/MANIFEST.sha256")
        manifest = manifest.replacingOccurrences(of: "r0.md", with: "r9.md")
        _ = try ws.write("m/MANIFEST.sha256", manifest)
        let tampered = try secured(["audit", "m", "--manifest", "m/MANIFEST.sha256", "--key", ws.keyPath], in: ws.dir)
        #expect(tampered.status == 1)
        #expect(tampered.stderrText.contains("SR019"))
    }

    /// Issue 22: after a rotation no record stays vouched for by the retired key; a record
    /// signed but not sealed (a public post) is signed again with the new key.
    @Test func rotateReSignsSignedRecordsItDoesNotSeal() throws {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        _ = try ws.write("r/sealed.md", "---\nt: 1\n---\nprivate\n")
        _ = try ws.write("r/public.md", "---\nt: 2\n---\npublic\n")
        _ = try ws.write("r/plain.md", "---\nt: 3\n---\nneither\n")
        #expect(try secured(["seal", "r/sealed.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(try secured(["sign", "r/public.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let rotate = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(
            rotate.stderrText.contains(
                "rotate old -> new: 3 records: 1 re-sealed and re-signed, 1 re-signed (not sealed), 1 skipped, 0 failed"
            ),
            "\(rotate.stderrText)")
        #expect(try ws.read("r/public.md").contains("signature: \"ed25519;new;"))
        #expect(try ws.read("r/public.md").hasSuffix("---\npublic\n"), "the body is kept")
        let audit = try secured(["verify", "r/sealed.md", "r/public.md", "--key", new.keyPath], in: ws.dir)
        #expect(audit.status == 0, "\(audit.stderrText)")
        // Nothing is left that only the old key vouches for.
        let old = try secured(["verify", "r/sealed.md", "r/public.md", "--key", ws.keyPath], in: ws.dir)
        #expect(old.status == 1)
        // Run again: both skipped as already rotated.
        let again = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(again.stderrText.contains("0 re-sealed and re-signed, 0 re-signed (not sealed), 3 skipped"))
        // A public post whose signature no longer matches the old key is not vouched for anew.
        _ = try ws.write("r/changed.md", "---\nt: 4\n---\nbody\n")
        #expect(try secured(["sign", "r/changed.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let text = try ws.read("r/changed.md")
        _ = try ws.write("r/changed.md", text.replacingOccurrences(of: "t: 4", with: "t: 5"))
        let changed = try secured(["rotate", "r/changed.md", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(changed.status == 1 && changed.stderrText.contains("SR011"), "\(changed.stderrText)")
        #expect(try ws.read("r/changed.md").contains("ed25519;old;"), "left as it was")
    }

    @Test func rotateIsRestartable() throws {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        for i in 0..<6 { _ = try ws.write("r/\(i).md", "---\nt: \(i)\n---\nbody \(i)\n") }
        #expect(try secured(["seal", "r", "--key", ws.keyPath], in: ws.dir).status == 0)
        let rotate = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(rotate.stderrText.contains("6 records: 6 re-sealed and re-signed, 0 re-signed (not sealed)"))
        let again = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(again.stderrText.contains("0 re-sealed and re-signed, 0 re-signed (not sealed), 6 skipped"))
        #expect(try secured(["audit", "r", "--key", new.keyPath, "--require-signature"], in: ws.dir).status == 0)
        let open = try secured(["open", "r/3.md", "--key", new.keyPath], in: ws.dir)
        #expect(open.stdoutText == "body 3\n")

        // Rotating with a wrong --from key fails and leaves the records as they were.
        let stranger = try Workspace(keyID: "stranger")
        for i in 0..<2 { _ = try stranger.write("q/\(i).md", "---\nt: \(i)\n---\nbody\n") }
        #expect(try secured(["seal", "q", "--key", stranger.keyPath], in: stranger.dir).status == 0)
        let before = try stranger.read("q/0.md")
        let bad = try secured(["rotate", "q", "--from", ws.keyPath, "--to", new.keyPath], in: stranger.dir)
        #expect(bad.status == 1)
        #expect(bad.stderrText.contains("SR010"))
        #expect(try stranger.read("q/0.md") == before)
    }

    @Test func editThroughAnEditorScript() throws {
        let ws = try Workspace()
        _ = try ws.write("e.md", plainRecord)
        #expect(try secured(["seal", "e.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let script = try ws.write(
            "editor.sh",
            "#!/bin/sh\nstat -c %a \"$1\" > \"$(dirname \"$0\")/mode.txt\"\necho \"$1\" > \"$(dirname \"$0\")/path.txt\"\nprintf 'edited body\\n' > \"$1\"\n"
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let r = try secured(["edit", "e.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": script])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(try ws.read("mode.txt") == "600\n")
        let tempPath = try ws.read("path.txt").trimmingCharacters(in: .newlines)
        #expect(!FileManager.default.fileExists(atPath: tempPath), "decrypted temporary file removed")
        #expect(try secured(["open", "e.md", "--key", ws.keyPath], in: ws.dir).stdoutText == "edited body\n")
        #expect(try secured(["verify", "e.md", "--key", ws.keyPath], in: ws.dir).status == 0)

        let before = try ws.read("e.md")
        let failingScript = try ws.write(
            "failing-editor.sh", "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/path.txt\"\nexit 1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failingScript)
        let failing = try secured(
            ["edit", "e.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": failingScript])
        #expect(failing.status == 1)
        #expect(try ws.read("e.md") == before)
        let failedTemp = try ws.read("path.txt").trimmingCharacters(in: .newlines)
        #expect(
            !FileManager.default.fileExists(atPath: failedTemp), "decrypted temporary file removed after a failed edit")
        let unchanged = try secured(["edit", "e.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": "true"])
        #expect(unchanged.status == 0)
        #expect(unchanged.stderrText.contains("no change"))
        #expect(try ws.read("e.md") == before)
    }

    @Test func noKeyBytesOrPlaintextInAnyMessage() throws {
        let ws = try Workspace()
        let secretText = "TOP-SECRET-PLAINTEXT-7f3a"
        _ = try ws.write("k/a.md", "---\ntitle: t\n---\n\(secretText)\n")
        _ = try ws.write("k/b.md", "---\ntitle: t\n---\n\(secretText) two\n")
        let runs: [[String]] = [
            ["seal", "k", "--key", ws.keyPath],
            ["sign", "k", "--key", ws.keyPath],
            ["verify", "k", "--key", ws.keyPath],
            ["audit", "k", "--key", ws.keyPath],
            ["audit", "k", "--key", ws.keyPath, "--format", "json"],
            ["audit", "k", "--key", ws.keyPath, "--format", "junit"],
            ["audit", "k", "--key", ws.keyPath, "--format", "github"],
            ["inspect", "k/a.md", "--key", ws.keyPath],
            ["manifest", "build", "k", "--key", ws.keyPath],
            ["manifest", "check", "k/MANIFEST.sha256", "--key", ws.keyPath],
            ["open", "k/a.md", "--key", ws.keyPath],
            ["keygen", "--id", "x", "--out", "x.key"],
        ]
        var outputs: [(String, String, Bool)] = []
        for args in runs {
            let r = try secured(args, in: ws.dir)
            // `open` prints the content on stdout by design; everything else, and every stderr, must not.
            outputs.append((args.joined(separator: " "), r.stdoutText, args.first == "open"))
            outputs.append((args.joined(separator: " ") + " (stderr)", r.stderrText, false))
        }
        // Failing runs too: wrong key, tampered record.
        let other = try Workspace(keyID: "cli")
        let wrong = try secured(["open", "k/a.md", "--key", other.keyPath], in: ws.dir)
        outputs.append(("open with wrong key", wrong.stdoutText + wrong.stderrText, false))
        let env = try secured(["audit", "k"], in: ws.dir, environment: ["SECURED_KEY": ws.key.keyFileText()])
        outputs.append(("audit with SECURED_KEY", env.stdoutText + env.stderrText, false))
        for (label, text, mayHoldPlaintext) in outputs {
            for secret in ws.secretForms { #expect(!text.contains(secret), "key bytes in \(label)") }
            if !mayHoldPlaintext { #expect(!text.contains(secretText), "plaintext in \(label)") }
        }
    }
}

final class JUnitCounter: NSObject, XMLParserDelegate {
    var testcases = 0
    var failures = 0
    func parser(
        _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if name == "testcase" { testcases += 1 }
        if name == "failure" { failures += 1 }
    }
}
