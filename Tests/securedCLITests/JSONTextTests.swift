import Foundation
import JSONText
import Testing

@testable import secured

/// The command line writes JSON with ``JSONText`` (no Foundation in the binary); its
/// bytes are held here to Foundation's `JSONEncoder` with the options the tool used before
/// (`.sortedKeys`, `.withoutEscapingSlashes`, and `.prettyPrinted` for whole documents).
@Suite("JSON text as JSONEncoder writes it")
struct JSONTextTests {
    struct Inner: Encodable {
        enum Kind: String, Encodable { case plain, mixedCase }
        var count: Int?
        var path: String
        var kind: Kind
    }

    struct Document: Encodable {
        var text: String
        var upperCaseKeysSortFirst: Int
        var a10: [Int]
        var a9: [String: Double]
        var absent: Bool?
        var flag: Bool
        var underscore: [String]
        var emptyArray: [Int] = []
        var emptyObject: [String: Int] = [:]
        var nested: [Inner]
        var optionals: [String?]
        var small: UInt8 = 255
        var single: Float = 0.1
        var minimum: Int64 = .min
        var maximum: UInt64 = .max
    }

    static func foundation(_ value: some Encodable, pretty: Bool) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static var everyEscape: String {
        var text = ""
        for value in 0..<0x250 { text.unicodeScalars.append(Unicode.Scalar(value)!) }
        return text + "\u{2028}\u{2029}\u{FEFF}😀e\u{301} /a/b \\ \""
    }

    static let document = Document(
        text: everyEscape, upperCaseKeysSortFirst: -3, a10: [1, 2],
        a9: [
            "x": 1.0, "y": 0.001, "z": 1e-7, "w": 12_345_678.5, "v": 1e21, "u": -0.0, "t": 0.1 + 0.2, "s": 1e16,
            "r": 0.5,
        ],
        absent: nil, flag: true, underscore: ["a"],
        nested: [Inner(count: nil, path: "a/b.md", kind: .mixedCase), Inner(count: 5, path: "", kind: .plain)],
        optionals: ["x", nil])

    @Test(arguments: [true, false])
    func aDocumentOfEveryShape(pretty: Bool) throws {
        #expect(JSONText.encode(Self.document, pretty: pretty) == (try Self.foundation(Self.document, pretty: pretty)))
    }

    @Test(arguments: [true, false])
    func keysInTheOrderJSONEncoderSortsThem(pretty: Bool) throws {
        let keys = [
            "b", "B", "a", "A", "a10", "a9", "é", "z", "_", "SR010", "SR002", "Z9", "ioFailure", "IOFailure", "élan",
            "zèbre", "~",
        ]
        let value = Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) })
        #expect(JSONText.encode(value, pretty: pretty) == (try Self.foundation(value, pretty: pretty)))
    }

    @Test(arguments: [true, false])
    func topLevelScalarsAndEmptyContainers(pretty: Bool) throws {
        #expect(JSONText.encode("a/b\n", pretty: pretty) == (try Self.foundation("a/b\n", pretty: pretty)))
        #expect(JSONText.encode([Int](), pretty: pretty) == (try Self.foundation([Int](), pretty: pretty)))
        #expect(
            JSONText.encode([String: [Int]](), pretty: pretty)
                == (try Self.foundation([String: [Int]](), pretty: pretty)))
        #expect(JSONText.encode([[1], []], pretty: pretty) == (try Self.foundation([[1], []], pretty: pretty)))
        #expect(JSONText.encode(Double.nan, pretty: pretty) == nil)
    }

    @Test func theCommandLinesOwnDocuments() throws {
        let version = VersionInfo()
        #expect(JSONText.encode(version, pretty: true) == (try Self.foundation(version, pretty: true)))
    }
}
