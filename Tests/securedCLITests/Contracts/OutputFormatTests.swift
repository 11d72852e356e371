import Foundation
import JSONText
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@testable import secured

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Each command's `--help` lists the formats it writes, and it writes every one it lists; with
/// `--format json` every command writes one JSON document, failures included.
@Suite("Formats: every command writes each format its help lists, one JSON document")
struct FormatListTests {
    static let all = ["text", "json", "junit", "github", "sarif"]

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

    @Test func everyCommandWritesOneJSONDocument() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", plainRecord)
        _ = try ws.write("c/b.md", "---\ntitle: b\n---\nsecond body\n")
        var runs: [(String, ProcessResult)] = []
        var covered: Set<[String]> = []
        let commands = try leafCommands()
        func run(_ args: [String]) throws {
            runs.append((args.joined(separator: " "), try secured(args + ["--format", "json"], in: ws.dir)))
            if let command = commands.first(where: { args.starts(with: $0.path) }) { covered.insert(command.path) }
        }
        try run(["keygen", "--id", "other", "--out", "other.key"])
        try run(["seal", "c", "--key", ws.keyPath])
        try run(["sign", "c", "--key", ws.keyPath])
        try run(["verify", "c", "--key", ws.keyPath])
        try run(["open", "c/a.md", "--key", ws.keyPath])
        try run(["inspect", "c/a.md", "--key", ws.keyPath])
        try run(["manifest", "build", "c", "--key", ws.keyPath])
        try run(["manifest", "check", "c/MANIFEST.sha256", "--key", ws.keyPath])
        try run(["audit", "c", "--key", ws.keyPath, "--manifest", "c/MANIFEST.sha256"])
        chmod(ws.dir.appendingPathComponent("other.key").path, 0o600)
        try run(["rotate", "c", "--from", ws.keyPath, "--to", "other.key"])
        try run(["pubkey", "other.key"])
        try run(["leaks", "--corpus", "c", "--key", "other.key", "c"])
        try run(["audit", "c", "--key", "other.key", "--shard", "1/1", "--write-index", "c.index"])
        try run(["audit-merge", "c.index"])
        try run(["identity", "--out", "me.txt"])
        let recipient = try secured(["identity", "--out", "you.txt"], in: ws.dir).stdoutText
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try run(["share", "other.key", "-r", recipient, "--out", "other.key.age"])
        try run(["explain"])
        try run(["explain", "SR011"])
        // Every command that takes --format (from the tool's own list) was run above.
        let missing = commands.filter { $0.takesFormat && !covered.contains($0.path) }
        #expect(missing.isEmpty, "commands with --format that this test does not run: \(missing)")
        for (command, r) in runs {
            #expect(r.status == 0, "\(command): \(r.stderrText)")
            let doc = try? JSONSerialization.jsonObject(with: r.stdout)
            #expect(doc is [String: Any], "\(command): \(r.stdoutText)")
        }
        // A failure keeps its exit code and still writes the document.
        _ = try ws.write("c/a.md", "---\ntitle: changed\nsecured: \"x\"\n---\n")
        let failed = try secured(["verify", "c/a.md", "--key", "other.key", "--format", "json"], in: ws.dir)
        #expect(failed.status == 1)
        let doc = try JSONSerialization.jsonObject(with: failed.stdout) as? [String: Any]
        #expect(doc?["failed"] as? Int == 1)
    }
}

/// `--format github` annotations carry the hint that text and SARIF carry, as a second line.
@Suite("GitHub annotations carry the hint")
struct AnnotationHintTests {
    @Test func theHintIsASecondLineOfTheAnnotation() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", "---\ntitle: a\ntitle: b\n---\nbody\n")
        let r = try secured(["audit", "c", "--key", ws.keyPath, "--format", "github"], in: ws.dir)
        #expect(r.status == 1)
        let line = r.stdoutText.split(separator: "\n").first { $0.hasPrefix("::error file=c/a.md") }
        #expect(line?.contains("%0Ahint: ") == true, "\(r.stdoutText)")
    }
}

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
