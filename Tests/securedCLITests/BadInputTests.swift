import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// The bad-input corpus of issue 6, made by `Tests/BadInputs/generate.py` (Python's
/// `cryptography`, independent of our code): every SR code and the nasty cases.
@Suite("Bad-input corpus")
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
