import Foundation
import SecuredCrypto
import TestSupport
import Testing

@testable import SecuredRecords

/// The reader conformance vectors (`Tests/Vectors/reader/cases.json`, SPEC 1.2 section 9)
/// through the Swift library: the same cases the JavaScript reader runs, with the same
/// expected outcomes: a failure's code, and the line and field it blames (`null` when it
/// blames none). The vectors are committed; nothing here regenerates them.
struct ReaderVectorTests {
    struct Expectation: Decodable, Sendable {
        var code: String?
        var line: Int?
        var field: String?
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

    /// A failure: its code, and the 1-based line and the field it blames, when it blames one.
    struct Failure: Error, Equatable, CustomStringConvertible {
        var code: String
        var line: Int?
        var field: String?

        init(_ code: String, line: Int? = nil, field: String? = nil) {
            self.code = code
            self.line = line
            self.field = field
        }

        init(_ error: RecordError) { self.init(error.code.rawValue, line: error.line, field: error.field) }

        var description: String { "\(code) line \(line.map(String.init) ?? "null") field \(field ?? "null")" }
    }

    /// What a reader returns: content, or one failure.
    enum Outcome: Equatable {
        case opened(sha256: String, text: String?, keyID: String, signature: String?, warnings: [String])
        case failed(Failure)
    }

    static func path(_ relative: String) -> String { directory.appendingPathComponent(relative).path }

    /// The case's keys, or the failure (code KEY) of the key file the library refuses.
    static func loadRing(_ c: Case) -> Result<KeyRing, Failure> {
        do {
            // An empty environment: SECURED_KEY must not stand in for "no key given".
            return .success(try KeyRing.load(paths: c.keys.map(path), environment: [:]).ring)
        } catch {
            return .failure(Failure("KEY", line: error.line, field: error.field))
        }
    }

    static func ring(_ c: Case) -> KeyRing? { try? loadRing(c).get() }

    /// SPEC section 9's form checks that the library makes elsewhere (the YAML check, signing),
    /// blaming the lines the library blames there.
    static func lineRules(_ record: Record) -> Failure? {
        let secured = record.topLevelLines(forKey: "secured")
        if secured.count > 1 { return Failure("SR002", line: secured[1].line.number, field: "secured") }
        if let line = record.securedLine, record.continuationLine(after: line) != nil {
            return Failure("SR004", line: line.line.number, field: "secured")
        }
        if let line = record.signatureLine, record.continuationLine(after: line) != nil {
            return Failure("SR009", line: line.line.number, field: "signature")
        }
        return nil
    }

    /// SPEC section 9 in its order, with the library's pieces: form, signature, decryption.
    static func read(_ c: Case) throws -> Outcome {
        let ring: KeyRing
        switch loadRing(c) {
        case .success(let loaded): ring = loaded
        case .failure(let failure): return .failed(failure)
        }
        let name = c.record ?? ""
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        do {
            let record = try Record(parsing: bytes, file: name)
            if let failure = lineRules(record) { return .failed(failure) }
            let blob = try record.blob()
            let check = try RecordSigner.verify(record, keys: ring).get()
            let kind = try RecordSigner.signature(of: record).get()?.value.algorithm
            // As RecordSealer.open blames them: SR008 on the `secured` line, field `signature`;
            // a record that verifies but that no key given decrypts on the `secured` line.
            let securedLine = record.securedLine?.line.number
            switch check {
            case .notChecked:  // no key at all: none could verify it
                return .failed(Failure("SR010", line: record.signatureLine?.line.number, field: "signature"))
            case .unsigned:
                if c.allowUnsigned != true { return .failed(Failure("SR008", line: securedLine, field: "signature")) }
                if ring.keys.isEmpty {
                    return .failed(Failure("NO_DECRYPTION_KEY", line: securedLine, field: "secured"))
                }
            case .valid(let id):
                if ring.key(id: id) == nil {
                    return .failed(Failure("NO_DECRYPTION_KEY", line: securedLine, field: "secured"))
                }
            }
            let opened = try Decryption.open(blob, after: check, keys: ring, file: name, line: securedLine).get()
            let text = opened.isUTF8 ? String(decoding: opened.content, as: UTF8.self) : nil
            return .opened(
                sha256: Hex.encode(SHA256.hash(opened.content)), text: text, keyID: opened.keyID,
                signature: kind.map { $0 == .ed25519 ? "ed25519" : "v1" }, warnings: opened.isUTF8 ? [] : ["SR013"])
        } catch {
            return .failed(Failure(error))
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

    @Test("every failing vector pins the line and the field it blames (null when none)")
    func failuresPinLineAndField() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("cases.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cases = try #require(root["cases"] as? [[String: Any]])
        for c in cases {
            guard let expect = c["expect"] as? [String: Any], expect["code"] != nil else { continue }
            #expect(expect.keys.contains("line") && expect.keys.contains("field"), "\(c["id"] ?? "?")")
        }
    }

    @Test("record vectors", arguments: cases.filter { $0.kind == "record" })
    func record(_ c: Case) throws {
        let outcome = try Self.read(c)
        if let code = c.expect.code {
            let expected = Failure(code, line: c.expect.line, field: c.expect.field)
            #expect(outcome == .failed(expected), "\(c.id)")
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
            // The line and field the library blames; with no key at all it has no finding, and
            // the vector pins what the JavaScript reader blames (as for keys that cannot verify).
            if let finding = findings.first(where: { $0.code.rawValue == code }) {
                let blamed = Failure(finding)
                #expect(blamed == Failure(code, line: c.expect.line, field: c.expect.field), "\(c.id)")
            }
        } else {
            #expect(first == nil, "\(c.id): \(findings)")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let entries = text.split(separator: "\n").filter { !$0.hasPrefix("# signature:") }
            #expect(entries.count == c.expect.entries, "\(c.id)")
        }
    }
}
