import Foundation
import SecuredRecords
import TestSupport
import Testing

@testable import secured

/// `secured explain`: the SR codes are readable from a clone, and the README's table says the same
/// words, from the same source as the SARIF rules.
@Suite("explain: every SR code, its rule and its fix")
struct ExplainTests {
    @Test func explainListsEveryCode() throws {
        let r = try secured(["explain"], in: TestPaths.repositoryRoot)
        #expect(r.status == 0)
        let lines = r.stdoutText.split(separator: "\n")
        for code in RecordError.Code.diagnostics {
            #expect(
                lines.contains {
                    $0.hasPrefix(code.rawValue + "  " + code.severity.rawValue) && $0.hasSuffix(code.summary)
                },
                "\(code.rawValue)")
        }
        #expect(RecordError.Code.diagnostics.map(\.rawValue) == (1...21).map { "SR" + String(format: "%03d", $0) })
    }

    @Test func explainOneCodeGivesTheRuleAndItsFix() throws {
        for code in RecordError.Code.diagnostics {
            let r = try secured(["explain", code.rawValue.lowercased()], in: TestPaths.repositoryRoot)
            #expect(r.status == 0, "\(code.rawValue)")
            #expect(r.stdoutText.contains(code.summary) && r.stdoutText.contains("How to fix it: " + code.help))
            let json = try secured(["explain", code.rawValue, "--format", "json"], in: TestPaths.repositoryRoot)
            let doc = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
            let rule = (doc?["rules"] as? [[String: Any]])?.first
            #expect(rule?["help"] as? String == code.help && rule?["code"] as? String == code.rawValue)
        }
        let r = try secured(["explain", "SR011"], in: TestPaths.repositoryRoot)
        // It leads with reviewing the change: for a fork's pull request, re-signing is what a
        // maintainer must not do first.
        #expect(r.stdoutText.contains("Review the change first (git diff --cached -- PATH; git log -p -- PATH)"))
        #expect(r.stdoutText.contains("Only if the change is yours and right, re-sign: secured sign --key KEY -- PATH"))
        for bad in ["SR022", "refused", "io", "x"] {
            let refused = try secured(["explain", bad], in: TestPaths.repositoryRoot)
            #expect(refused.status == 2, "\(bad)")
        }
    }

    /// The README's table is one line a code, the same words as `secured explain`.
    @Test func theReadmeTableHasEveryCode() throws {
        let readme = try String(
            contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        for code in RecordError.Code.diagnostics {
            let row = "| \(code.rawValue) | \(code.severity.rawValue) | \(code.summary) |"
            #expect(readme.contains(row), "README lacks: \(row)")
        }
        let help = try secured(["--help"], in: TestPaths.repositoryRoot)
        let words = help.stdoutText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("'secured explain SR011' says what one finds and how to fix it"), "\(words)")
        #expect(!help.stdoutText.contains("SPEC.md"))
    }
}
