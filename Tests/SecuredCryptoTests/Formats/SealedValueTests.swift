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
    @Test(
        "seed blobs parse and re-format identically",
        .enabled(if: TestPaths.seed("000_") != nil, "../shared/seeds is not beside the repository"),
        arguments: [("000_", 400), ("001_", 400), ("004_", 256)])
    func seeds(prefix: String, ciphertextLength: Int) throws {
        let blob = try #require(try seedBlob(prefix), "seed \(prefix) has a secured line")
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
        "each defect is classified (the record layer maps each kind to one SR code)",
        arguments: [
            // not B64;B64 written literally (SR004 in a record)
            ("\(ct32);\(iv16) ", "notLiteral"),
            ("\(ct32)\(iv16)", "notLiteral"),
            ("\(ct32);\(iv16);", "notLiteral"),
            ("\(ct32);\\u0041\(iv16)", "notLiteral"),
            ("\(ct32) ;\(iv16)", "notLiteral"),
            ("\(ct32);\(iv16)#", "notLiteral"),
            ("\(ct32)-_;\(iv16)", "notLiteral"),
            // base64 characters, but not canonical (SR005)
            ("\(ct32);AAECAwQFBgcICQoLDA0ODw", "nonCanonicalBase64"),  // padding missing
            ("\(ct32);AAECAwQFBgcICQoLDA0ODx==", "nonCanonicalBase64"),  // trailing bits set
            ("\(ct32);AAECAwQFBgcICQoLDA0OD===", "nonCanonicalBase64"),
            ("QkJC=kJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=;\(iv16)", "nonCanonicalBase64"),
            // IV not 16 bytes (SR006)
            ("\(ct32);AAECAwQFBgcICQoL", "invalidIVLength"),
            ("\(ct32);", "invalidIVLength"),
            // ciphertext empty or not whole blocks (SR007)
            (";\(iv16)", "invalidCiphertextLength"),
            ("\(Base64.encode([UInt8](repeating: 1, count: 20)));\(iv16)", "invalidCiphertextLength"),
        ])
    func defectCodes(blob: String, code: String) {
        let defects = SealedValue.defects(in: blob)
        #expect(defects.first.map(kind) == code, "\(blob): \(defects)")
        #expect(throws: SealedValueError.self) { try SealedValue(parsing: blob) }
    }

    @Test func messagesSayWhichPartAndHow() {
        let d = SealedValue.defects(in: "\(Self.ct32);AAECAwQFBgcICQoL")
        #expect(d.map(\.description) == ["IV part decodes to 12 bytes, expected 16"])
        let both = SealedValue.defects(in: "QkJC;AAECAwQFBgcICQoL")
        #expect(both.map(kind) == ["invalidIVLength", "invalidCiphertextLength"])
        let nc = SealedValue.defects(in: "\(Self.ct32);AAECAwQFBgcICQoLDA0ODx==")
        #expect(
            nc.first?.description == "IV part is not canonical base64: unused trailing bits are not zero")
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

/// The case of a defect, by name (the record layer maps cases to SR codes).
private func kind(_ defect: SealedValueError) -> String {
    switch defect {
    case .notLiteral: return "notLiteral"
    case .nonCanonicalBase64: return "nonCanonicalBase64"
    case .invalidIVLength: return "invalidIVLength"
    case .invalidCiphertextLength: return "invalidCiphertextLength"
    }
}
