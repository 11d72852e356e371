import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport

enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Fixtures")
    static let interop = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop")

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: directory.appendingPathComponent("records/\(name)")))
    }

    static let recordNames = [
        "nested.md", "plain.md", "no-final-newline.md", "closing-at-eof.md", "sealed-lines-elsewhere.md",
    ]

    /// Seed 000's front matter without its `secured` line, with `body` under it.
    static func seedRecord(body: [UInt8]) throws -> [UInt8]? {
        guard let url = TestPaths.seed("000_") else { return nil }
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let closing = lines.dropFirst().firstIndex(of: "---") else { return nil }
        let front = lines[..<closing].filter { !$0.hasPrefix("secured:") }.joined(separator: "\n")
        return Array((front + "\n---\n").utf8) + body
    }
}

func toCRLF(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for b in bytes {
        if b == 0x0A { out.append(0x0D) }
        out.append(b)
    }
    return out
}

func withBOM(_ bytes: [UInt8]) -> [UInt8] { [0xEF, 0xBB, 0xBF] + bytes }

func record(_ text: String, file: String = "t.md") throws(RecordError) -> Record {
    try Record(parsing: Array(text.utf8), file: file)
}

func ring(_ keys: SecuredKey...) throws -> KeyRing { try KeyRing(keys) }

func newKey(_ id: String = "test") throws -> SecuredKey { try SecuredKey.generate(id: id) }

/// Writes a key file (0600) into `dir` and returns its path.
func writeKeyFile(_ key: SecuredKey, in dir: URL) throws -> String {
    let path = dir.appendingPathComponent("\(key.id).key").path
    try AtomicFileWriter.create(at: path, with: Array(key.keyFileText().utf8), mode: 0o600)
    return path
}

/// Lines that differ between two byte strings split on LF (for "changes exactly one line").
func changedLines(_ a: [UInt8], _ b: [UInt8]) -> (removed: [String], added: [String]) {
    // Split bytes on LF (a String would treat CRLF as one Character and never split it).
    let la = a.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let lb = b.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    let diff = lb.difference(from: la)
    var removed: [String] = []
    var added: [String] = []
    for change in diff {
        switch change {
        case .remove(_, let e, _): removed.append(e)
        case .insert(_, let e, _): added.append(e)
        }
    }
    return (removed, added)
}
