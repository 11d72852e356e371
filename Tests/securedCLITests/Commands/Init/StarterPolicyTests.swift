import Foundation
import SecuredRecords
import Testing

@testable import secured

/// The policy `secured init` writes parses, says every field, and each commented example is
/// valid once uncommented.
@Suite("The starter policy")
struct StarterPolicyTests {
    func policy(_ text: String) throws -> Policy {
        try Policy(parsing: Array(text.utf8), file: "/repo/.secured.yaml", workingDirectory: "/elsewhere")
    }

    @Test func theStarterPolicyParsesAndSaysEveryField() throws {
        let p = try policy(StarterPolicy.text)
        #expect(p.requireSignature == .everywhere)
        for field in [
            "include", "exclude", "require-secured", "require-signature", "ignore", "manifest", "keys", "leaks",
        ] {
            #expect(
                StarterPolicy.text.contains("\n\(field):") || StarterPolicy.text.contains("# \(field):"), "\(field)")
        }
    }

    /// Each commented example of the starter policy is valid when uncommented.
    @Test func theStarterPolicysExamplesParseWhenUncommented() throws {
        let lines = StarterPolicy.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let examples = lines.indices.filter { lines[$0].hasPrefix("#  - ") || lines[$0].hasPrefix("# manifest:") }
        #expect(examples.count == 4)
        for index in examples {
            var edited = lines
            edited[index] = String(lines[index].dropFirst(lines[index].hasPrefix("#  - ") ? 1 : 2))
            let p = try policy(edited.joined(separator: "\n"))
            #expect(
                !p.keyFiles.isEmpty || !p.ignore.isEmpty || p.manifest != nil || p.requireSecured != .nowhere,
                "\(lines[index])")
        }
        let all = lines.map { $0.hasPrefix("#  - ") ? String($0.dropFirst()) : $0 }.joined(separator: "\n")
        let p = try policy(all)
        #expect(p.keyFiles.count == 1 && p.ignore == [.sr015DuplicateBlob])
        // No value is an empty list, or nowhere.
        let empty = try policy("require-secured:\nignore:\nkeys: ~\nexclude: null\n")
        #expect(empty.requireSecured == .nowhere && empty.ignore.isEmpty && empty.keyFiles.isEmpty)
        // The leaks example, uncommented.
        let leaks = lines.map { $0.hasPrefix("# leaks:") || $0.hasPrefix("#   ") ? String($0.dropFirst(2)) : $0 }
        let withLeaks = try policy(leaks.joined(separator: "\n"))
        #expect(withLeaks.leaks.paths == ["/repo/_site"] && withLeaks.leaks.baseline == "/repo/.secured-leaks")
        #expect(withLeaks.leaks.history == false && withLeaks.leaks.line != nil)
    }
}
