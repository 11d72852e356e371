import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Every command's `--help` teaches (an example, the exit statuses) and its usage errors exit 2
/// with nothing on stdout; a missing or bad key is a configuration error.
@Suite("Exit statuses: help, usage and configuration errors exit 2", .serialized)
struct ExitStatusTests {
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
            // No example wraps mid-command at 80 columns (each stays indented).
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
}

/// SPEC 1.2 section 8: with signatures required and no key at all, audit, verify and the hooks
/// refuse to run (exit 2); without the requirement, an audit says how many signatures it did not verify.
@Suite("Checks that cannot run exit 2, never pass silently")
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

/// The bad-input corpus made by `Tests/BadInputs/generate.py` (Python's `cryptography`, independent
/// of our code): every SR code and the nasty cases, reported as expected by every read-only command.
@Suite("Bad-input corpus: every code reported, exit 0, 1 or 2, nothing written")
struct BadInputTests {
    struct Expected: Decodable {
        var `default`: [String]
        var strict: [String]
    }

    struct Report: Decodable {
        struct Finding: Decodable {
            var code: String
            var file: String
        }
        var findings: [Finding]
    }

    /// SHA-256 of every file under `dir`, by relative path.
    func hashes(_ dir: URL) throws -> [String: String] {
        var result: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: dir.path)
        while let name = walker?.nextObject() as? String {
            let url = dir.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            result[name] = Hex.encode(SHA256.hash(Array(try Data(contentsOf: url))))
        }
        return result
    }

    /// Runs `secured` under `timeout`, so a hang fails the test instead of stalling it.
    func audit(_ dir: URL, _ extra: [String]) throws -> ProcessResult {
        try runProcess(
            "timeout", ["120", securedBinary, "audit", ".", "--key", "keys/bad.key", "--require-secured"] + extra,
            removing: ["SECURED_KEY"], currentDirectory: dir)
    }

    @Test func everyFileReportsItsCodesAndNothingIsWritten() throws {
        try #require(programExists("python3"))
        let dir = try TestPaths.temporaryDirectory("bad-inputs")
        let script = TestPaths.repositoryRoot.appendingPathComponent("Tests/BadInputs/generate.py").path
        let generated = try runProcess("python3", [script, dir.path])
        try #require(generated.status == 0, "\(generated.stderrText)")
        let expected = try JSONDecoder().decode(
            [String: Expected].self, from: Data(contentsOf: dir.appendingPathComponent("expected.json")))
        let codes = Set(expected.values.flatMap { $0.default + $0.strict })
        for n in 1...17 { #expect(codes.contains(String(format: "SR%03d", n)), "no file for SR\(n)") }
        let before = try hashes(dir)

        for (mode, extra) in [("default", [String]()), ("strict", ["--require-signature"])] {
            let run = try audit(dir, extra + ["--format", "json"])
            #expect(run.status == 1, "\(mode): exit \(run.status) (124 is a hang): \(run.stderrText.suffix(500))")
            let report = try JSONDecoder().decode(Report.self, from: run.stdout)
            var found: [String: [String]] = [:]
            for finding in report.findings {
                found[URL(fileURLWithPath: finding.file).lastPathComponent, default: []].append(finding.code)
            }
            for (file, want) in expected.sorted(by: { $0.key < $1.key }) {
                let wanted = mode == "default" ? want.default : want.strict
                #expect((found[file] ?? []).sorted() == wanted, "\(mode): \(file)")
            }
            #expect(Set(found.keys).isSubset(of: Set(expected.keys)), "\(mode): findings about unexpected files")
        }
        // Every other format and read-only command: exit 0, 1 or 2 only, and no writes.
        for extra in [["--format", "text"], ["--format", "junit"], ["--format", "github"], ["--jobs", "1"]] {
            let run = try audit(dir, extra)
            #expect([0, 1, 2].contains(run.status), "\(extra): exit \(run.status)")
        }
        let verify = try runProcess(
            "timeout", ["120", securedBinary, "verify", ".", "--key", "keys/bad.key"], currentDirectory: dir)
        #expect([0, 1, 2].contains(verify.status))
        for file in expected.keys.sorted() where !file.contains("twenty") {
            let inspect = try runProcess(
                "timeout", ["60", securedBinary, "inspect", file, "--key", "keys/bad.key"], currentDirectory: dir)
            #expect([0, 1, 2].contains(inspect.status), "inspect \(file): exit \(inspect.status)")
        }
        #expect(try hashes(dir) == before, "a read-only command changed a file")
    }
}
