import SecuredCrypto
import Testing

@testable import SecuredRecords

/// The audit tells the one-pass YAML check where the decoded `secured` value is,
/// so that its characters are not read again. Told or not, the check must answer the same
/// for every way of writing the `secured` line around a blob that decodes, and never accept
/// what libyaml rejects.
@Suite("The one-pass check told where the blob is")
struct BlobHintTests {
    static let blob =
        "\(Base64.encode([UInt8](repeating: 0xA5, count: 48)));\(Base64.encode([UInt8](repeating: 7, count: 16)))"

    static let securedLines: [String] = [
        "secured: \"\(blob)\"",
        "secured: '\(blob)'",
        "secured:   \"\(blob)\"   ",
        "secured: \"\(blob)\" # a comment",
        "secured: \"\(blob)\"# not a comment",
        "secured: \"\(blob)\"\t",
        "secured: \"\(blob)\"x",
        "secured: \"\(blob)\"\"",
        "secured: \"\(blob)'",
        "secured: '\(blob)\"",
        "secured: \"\(blob)",
        "secured: \(blob)",
        "secured: \"\(blob)\"\n  continued",
        "secured: \"\(blob)\"\nsecured: \"\(blob)\"",
        "secured: [\"\(blob)\"]",
        "secured: \"\\\"\(blob)\"",
        "secured: \"\(blob)\\\"\"",
        "\"secured\": \"\(blob)\"",
        "nested:\n  secured: \"\(blob)\"",
        "secured: \"\(blob)\"\nnested:\n  - secured: \"\(blob)\"",
        "secured:\n  \"\(blob)\"",
        "secured: &a \"\(blob)\"",
        "secured: !!str \"\(blob)\"",
        "secured: \"\(blob)\" \u{00A0}",
        "secured: \"\(blob)\"\u{0085}",
    ]

    @Test(arguments: securedLines)
    func sameAnswerToldOrNot(line: String) throws {
        for terminator in ["\n", "\r\n"] {
            for before in ["title: a\n", "", "list:\n  - x\n"] {
                let text = "---\n\(before)\(line)\nsignature: \"v1;k;AAAA\"\n---\n\n"
                    .replacingOccurrences(of: "\n", with: terminator)
                let record = try Record(parsing: Array(text.utf8), file: "a.md")
                let hint = record.readBlob()?.valueRange
                let told = FastFrontMatter.isCertainlyValid(record, blobCharacters: hint)
                #expect(told == FastFrontMatter.isCertainlyValid(record), "\(text.debugDescription)")
                if told {
                    #expect(throws: Never.self, "\(text.debugDescription)") {
                        try FrontMatterValidator.validateWithLibYAML(record)
                    }
                }
                // The audit's own path: the same SR002 answer as without the hint.
                let audited = RecordChecker(keys: KeyRing()).check(bytes: record.bytes, file: "a.md")
                let sr002 = audited.findings.contains { $0.code == .sr002AmbiguousFrontMatter }
                #expect(sr002 == ((try? FrontMatterValidator.validate(record)) == nil), "\(text.debugDescription)")
            }
        }
    }

    /// The hint is taken only for a value that decoded, where the decoder read it.
    @Test func onlyADecodedValueHasARange() throws {
        let good = try Record(parsing: Array("---\nsecured: \"\(Self.blob)\"\n---\n".utf8), file: "a.md")
        let range = try #require(good.readBlob()?.valueRange)
        #expect(String(decoding: good.bytes[range], as: UTF8.self) == Self.blob)
        let bad = try Record(parsing: Array("---\nsecured: \"\(Self.blob)x\"\n---\n".utf8), file: "a.md")
        #expect(bad.readBlob()?.value == nil)
        #expect(bad.readBlob()?.valueRange == nil)
    }
}
