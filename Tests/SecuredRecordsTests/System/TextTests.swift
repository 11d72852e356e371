import SecuredRecords
import Testing

/// `includes` and `replacingEach` (no `_StringProcessing` in the binary) answer as
/// `_StringProcessing`'s `contains(_:)` (`firstRange(of:)`) and `replacing(_:with:maxReplacements:)`
/// of a string, which the library and the command line called before, do: by `Character`. (Here,
/// where another file imports Foundation, `contains(_:)` would be Foundation's, which searches
/// UTF-16 and finds "\n" in "\r\n".)
@Suite("Substring search without _StringProcessing")
struct TextTests {
    static let texts = [
        "", "a", "aaa", "error: x", "a ## [##[ b ##[", "::", "e\u{301}", "café", "cafe\u{301} au lait",
        "\r\n", "a\r\nb", "'quoted' 'twice'", "x: y: z", "😀😀", "ab" + String(repeating: "a", count: 50),
    ]
    static let parts = ["", "a", "aa", "##[", "::", "e", "é", "\n", "\r\n", "'", ": ", "😀", "x: y", "abc"]

    @Test func includesAsContains() {
        for text in Self.texts {
            for part in Self.parts {
                let found = text.firstRange(of: part) != nil
                #expect(text.includes(part) == found, "\(text.debugDescription) \(part.debugDescription)")
                #expect(text.dropFirst().includes(part) == (text.dropFirst().firstRange(of: part) != nil))
            }
        }
    }

    @Test func replacingEachAsReplacing() {
        for text in Self.texts {
            for part in Self.parts where !part.isEmpty {
                for limit in [0, 1, 2, Int.max] {
                    #expect(
                        text.replacingEach(part, with: "<\(part)>", maxReplacements: limit)
                            == text.replacing(part, with: "<\(part)>", maxReplacements: limit),
                        "\(text.debugDescription) \(part.debugDescription) \(limit)")
                }
            }
        }
    }
}
