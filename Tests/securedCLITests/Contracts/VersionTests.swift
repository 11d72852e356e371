import Foundation
import SecuredRecords
import TestSupport
import Testing

/// `secured --version`: one version everywhere (the tool, the reader's package.json, SPEC.md),
/// and the commit the binary was built from, as text and as JSON.
@Suite("--version: one version everywhere, and the commit built from")
struct VersionTests {
    static let root = TestPaths.repositoryRoot

    /// `1.3.0` → `1.3`.
    static func majorMinor(_ version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }

    @Test func theToolTheReaderAndTheSpecAgree() throws {
        let version = SecuredVersion.current
        #expect(version.wholeMatch(of: /[0-9]+\.[0-9]+\.[0-9]+/) != nil, "\(version)")
        let package = try JSONSerialization.jsonObject(
            with: Data(contentsOf: Self.root.appendingPathComponent("reader/package.json")))
        #expect((package as? [String: Any])?["version"] as? String == version, "reader/package.json")
        let spec = try String(contentsOf: Self.root.appendingPathComponent("SPEC.md"), encoding: .utf8)
        let lines = spec.split(separator: "\n").filter { $0.hasPrefix("**Version: ") }
        #expect(lines == ["**Version: \(Self.majorMinor(version))**"], "SPEC.md's version line: \(lines)")
    }

    /// The commit git reports for the repository the tests run in, when it is one.
    static func repositoryHead() -> String? {
        guard let top = try? runProcess("git", ["-C", root.path, "rev-parse", "--show-toplevel"]),
            top.status == 0,
            URL(fileURLWithPath: top.stdoutText.trimmingCharacters(in: .newlines)).resolvingSymlinksInPath().path
                == root.resolvingSymlinksInPath().path,
            let head = try? runProcess("git", ["-C", root.path, "rev-parse", "HEAD"]), head.status == 0
        else { return nil }
        return head.stdoutText.trimmingCharacters(in: .newlines)
    }

    @Test func versionPrintsTheVersionAndTheCommitBuiltFrom() throws {
        let text = try secured(["--version"], in: Self.root)
        #expect(text.status == 0)
        let json = try secured(["--version", "--format", "json"], in: Self.root)
        #expect(json.status == 0)
        let document = try JSONSerialization.jsonObject(with: json.stdout) as? [String: String]
        #expect(document?["version"] == SecuredVersion.current)
        #expect(Set(document?.keys.map { $0 } ?? []) == ["version", "commit"])
        let commit = try #require(document?["commit"])
        #expect(text.stdoutText == "\(SecuredVersion.current) (commit \(commit))\n")
        #expect(commit == "unknown" || commit.wholeMatch(of: /[0-9a-f]{40}(-dirty)?/) != nil, "\(commit)")
        // Built from this repository (the tests' own), the commit is known and is one of its commits.
        if Self.repositoryHead() != nil {
            #expect(commit != "unknown")
            let hash = String(commit.prefix(40))
            let object = try runProcess("git", ["-C", Self.root.path, "cat-file", "-t", hash])
            #expect(object.stdoutText == "commit\n", "\(hash) is not a commit of this repository")
        }
        let equals = try secured(["--format=json", "--version"], in: Self.root)
        #expect(equals.stdout == json.stdout)
    }

    @Test func versionWithAnotherFormatIsAUsageError() throws {
        let r = try secured(["--version", "--format", "sarif"], in: Self.root)
        #expect(r.status == 2)
        #expect(r.stdoutText.isEmpty)
        #expect(r.stderrText.contains("--format text or --format json"))
    }
}
