import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Each command's `--help` lists the formats it writes, and it writes every one it lists
/// (issue: keys-hostile, item F: `verify --format junit` was refused while its help listed it).
@Suite("Formats: listed means written")
struct FormatListTests {
    static let all = ["text", "json", "junit", "github", "sarif"]

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

    /// The formats a command's `--help` lists for `--format`, and the help of that option.
    func listedFormats(_ help: String) -> (values: Set<String>, text: String)? {
        let flat = help.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        guard let start = flat.range(of: "--format <format> "),
            let end = flat.range(of: "default: text)", range: start.upperBound..<flat.endIndex)
        else { return nil }
        let text = String(flat[start.upperBound..<end.lowerBound])
        guard let values = text.range(of: "(values: ") else { return nil }
        let list = text[values.upperBound...].split(separator: ";").first ?? ""
        return (Set(list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }), text)
    }

    @Test func everyCommandListsOnlyTheFormatsItTakes() throws {
        let ws = try Workspace()
        for command in try leafCommands() where command.options.contains("format") {
            let help = try secured(command.path + ["--help"], in: ws.dir).stdoutText
            let listed = try #require(listedFormats(help), "\(command.path): no --format values in its help")
            #expect(listed.values.contains("text") && listed.values.isSubset(of: Set(Self.all)), "\(command.path)")
            for format in Self.all {
                let r = try secured(command.path + ["--format", format], in: ws.dir)
                let refused =
                    r.stderrText.contains("'\(format)' is invalid for '--format")
                    || r.stderrText.contains("not written by this command")
                #expect(
                    refused == !listed.values.contains(format), "\(command.path) --format \(format): \(r.stderrText)")
                if !listed.values.contains(format) {
                    // Its help does not mention a format it does not write.
                    #expect(!listed.text.contains(format), "\(command.path) --help mentions \(format)")
                }
            }
        }
    }
}
