import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// The `secured` value of a seed file, found by its top-level line.
func seedBlob(_ prefix: String) throws -> String? {
    guard let url = TestPaths.seed(prefix) else { return nil }
    let text = try String(contentsOf: url, encoding: .utf8)
    guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("secured: ") }) else { return nil }
    return String(line.dropFirst("secured: ".count).dropFirst().dropLast())
}

@Suite("Blob codec (SPEC section 2)")
struct SealedValueTests {
    @Test("seed blobs parse and re-format identically", arguments: [("000_", 400), ("001_", 400), ("004_", 256)])
    func seeds(prefix: String, ciphertextLength: Int) throws {
        guard let blob = try seedBlob(prefix) else {
            print("note: ../shared/seeds not found; seed \(prefix) skipped")
            return
        }
        let value = try SealedValue(parsing: blob)
        #expect(value.ciphertext.count == ciphertextLength)
        #expect(value.iv.bytes.count == 16)
        #expect(value.serialized == blob)
    }

    @Test func roundTrip() throws {
        var rng = SeededRandom(seed: 42)
        for blocks in 1...20 {
            let v = try SealedValue(ciphertext: rng.bytes(blocks * 16), iv: AESCBC.IV(bytes: rng.bytes(16)))
            #expect(try SealedValue(parsing: v.serialized) == v)
            #expect(v.blockCount == blocks)
        }
    }

    static let iv16 = "AAECAwQFBgcICQoLDA0ODw=="  // 00 01 … 0f
    static let ct32 = Base64.encode([UInt8](repeating: 0x42, count: 32))

    @Test(
        "each defect maps to its SR code",
        arguments: [
            // SR004: not B64;B64 written literally
            ("\(ct32);\(iv16) ", "SR004"),
            ("\(ct32)\(iv16)", "SR004"),
            ("\(ct32);\(iv16);", "SR004"),
            ("\(ct32);\\u0041\(iv16)", "SR004"),
            ("\(ct32) ;\(iv16)", "SR004"),
            ("\(ct32);\(iv16)#", "SR004"),
            ("\(ct32)-_;\(iv16)", "SR004"),
            // SR005: base64 characters, but not canonical
            ("\(ct32);AAECAwQFBgcICQoLDA0ODw", "SR005"),  // padding missing
            ("\(ct32);AAECAwQFBgcICQoLDA0ODx==", "SR005"),  // trailing bits set
            ("\(ct32);AAECAwQFBgcICQoLDA0OD===", "SR005"),
            ("QkJC=kJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=;\(iv16)", "SR005"),
            // SR006: IV not 16 bytes
            ("\(ct32);AAECAwQFBgcICQoL", "SR006"),
            ("\(ct32);", "SR006"),
            // SR007: ciphertext empty or not whole blocks
            (";\(iv16)", "SR007"),
            ("\(Base64.encode([UInt8](repeating: 1, count: 20)));\(iv16)", "SR007"),
        ])
    func defectCodes(blob: String, code: String) {
        let defects = SealedValue.defects(in: blob)
        #expect(defects.first?.code == code, "\(blob): \(defects)")
        #expect(throws: SealedValueError.self) { try SealedValue(parsing: blob) }
    }

    @Test func messagesSayWhichPartAndHow() {
        let d = SealedValue.defects(in: "\(Self.ct32);AAECAwQFBgcICQoL")
        #expect(d.map(\.description) == ["IV part decodes to 12 bytes, expected 16"])
        let both = SealedValue.defects(in: "QkJC;AAECAwQFBgcICQoL")
        #expect(both.map(\.code) == ["SR006", "SR007"])
        let nc = SealedValue.defects(in: "\(Self.ct32);AAECAwQFBgcICQoLDA0ODx==")
        #expect(
            nc.first?.description == "IV part of 'secured' is not canonical base64: unused trailing bits are not zero")
    }

    @Test func base64AgreesWithFoundation() throws {
        var rng = SeededRandom(seed: 3)
        for n in 0..<200 {
            let bytes = rng.bytes(n)
            let ours = Base64.encode(bytes)
            #expect(ours == Data(bytes).base64EncodedString(), "length \(n)")
            #expect(try Base64.decode(ours) == bytes)
        }
    }
}
