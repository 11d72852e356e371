import Foundation
import TestSupport
import Testing

@testable import SecuredRecords

/// The event-stream fallback (``YAMLValidator``) against an independent oracle: pure-Python
/// PyYAML, its own scanner and parser (Tests/SecuredRecordsTests/Interop/yaml_oracle.py).
@Suite("YAML fallback agrees with PyYAML")
struct YAMLOracleTests {
    static let pythonYAML =
        (try? runProcess("python3", ["-c", "import yaml"]).status) == 0

    /// Front matter of the shapes the one-pass check leaves to the fallback.
    static func fallbackFrontMatter(_ rng: inout SeededRandom) -> String {
        func pick(_ list: [String]) -> String { list.randomElement(using: &rng)! }
        let pieces = [
            "text: |\n  first line\n  secured: \"x;y\"\n",
            "text: >-\n  folded\n  lines\n",
            "base: &b\n  x: 1\n  y: [a, b]\ncopy: *b\n",
            "name: &n plain\nagain: *n\n",
            "flow: {a: 1, b: [x, y], c: {d: e}}\n",
            "plain: first\n  continued\n  more\n",
            "quoted: \"tab\there\"\n",
            "single: 'it''s\n  folded'\n",
            "? complex key\n: value\n",
            "? [a, b]\n: seq key\n",
            "? {a: 1}\n: map key\n",
            "list:\n- a\n- {b: 1}\n- [c]\n",
            "empty: {}\nnone: []\n",
            "tagged: !!str 100\nint: !!int \"12\"\n",
            "nums: [0x10, 16, 0o20, 1_6, 1:30, 90]\n",
            "16: a\n0x10: b\n",  // the same int key twice
            "yes: a\non: b\n",  // the same bool key twice
            "~: a\nnull: b\n",  // the same null key twice
            "1.0: a\n1: b\n",  // a float and an int: different
            "'1': a\n1: b\n",  // a string and an int: different
            "a: &x 1\nb: &x 2\n",  // an anchor defined twice
            "undefined: *nope\n",
            "<<: {a: 1}\n",
            "m:\n  <<: {a: 1}\n  b: 2\n",
            "deep:\n  - images:\n      - url: u\n        url: v\n",
            "emoji: \"😀 𝐁\"\ntitle: é\n",
            "date: 2021-03-09\nwhen: 2021-03-09T22:47:00Z\n",
            "\"title\": a\ntitle: b\n",
            "x: [a, b\n",
            "x: {a: 1\n",
            "- a\n- b\n",
            "just a scalar\n",
            "# only a comment\n",
            "",
            "a: b\n--- \nc: d\n",
            "k: v\n\tbad: tab\n",
        ]
        var text = ""
        for _ in 0..<Int.random(in: 1...4, using: &rng) { text += pick(pieces) }
        if Int.random(in: 0..<4, using: &rng) == 0 {
            text += FastFrontMatterTests.structuredFrontMatter(&rng) + "\n"
        }
        return text
    }

    @Test(.enabled(if: pythonYAML, "python3 with PyYAML is not installed"))
    func fallbackAgreesWithPyYAML() throws {
        var rng = SeededRandom(seed: 20_261_129)
        var texts: [String] = []
        for k in 0..<6_000 {
            switch k % 3 {
            case 0: texts.append(FastFrontMatterTests.randomFrontMatter(&rng) + "\n")
            case 1: texts.append(FastFrontMatterTests.structuredFrontMatter(&rng) + "\n")
            default: texts.append(Self.fallbackFrontMatter(&rng))
            }
            // Some with CRLF line ends, as checkouts with autocrlf hold them.
            if k % 10 == 9 { texts[k] = texts[k].replacingOccurrences(of: "\n", with: "\r\n") }
        }
        // Every real record's front matter too (../shared/real-sample, when present).
        var real = 0
        for url in TestPaths.realSample {
            guard let r = try? Record(parsing: [UInt8](try Data(contentsOf: url)), file: url.lastPathComponent)
            else { continue }
            texts.append(
                String(
                    decoding: r.bytes[r.openingLine.range.upperBound..<r.closingLine.range.lowerBound], as: UTF8.self))
            real += 1
        }
        print("YAML oracle: \(real) real-sample front matters included")
        // The line rule (secured/signature) is not compared here: it is ours alone.
        let input = try JSONSerialization.data(withJSONObject: texts)
        let script = Fixtures.interop.appendingPathComponent("yaml_oracle.py").path
        let r = try runProcess("python3", [script], stdin: input)
        #expect(r.status == 0, "\(r.stderrText)")
        let verdicts = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [Bool])
        #expect(verdicts.count == texts.count)
        var disagreements: [String] = []
        var valid = 0
        for (text, oracle) in zip(texts, verdicts) {
            let bytes = Array(text.utf8)
            let ours = bytes.withUnsafeBufferPointer { (try? YAMLValidator.read($0)) != nil }
            if ours { valid += 1 }
            if ours != oracle {
                disagreements.append("ours \(ours), PyYAML \(oracle):\n\(text)")
            }
        }
        print(
            "YAML oracle: \(texts.count) front matters, \(valid) valid; \(disagreements.count) disagreements; \(r.stderrText)"
        )
        #expect(disagreements.isEmpty, "\(disagreements.prefix(5).joined(separator: "\n---\n"))")
        #expect(valid > 1_000 && valid < texts.count - 1_000, "the generator must give both answers")
    }
}
