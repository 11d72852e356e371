import Foundation
import SecuredRecords
import TestSupport
import Testing

/// SPEC.md, the format's specification in the repository, against the code and the vectors:
/// its section 7 table says what `RecordError.Code` says, and every committed vector file is
/// pointed at from the rule it pins (or at least from its folder).
@Suite("SPEC.md: its code table, vectors and paths match the repository")
struct SpecDocumentTests {
    static let root = TestPaths.repositoryRoot

    static func spec() throws -> String {
        try String(contentsOf: root.appendingPathComponent("SPEC.md"), encoding: .utf8)
    }

    /// The rows of the diagnostics table: code, severity, meaning.
    static func tableRows(_ spec: String) -> [(code: String, severity: String, meaning: String)] {
        spec.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 5, cells[0].isEmpty, cells[4].isEmpty,
                cells[1].hasPrefix("SR"), cells[1].count == 5, Int(cells[1].dropFirst(2)) != nil
            else { return nil }
            return (cells[1], cells[2], cells[3])
        }
    }

    /// Lowercased words: letters and digits, everything else a separator.
    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    static let notImplemented = "not yet implemented by this repository's tool"

    @Test func everyCodeIsInTheTableWithItsSeverityAndSummary() throws {
        let rows = Self.tableRows(try Self.spec())
        #expect(Set(rows.map(\.code)).count == rows.count, "a code appears twice in SPEC.md's table")
        for code in RecordError.Code.diagnostics {
            let matching = rows.filter { $0.code == code.rawValue }
            #expect(matching.count == 1, "SPEC.md's table has no row for \(code.rawValue)")
            guard let row = matching.first else { continue }
            #expect(row.severity == code.severity.rawValue, "\(code.rawValue): \(row.severity)")
            #expect(Self.words(row.meaning) == Self.words(code.summary), "\(code.rawValue): \(row.meaning)")
        }
        // A code of the format that the code does not define must say so in its row.
        let defined = Set(RecordError.Code.diagnostics.map(\.rawValue))
        for row in rows where !defined.contains(row.code) {
            #expect(row.meaning.contains(Self.notImplemented), "\(row.code) is in SPEC.md but not in the code")
            #expect(row.severity == "error" || row.severity == "warning", "\(row.code): \(row.severity)")
        }
    }

    /// Folders of committed vectors, and how deep below each a folder must be for a reference
    /// to it to stand for the files it holds: one manifest case (`manifests/good/`) or one
    /// writer's passphrase files may be named as a folder, while each record and key file of
    /// the reader's vectors, and each fixture, must be named by the rule it pins.
    static let vectorFolders = [
        ("Tests/Vectors", 3), ("Tests/SecuredCryptoTests/Vectors", 1), ("Tests/SecuredRecordsTests/Fixtures", 2),
    ]

    /// Every regular, non-hidden file below `folder`, as a path relative to the repository.
    static func files(under folder: String) -> [String] {
        let url = root.appendingPathComponent(folder)
        guard
            let walk = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        return walk.compactMap { item in
            guard let file = item as? URL,
                (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
            else { return nil }
            return folder + "/" + file.path.dropFirst(url.path.count + 1)
        }.sorted()
    }

    @Test func everyVectorFileIsReferenced() throws {
        let spec = try Self.spec()
        var checked = 0
        for (folder, depth) in Self.vectorFolders {
            let files = Self.files(under: folder)
            #expect(!files.isEmpty, "no files under \(folder)")
            for path in files {
                checked += 1
                let parts = path.dropFirst(folder.count + 1).split(separator: "/")
                let folders = (min(depth, parts.count)..<parts.count).map {
                    folder + "/" + parts[..<$0].joined(separator: "/") + "/"
                }
                let named = spec.contains("`\(path)`") || folders.contains { spec.contains("`\($0)`") }
                #expect(named, "SPEC.md does not reference \(path)")
            }
        }
        #expect(checked > 100)
    }

    /// The other way round: every path SPEC.md names exists, so a renamed vector shows up here.
    @Test func everyPathTheSpecNamesExists() throws {
        let spec = try Self.spec()
        let pattern = try NSRegularExpression(pattern: "`((?:Tests|Keys|Sources)/[^`\\s<>*]+)`")
        let range = NSRange(spec.startIndex..., in: spec)
        let paths = pattern.matches(in: spec, range: range).compactMap { Range($0.range(at: 1), in: spec) }
            .map { String(spec[$0]) }
        #expect(paths.count > 50)
        for path in Set(paths) {
            #expect(
                FileManager.default.fileExists(atPath: Self.root.appendingPathComponent(path).path),
                "SPEC.md names \(path), which does not exist")
        }
    }
}
