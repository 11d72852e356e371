import Foundation
import SecuredRecords
import TestSupport
import Testing

/// SPEC 1.2 section 1, resource limits: collections nested more than 64 levels deep are
/// SR002, found before libyaml's scanner (quadratic in the flow depth) reads the rest.
@Suite("Front matter resource limits")
struct ResourceLimitTests {
    func depthError(_ frontMatter: String) -> RecordError? {
        do {
            try FrontMatterValidator.validate(try record("---\n\(frontMatter)---\nbody\n"))
            return nil
        } catch {
            return error
        }
    }

    /// `levels` levels in all: the top-level mapping, then `flow` levels of `[` or `{`
    /// below `block` levels of block mappings.
    func nested(levels: Int, block: Int) -> String {
        var text = ""
        for k in 0..<block { text += String(repeating: " ", count: k * 2) + "k\(k):\n" }
        let flow = levels - 1 - block
        let opens = (0..<flow).map { $0 % 2 == 0 ? "[" : "{a: " }
        let closes = (0..<flow).reversed().map { $0 % 2 == 0 ? "]" : "}" }
        return text + String(repeating: " ", count: block * 2) + "v: " + opens.joined() + "x" + closes.joined() + "\n"
    }

    @Test(arguments: [0, 1, 30, 62])
    func sixtyFourLevelsPassAndSixtyFiveAreSR002(_ block: Int) throws {
        #expect(depthError(nested(levels: 64, block: block)) == nil)
        let e = try #require(depthError(nested(levels: 65, block: block)))
        #expect(e.code == .sr002AmbiguousFrontMatter)
        #expect(e.reason.contains("more than 64 levels deep"), "\(e)")
    }

    @Test func blockNestingAloneCountsAndTheOnePassCheckLeavesItToLibYAML() throws {
        // Simple block YAML is decided by the one-pass check at any depth: not past the limit.
        func mappings(_ levels: Int) -> String {
            (0..<(levels - 1)).map { String(repeating: " ", count: $0 * 2) + "k\($0):\n" }.joined()
                + String(repeating: " ", count: (levels - 1) * 2) + "v: x\n"
        }
        func sequences(_ levels: Int) -> String {
            // Sequences at levels 2 to levels - 1, the last holding a flow sequence.
            "l:\n" + (2..<(levels - 1)).map { String(repeating: " ", count: ($0 - 1) * 2) + "-\n" }.joined()
                + String(repeating: " ", count: (levels - 2) * 2) + "- [x]\n"
        }
        for text in [mappings(64), sequences(64)] { #expect(depthError(text) == nil, "\(text)") }
        for text in [mappings(65), sequences(65)] {
            let e = try #require(depthError(text))
            #expect(e.reason.contains("more than 64 levels deep"), "\(e)")
        }
        // A shallow front matter still takes the one-pass check.
        #expect(try FrontMatterValidator.validate(try record("---\n\(mappings(8))---\n")))
    }

    @Test func aHundredThousandOpenBracketsAreSR002OnTheirLine() throws {
        // 200 KB, as found (25 s in libyaml): the line of the first level too deep.
        let text =
            "title: x\nt: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n"
        let e = try #require(depthError(text))
        #expect(e.code == .sr002AmbiguousFrontMatter && e.line == 3, "\(e)")
    }
}

/// Found by a stranger: a 16 MB front matter of 1.48 million keys took 17 to 21 s (a
/// dictionary entry and an array a key). Keys are now kept in one buffer a mapping; what
/// this holds is that a repeat is still found, whatever its place among many keys and
/// whichever check decides (more than 512 keys go to libyaml).
@Suite("Front matter with many keys")
struct ManyKeysTests {
    @Test(arguments: [(600, 0), (600, 599), (50_000, 17), (50_000, 49_999)])
    func aRepeatAmongManyKeysIsFoundWithItsFirstLine(count: Int, repeated: Int) throws {
        var text = "---\n"
        for i in 0..<count { text += "k\(i): v\n" }
        text += "k\(repeated): again\n---\nbody\n"
        do {
            try FrontMatterValidator.validate(try record(text))
            Issue.record("a repeated key among \(count) passed")
        } catch {
            #expect(error.code == .sr002AmbiguousFrontMatter)
            #expect(error.line == repeated + 2, "\(error)")
            #expect(error.reason.contains("repeated"), "\(error)")
        }
    }

    @Test func manyDistinctKeysAtEveryDepthPass() throws {
        var text = "---\nm:\n"
        for i in 0..<20_000 { text += "  k\(i): {a\(i): 1, b: [x, {c\(i): 2}]}\n" }
        for i in 0..<20_000 { text += "t\(i): v\n" }
        try FrontMatterValidator.validate(try record(text + "---\nbody\n"))
    }
}
