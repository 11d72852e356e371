import Foundation
import SecuredRecords
import TestSupport
import Testing

/// Policies and globs written to break the tool: resource limits, no recursion,
/// time linear in the input.
@Suite("Hostile policies and globs")
struct HostilePolicyTests {
    func error(_ text: String) -> PolicyError? {
        do {
            _ = try Policy(parsing: Array(text.utf8), file: "/repo/.secured.yaml", workingDirectory: "/repo")
            return nil
        } catch {
            return error
        }
    }

    @Test func anIncludeNested50000LevelsIsAnErrorNamingTheLine() throws {
        // 100 KB, as found: the parser recursed and the tool died with SIGSEGV.
        let flow = "include: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "\n"
        let block = "include:\n  " + String(repeating: "- ", count: 50_000) + "x\n"
        for text in [flow, block] {
            let e = try #require(error(text))
            #expect(e.message.contains("more than 64 levels deep"), "\(e)")
            #expect(e.line == (text == flow ? 1 : 2), "\(e)")
        }
    }

    @Test func sixtyFourLevelsAreAllowedAndSixtyFiveAreNot() throws {
        // The top-level mapping is level 1, `include`'s list level 2.
        func nested(_ levels: Int) -> String {
            "include: " + String(repeating: "[", count: levels - 1) + "a" + String(repeating: "]", count: levels - 1)
                + "\n"
        }
        #expect(error(nested(64))?.message.contains("levels deep") != true)
        #expect(error(nested(65))?.message.contains("more than 64 levels deep") == true)
    }

    /// The glob semantics, written the slow obvious way: `fnmatch` per component, `**` as
    /// zero or more components by trying every split.
    static func reference(_ glob: [String], _ path: ArraySlice<String>) -> Bool {
        guard let first = glob.first else { return path.isEmpty }
        if first == "**" {
            return (path.startIndex...path.endIndex).contains { reference(Array(glob.dropFirst()), path[$0...]) }
        }
        guard let name = path.first, fnmatch(first, name, 0) == 0 else { return false }
        return reference(Array(glob.dropFirst()), path.dropFirst())
    }

    @Test func pathGlobsMatchAsFnmatchPerComponentDoes() throws {
        // Differential, on globs with '/' (anchored) and any number of '**': the matcher
        // against the reference above, for the path itself and the folders above it.
        var rng = SeededRandom(seed: 19)
        let pieces = ["a", "b", "*", "?", "[ab]", "**", "**", "a*", "*b", "[!a]"]
        let names = ["a", "b", "ab", "ba", "c", "aa"]
        var compared = 0
        var matched = 0
        for _ in 0..<20_000 {
            let glob = (0..<Int(rng.next() % 5 + 2)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
            let foldersOnly = rng.next() % 4 == 0
            let text = glob.joined(separator: "/") + (foldersOnly ? "/" : "")
            let path = (0..<Int(rng.next() % 6 + 1)).map { _ in names[Int(rng.next() % UInt64(names.count))] }
            let expected = (1...path.count).contains { end in
                (end < path.count || !foldersOnly) && Self.reference(glob, path[..<end])
            }
            #expect(try Glob(text).matches(path.joined(separator: "/")) == expected, "\(text) ~ \(path)")
            compared += 1
            if expected { matched += 1 }
        }
        #expect(compared == 20_000 && matched > 2_000)
    }

    @Test func repeatedDoubleStarsAgreeOnADeepTree() throws {
        let deep = (0..<40).map { "d\($0)" }.joined(separator: "/") + "/a.md"
        let ten = Array(repeating: "**", count: 10).joined(separator: "/")
        #expect(try Glob("\(ten)/a.md").matches(deep))
        #expect(try Glob("\(ten)/d39/\(ten)/a.md").matches(deep))
        #expect(try Glob("\(ten)/x/\(ten)/a.md").matches(deep) == false)
        #expect(try Glob("\(ten)/d5/**/d4/\(ten)").matches(deep) == false)
    }
}
