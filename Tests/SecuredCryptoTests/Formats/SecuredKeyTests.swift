import Foundation
import SecuredCrypto
import TestSupport
import Testing

@Suite("Key files (SPEC section 3)")
struct SecuredKeyTests {
    static let enc = Base64.encode([UInt8](0..<32))
    static let mac = Base64.encode([UInt8](32..<64))

    @Test func parsesAndFingerprintsLikePython() throws {
        let text =
            "# a comment\nid: demo   # the id\nenc: \"\(Self.enc)\"\nmac: '\(Self.mac)'\ncreated: 2026-11-21T00:00:00Z\n"
        let key = try SecuredKey(parsing: text, source: "k.key")
        #expect(key.id == "demo")
        #expect(key.encryptionKey.byteCount == 32)
        #expect(key.authenticationKey?.byteCount == 32)
        #expect(key.created == "2026-11-21T00:00:00Z")
        let script = """
            import hashlib
            print(hashlib.sha256(b"secured-key-v1\\n" + bytes(range(32)) + bytes(range(32, 64))).hexdigest()[:16])
            """
        let r = try runProcess("python3", ["-c", script])
        #expect(key.fingerprint == r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect("\(key)" == "key demo (fingerprint \(key.fingerprint))")
    }

    @Test func legacyKeyWithoutMac() throws {
        let key = try SecuredKey(parsing: "id: old\nenc: \(Base64.encode([UInt8](repeating: 9, count: 16)))\n")
        #expect(key.authenticationKey == nil)
        #expect(key.encryptionKey.bitCount == 128)
    }

    @Test(
        "bad key files are rejected with line and field",
        arguments: [
            ("enc: \(enc)\n", nil as Int?, "id" as String?),
            ("id: a b\nenc: \(enc)\n", 1, "id"),
            ("id: \(String(repeating: "x", count: 65))\nenc: \(enc)\n", 1, "id"),
            ("id: k\n", nil, "enc"),
            ("id: k\nenc: \(Base64.encode([UInt8](repeating: 1, count: 20)))\n", 2, "enc"),
            ("id: k\nenc: \(enc)\nmac: \(Base64.encode([UInt8](repeating: 1, count: 16)))\n", 3, "mac"),
            ("id: k\nenc: \(enc)\nmac: \(enc)\n", 3, "mac"),
            ("id: k\nenc: \(enc)x\n", 2, "enc"),
            ("id: k\nenc: \(enc)\nextra: 1\n", 3, nil),  // an unknown name may be key text: not quoted
            ("id: k\nid: j\nenc: \(enc)\n", 2, "id"),
            ("id: k\nenc: \"\(enc)\\n\"\n", 2, "enc"),
            ("id: k\n  enc: \(enc)\n", 2, nil),
        ])
    func rejects(text: String, line: Int?, field: String?) {
        do {
            _ = try SecuredKey(parsing: text, source: "bad.key")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.description.hasPrefix("bad.key"))
            #expect(!error.description.contains(Self.enc))
        }
    }

    @Test func generatedKeysRoundTripThroughTheirFile() throws {
        let key = try SecuredKey.generate(id: "ci-2026", created: "2026-11-21T00:00:00Z")
        let text = key.keyFileText(comment: ["secret"])
        let back = try SecuredKey(parsing: text)
        #expect(back.fingerprint == key.fingerprint)
        #expect(back.id == "ci-2026")
        #expect(!"\(key)".contains(key.encryptionKey.withUnsafeBytes { Base64.encode($0) }))
    }

    @Test func demoKeyInRepositoryParses() throws {
        let url = TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.key")
        let key = try SecuredKey(parsing: String(contentsOf: url, encoding: .utf8), source: url.path)
        #expect(key.id == "demo")
        #expect(key.encryptionKey.byteCount == 32)
        #expect(key.authenticationKey != nil)
        #expect(try String(contentsOf: url, encoding: .utf8).contains("PUBLIC"))
    }
}
