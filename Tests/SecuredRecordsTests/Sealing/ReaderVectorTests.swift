import Foundation
import SecuredCrypto
import TestSupport
import Testing

@testable import SecuredRecords

/// The reader conformance vectors (`Tests/Vectors/reader/cases.json`, SPEC 1.2 section 9)
/// through the Swift library: the same cases the JavaScript reader runs, with the same
/// expected outcomes. The vectors are committed; nothing here regenerates them.
struct ReaderVectorTests {
    struct Expectation: Decodable, Sendable {
        var code: String?
        var sha256: String?
        var text: String??
        var keyId: String?
        var signature: String?
        var warnings: [String]?
        var entries: Int?
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var id: String
        var kind: String
        var record: String?
        var manifest: String?
        var minisig: String?
        var records: [String]?
        var keys: [String]
        var allowUnsigned: Bool?
        var expect: Expectation

        var testDescription: String { id }
    }

    static let directory = ReaderVectors.directory
    static let cases: [Case] = ReaderVectors.cases("cases.json")

    /// What a reader returns: content, or one code.
    enum Outcome: Equatable {
        case opened(sha256: String, text: String?, keyID: String, signature: String?, warnings: [String])
        case failed(String)
    }

    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    static func ring(_ c: Case) -> KeyRing? {
        // An empty environment: SECURED_KEY must not stand in for "no key given".
        try? KeyRing.load(paths: c.keys.map(path), environment: [:]).ring
    }

    /// SPEC section 9 in its order, with the library's pieces: form, signature, decryption.
    static func read(_ c: Case) throws -> Outcome {
        guard let ring = ring(c) else { return .failed("KEY") }
        let name = c.record ?? ""
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        do {
            let record = try Record(parsing: bytes, file: name)
            if record.topLevelLines(forKey: "secured").count > 1 { return .failed("SR002") }
            if let line = record.securedLine, record.continuationLine(after: line) != nil { return .failed("SR004") }
            if let line = record.signatureLine, record.continuationLine(after: line) != nil { return .failed("SR009") }
            let blob = try record.blob()
            let check = try RecordSigner.verify(record, keys: ring).get()
            let kind = try RecordSigner.signature(of: record).get()?.value.algorithm
            switch check {
            case .notChecked: return .failed("SR010")  // no key at all: none could verify it
            case .unsigned:
                if c.allowUnsigned != true { return .failed("SR008") }
                if ring.keys.isEmpty { return .failed("NO_DECRYPTION_KEY") }
            case .valid(let id):
                if ring.key(id: id) == nil { return .failed("NO_DECRYPTION_KEY") }
            }
            let opened = try Decryption.open(blob, after: check, keys: ring, file: name, line: nil).get()
            let text = opened.isUTF8 ? String(decoding: opened.content, as: UTF8.self) : nil
            return .opened(
                sha256: Hex.encode(SHA256.hash(opened.content)), text: text, keyID: opened.keyID,
                signature: kind.map { $0 == .ed25519 ? "ed25519" : "v1" }, warnings: opened.isUTF8 ? [] : ["SR013"])
        } catch {
            return .failed(error.code.rawValue)
        }
    }

    @Test("the vectors are there")
    func vectorsPresent() {
        #expect(Self.cases.count >= 60, "Tests/Vectors/reader/cases.json missing or short")
        let codes = Set(Self.cases.compactMap(\.expect.code))
        for n in [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 17, 18, 19] {
            #expect(codes.contains(String(format: "SR%03d", n)), "no vector for SR\(n)")
        }
        #expect(codes.isSuperset(of: ["NO_DECRYPTION_KEY", "KEY"]))
    }

    @Test("record vectors", arguments: cases.filter { $0.kind == "record" })
    func record(_ c: Case) throws {
        let outcome = try Self.read(c)
        if let code = c.expect.code {
            #expect(outcome == .failed(code), "\(c.id)")
            return
        }
        let expected = Outcome.opened(
            sha256: c.expect.sha256 ?? "", text: c.expect.text ?? nil, keyID: c.expect.keyId ?? "",
            signature: c.expect.signature, warnings: c.expect.warnings ?? [])
        #expect(outcome == expected, "\(c.id)")
        // The tool's own open (YAML checks included) agrees on the content.
        guard let ring = Self.ring(c) else { return }
        let bytes = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(c.record ?? "")))
        let record = try Record(parsing: bytes, file: c.id)
        let opened = try RecordSealer.open(record, keys: ring, requireSignature: c.allowUnsigned != true)
        #expect(Hex.encode(SHA256.hash(opened.content)) == c.expect.sha256, "\(c.id): RecordSealer.open")
    }

    @Test("manifest vectors", arguments: cases.filter { $0.kind == "manifest" })
    func manifest(_ c: Case) throws {
        guard let ring = Self.ring(c), let manifest = c.manifest else {
            #expect(c.expect.code == "KEY", "\(c.id)")
            return
        }
        let path = Self.path(manifest)
        let root = (path as NSString).deletingLastPathComponent
        let (findings, _, _) = Manifest.check(manifest: path, root: root, keys: ring)
        let codes = findings.map(\.code.rawValue)
        // A reader checks the signatures first, and never trusts a manifest it could not verify
        // (the tool, given no key at all, only notes that the signatures were not checked).
        let first = codes.contains("SR019") ? "SR019" : codes.first ?? (ring.isEmpty ? "SR019" : nil)
        if let code = c.expect.code {
            #expect(first == code, "\(c.id): \(findings)")
        } else {
            #expect(first == nil, "\(c.id): \(findings)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let entries = text.split(separator: "\n").filter { !$0.hasPrefix("# signature:") }
            #expect(entries.count == c.expect.entries, "\(c.id)")
        }
    }
}
