import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured verify --format junit` writes what its help lists: one test case a record.
@Suite("verify: one JUnit test case a record")
struct VerifyTests {
    @Test func verifyWritesJUnitOneTestCaseARecord() throws {
        let ws = try Workspace(keyID: "site")
        for name in ["a", "b", "unsigned", "changed"] {
            _ = try ws.write("c/\(name).md", "---\ntitle: \(name)\n---\nbody <\(name)> & more\n")
        }
        #expect(try secured(["sign", "c/a.md", "c/b.md", "c/changed.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let changed = try ws.read("c/changed.md")
        _ = try ws.write("c/changed.md", changed.replacingOccurrences(of: "title: changed", with: "title: forged"))

        let r = try secured(["verify", "c", "--key", ws.keyPath, "--format", "junit"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let doc = try XMLDocument(data: r.stdout)
        let suite = try #require(try doc.nodes(forXPath: "/testsuites/testsuite").first as? XMLElement)
        #expect(suite.attribute(forName: "name")?.stringValue == "verify")
        #expect(suite.attribute(forName: "tests")?.stringValue == "4")
        #expect(suite.attribute(forName: "failures")?.stringValue == "2")
        let cases = try doc.nodes(forXPath: "//testcase").compactMap { $0 as? XMLElement }
        #expect(cases.count == 4)
        var failures: [String: String] = [:]
        for testcase in cases {
            let name = testcase.attribute(forName: "name")?.stringValue ?? ""
            if let failure = testcase.elements(forName: "failure").first {
                failures[name] = failure.attribute(forName: "type")?.stringValue
                let message = failure.attribute(forName: "message")?.stringValue ?? ""
                #expect(message.hasPrefix(failures[name] ?? "?"), "\(message)")
            }
        }
        #expect(failures == ["c/unsigned.md": "SR008", "c/changed.md": "SR011"], "\(failures)")
        #expect(Set(cases.compactMap { $0.attribute(forName: "name")?.stringValue }).count == 4)
        // All valid: no failure.
        let fine = try secured(["verify", "c/a.md", "c/b.md", "--key", ws.keyPath, "--format", "junit"], in: ws.dir)
        #expect(fine.status == 0, "\(fine.stderrText)")
        let fineDoc = try XMLDocument(data: fine.stdout)
        #expect(try fineDoc.nodes(forXPath: "//testcase").count == 2)
        #expect(try fineDoc.nodes(forXPath: "//failure").isEmpty)
    }
}
