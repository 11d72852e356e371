import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// `--format sarif` (SPEC section 8): the official schema, and what GitHub code scanning requires
/// on top of it, for audit, verify, manifest check and audit-merge.
@Suite("SARIF: valid for GitHub code scanning, stable fingerprints", .serialized)
struct SARIFTests {
    static let schema = TestPaths.shared?.appendingPathComponent("vectors/sarif-schema-2.1.0.json")
    static let validatorReady =
        schema != nil && (try? runProcess("python3", ["-c", "import jsonschema"]).status) == 0
    static let script = TestPaths.repositoryRoot.appendingPathComponent(
        "Tests/SecuredRecordsTests/Interop/sarif_validate.py"
    ).path

    /// A workspace with a git repository, sealed records and a few broken ones.
    func workspace() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        _ = try ws.write("content/a.md", plainRecord)
        _ = try ws.write("content/b.md", "---\ntitle: b\n---\nsecond\n")
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("content/bad.md", "---\ntitle: a\ntitle: b\n---\nx\n")
        _ = try ws.write("content/plain.md", "---\ntitle: p\n---\nplain body\n")
        _ = try ws.write("content/junk.md", "no front matter\n")
        return ws
    }

    func sarif(_ args: [String], in ws: Workspace, status: Int32 = 1) throws -> (Data, [String: Any]) {
        let r = try secured(args + ["--format", "sarif"], in: ws.dir)
        #expect(r.status == status, "\(args): \(r.stderrText)")
        let doc = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any])
        return (r.stdout, doc)
    }

    func results(_ doc: [String: Any]) -> [[String: Any]] {
        ((doc["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
    }

    /// What GitHub code scanning needs beyond the schema.
    func checkGitHubFields(_ doc: [String: Any], _ name: String) {
        #expect(doc["version"] as? String == "2.1.0", "\(name)")
        let run = (doc["runs"] as? [[String: Any]])?.first ?? [:]
        let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any] ?? [:]
        #expect(driver["name"] as? String == "secured", "\(name)")
        let rules = driver["rules"] as? [[String: Any]] ?? []
        #expect(rules.map { $0["id"] as? String } == (1...21).map { String(format: "SR%03d", $0) }, "\(name)")
        for rule in rules {
            for field in ["shortDescription", "fullDescription", "help"] {
                let text = (rule[field] as? [String: Any])?["text"] as? String
                #expect((text?.count ?? 0) > 0, "\(name) \(field)")
            }
            let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String
            #expect(level == "error" || level == "warning")
            let ruleName = rule["name"] as? String
            #expect((ruleName?.count ?? 0) > 0)
        }
        var fingerprints = Set<String>()
        for result in results(doc) {
            let id = result["ruleId"] as? String
            #expect(id != nil && rules[result["ruleIndex"] as? Int ?? -1]["id"] as? String == id, "\(name)")
            let message = (result["message"] as? [String: Any])?["text"] as? String
            #expect((message?.count ?? 0) > 0)
            let physical =
                ((result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]) ?? [:]
            let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String ?? ""
            #expect(uri.count > 0 && !uri.hasPrefix("/"), "\(name): \(uri)")
            #expect(((physical["region"] as? [String: Any])?["startLine"] as? Int ?? 0) >= 1)
            let fingerprint = (result["partialFingerprints"] as? [String: String])?["securedFinding/v1"] ?? ""
            #expect(fingerprint.count == 32)
            fingerprints.insert(fingerprint)
        }
        #expect(fingerprints.count == results(doc).count, "\(name): fingerprints are distinct")
    }

    @Test(.enabled(if: validatorReady, "../shared/vectors or Python jsonschema is missing"))
    func everyDocumentIsValidSARIFForGitHub() throws {
        let ws = try workspace()
        var files: [String] = []
        func keep(_ name: String, _ data: Data, _ doc: [String: Any]) throws {
            let path = ws.dir.appendingPathComponent("\(name).sarif").path
            try data.write(to: URL(fileURLWithPath: path))
            files.append(path)
            checkGitHubFields(doc, name)
        }
        let (all, allDoc) = try sarif(["audit", "content", "--key", ws.keyPath], in: ws)
        try keep("audit", all, allDoc)
        #expect(Set(results(allDoc).compactMap { $0["ruleId"] as? String }) == ["SR001", "SR002"])
        #expect(
            results(allDoc).allSatisfy {
                (($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]).flatMap {
                    ($0["artifactLocation"] as? [String: Any])?["uri"] as? String
                }?.hasPrefix("content/") == true
            })
        let (strict, strictDoc) = try sarif(
            ["audit", "content", "--key", ws.keyPath, "--require-signature", "--require-secured"], in: ws)
        try keep("strict", strict, strictDoc)
        let (clean, cleanDoc) = try sarif(["audit", "content/a.md", "--key", ws.keyPath], in: ws, status: 0)
        try keep("clean", clean, cleanDoc)
        // Shards: one automation id each, notes as notifications.
        var ids = Set<String>()
        for index in 1...2 {
            let (data, doc) = try sarif(["audit", "content", "--shard", "\(index)/2"], in: ws, status: 1)
            try keep("shard\(index)", data, doc)
            let run = (doc["runs"] as? [[String: Any]])?.first ?? [:]
            ids.insert(((run["automationDetails"] as? [String: Any])?["id"] as? String) ?? "")
            let notes = ((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"] as? [Any]) ?? []
            #expect(!notes.isEmpty)
        }
        #expect(ids.count == 2 && !ids.contains(""))
        // The bad-input corpus: every SR code the audit can report.
        let bad = ws.dir.appendingPathComponent("bad-inputs").path
        let gen = try runProcess(
            "python3", [TestPaths.repositoryRoot.appendingPathComponent("Tests/BadInputs/generate.py").path, bad])
        #expect(gen.status == 0, "\(gen.stderrText)")
        let (every, everyDoc) = try sarif(["audit", "bad-inputs", "--key", "bad-inputs/keys"], in: ws)
        try keep("every-code", every, everyDoc)
        #expect(Set(results(everyDoc).compactMap { $0["ruleId"] as? String }).count >= 15)
        // manifest check reports the same findings: a changed record is SR018.
        #expect(try secured(["manifest", "build", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("content/plain.md", "---\ntitle: p\n---\nchanged\n")
        let (manifest, manifestDoc) = try sarif(
            ["manifest", "check", "content/MANIFEST.sha256", "--key", ws.keyPath], in: ws)
        try keep("manifest", manifest, manifestDoc)
        #expect(results(manifestDoc).compactMap { $0["ruleId"] as? String } == ["SR018"])
        // verify reports signature findings the same way: the unsigned records are SR008.
        let (verify, verifyDoc) = try sarif(
            ["verify", "content/a.md", "content/plain.md", "--key", ws.keyPath], in: ws)
        try keep("verify", verify, verifyDoc)
        #expect(results(verifyDoc).compactMap { $0["ruleId"] as? String } == ["SR008"])
        // audit-merge of shard indexes.
        var indexes: [String] = []
        for index in 1...2 {
            let path = "shard-\(index).index"
            let r = try secured(["audit", "content", "--shard", "\(index)/2", "--write-index", path], in: ws.dir)
            #expect(r.status == 1, "\(r.stderrText)")
            indexes.append(path)
        }
        let (merged, mergedDoc) = try sarif(["audit-merge"] + indexes, in: ws, status: 0)
        try keep("merge", merged, mergedDoc)
        let v = try runProcess("python3", [Self.script, Self.schema!.path] + files)
        #expect(v.status == 0, "\(v.stdoutText)")
    }

    @Test func fingerprintsSurviveLinesInsertedAbove() throws {
        let ws = try workspace()
        func fingerprint() throws -> [String: String] {
            let (_, doc) = try sarif(["audit", "content"], in: ws)
            var out: [String: String] = [:]
            for r in results(doc) {
                let uri =
                    ((r["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]).flatMap {
                        ($0["artifactLocation"] as? [String: Any])?["uri"] as? String
                    } ?? ""
                out[uri] = (r["partialFingerprints"] as? [String: String])?["securedFinding/v1"]
            }
            return out
        }
        let before = try fingerprint()
        _ = try ws.write("content/bad.md", "---\n# a comment\nnew: line\ntitle: a\ntitle: b\n---\nx\n")
        let after = try fingerprint()
        #expect(before["content/bad.md"] != nil && before["content/bad.md"] == after["content/bad.md"])
        _ = try ws.write("content/bad.md", "---\ntitle: c\ntitle: d\n---\nx\n")
        #expect(try fingerprint()["content/bad.md"] != before["content/bad.md"])
    }
}

/// The audit appends a Markdown summary to `GITHUB_STEP_SUMMARY`, and writes nothing elsewhere.
@Suite("GitHub step summary: appended only in a GitHub step", .serialized)
struct StepSummaryTests {
    @Test func auditAppendsAMarkdownSummaryOnlyInAGitHubStep() throws {
        let ws = try Workspace(keyID: "site")
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        _ = try ws.write("content/a.md", plainRecord)
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("content/bad.md", "---\ntitle: a\ntitle: b\n---\nx\n")
        let summary = ws.dir.appendingPathComponent("summary.md")
        try Data("earlier step\n".utf8).write(to: summary)
        let env = [
            "GITHUB_STEP_SUMMARY": summary.path, "GITHUB_SERVER_URL": "https://github.example",
            "GITHUB_REPOSITORY": "acme/site", "GITHUB_SHA": "0123abc",
        ]
        let r = try secured(["audit", "content", "--key", ws.keyPath], in: ws.dir, environment: env)
        #expect(r.status == 1)
        let text = try String(contentsOf: summary, encoding: .utf8)
        #expect(text.hasPrefix("earlier step\n### secured audit\n"), "\(text)")  // appended, not replaced
        #expect(text.contains("**2 records checked, 1 without errors, 1 with errors**"))
        #expect(text.contains("| SR002 | 1 |"))
        #expect(
            text.contains("[`content/bad.md:2`](https://github.example/acme/site/blob/0123abc/content/bad.md#L2) SR002")
        )
        // Outside a GitHub step: nothing written anywhere.
        let plain = try secured(["audit", "content", "--key", ws.keyPath], in: ws.dir)
        #expect(plain.status == 1)
        #expect(try String(contentsOf: summary, encoding: .utf8) == text)
    }
}
