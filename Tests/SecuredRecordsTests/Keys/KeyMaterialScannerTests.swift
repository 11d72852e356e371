import SecuredCrypto
import SecuredRecords
import Testing

/// The pre-commit hook's search for key material (``KeyMaterialScanner``), fed in chunks of
/// every size: a field cut by the end of a chunk is found all the same.
@Suite("Key material in staged files")
struct KeyMaterialScannerTests {
    static let key = "Uj/n0GwR3V+iJ0aUZ6ZMFltluy2Wo62TTyZ2DUTnD04="

    static let found: [(String, Set<String>)] = [
        ("id: demo\nenc: \(key)\n", ["enc"]),
        ("  - MAC: '\(key)'\n", ["mac"]),
        ("{id: demo, sign: \(key)}", ["sign"]),
        ("{\"enc\":\"\(key)\",\"mac\" : \"\(key)\"}", ["enc", "mac"]),
        ("sign: !!binary \(key)", ["sign"]),
        ("enc:\n  \(key)\n", ["enc"]),
        // Built here, so that this file holds no key-like line itself.
        ("mac: \(String(repeating: "9f86d08188", count: 6))\n", ["mac"]),
        ("\u{FEFF}enc: \(key)", ["enc"]),
    ]

    static let passed = [
        "enc: <base64 of 32 bytes> # AES key\n", "mac: optional\n", "sign: true\n", "enc: AES-256-CBC\n",
        "signature: \"v1;demo;\(key)\"\n", "secured: \"\(key);\(key)\"\n", "macro: \(key)\n", "x_enc: \(key)\n",
        "mac: 00:1A:2B:3C:4D:5E\n", "enc: abcdefghijklmnopqrstuvwxyz\n",
        "enc: \(String(repeating: "Ab1", count: 40))\n",
    ]

    func scan(_ bytes: [UInt8], chunk: Int) -> Set<String> {
        var scanner = KeyMaterialScanner()
        var start = 0
        while start < bytes.count {
            scanner.feed(bytes[start..<min(start + chunk, bytes.count)])
            start += chunk
        }
        scanner.finish()
        return scanner.fields
    }

    @Test func keyLikeFieldsAreFoundInEveryShapeAndChunking() {
        for (text, fields) in Self.found {
            for chunk in [1, 2, 3, 7, 64, 65536] {
                #expect(scan(Array(text.utf8), chunk: chunk) == fields, "\(text) in chunks of \(chunk)")
                var utf16: [UInt8] = [0xFF, 0xFE]
                for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
                #expect(scan(utf16, chunk: chunk) == fields, "UTF-16 \(text) in chunks of \(chunk)")
                var utf32: [UInt8] = [0, 0, 0xFE, 0xFF]
                for s in text.unicodeScalars {
                    utf32 += [24, 16, 8, 0].map { (shift: UInt32) in UInt8(truncatingIfNeeded: s.value >> shift) }
                }
                #expect(scan(utf32, chunk: chunk) == fields, "UTF-32 \(text) in chunks of \(chunk)")
            }
        }
    }

    @Test func textThatOnlyNamesAFieldIsNotKeyMaterial() {
        for text in Self.passed {
            for chunk in [1, 5, 65536] {
                #expect(scan(Array(text.utf8), chunk: chunk).isEmpty, "\(text) in chunks of \(chunk)")
            }
        }
    }

    @Test func aFieldAfterALongLineIsFound() {
        let text = String(repeating: "x", count: 200_000) + " enc: \(Self.key)"
        #expect(scan(Array(text.utf8), chunk: 65536) == ["enc"])
        #expect(KeyMaterialScanner.fields(in: Array(text.utf8)) == ["enc"])
    }
}
