import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@Suite("Lossless editing")
struct LosslessEditingTests {
    static var variants: [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        for name in Fixtures.recordNames {
            // A fixture that cannot be read is a broken checkout: fail loudly, never skip.
            let bytes = (try? Fixtures.bytes(name)) ?? Array("unreadable fixture \(name)".utf8)
            out.append((name, bytes))
            out.append((name + " (CRLF)", toCRLF(bytes)))
            out.append((name + " (BOM)", withBOM(bytes)))
        }
        return out
    }

    @Test func parsingKeepsEveryByte() throws {
        for (name, bytes) in Self.variants {
            #expect(try Record(parsing: bytes, file: name).bytes == bytes, "\(name)")
        }
    }

    @Test func signChangesExactlyOneLineAndRemovingItRestores() throws {
        let key = try newKey()
        for (name, bytes) in Self.variants {
            let r = try Record(parsing: bytes, file: name)
            let signed = try RecordSigner.sign(r, with: key)
            let diff = changedLines(bytes, signed.bytes)
            #expect(diff.removed.isEmpty, "\(name)")
            #expect(diff.added.count == 1, "\(name)")
            #expect(diff.added.first?.hasPrefix("signature: \"ed25519;test;") == true, "\(name)")
            #expect(try RecordSigner.verify(signed, keys: ring(key)).get() == .valid(keyID: "test"), "\(name)")
            // Re-signing replaces in place: identical bytes.
            #expect(try RecordSigner.sign(signed, with: key).bytes == signed.bytes, "\(name)")
            let removed = try signed.removingTopLevelLine(signed.signatureLine!)
            #expect(removed.bytes == bytes, "\(name)")
        }
    }

    @Test func signatureIsPlacedAfterSecuredOrBeforeClosing() throws {
        let key = try newKey()
        let withSecured = try RecordSigner.sign(record("---\na: 1\nsecured: \"x\"\nb: 2\n---\n"), with: key)
        #expect(withSecured.topLevelLines.map(\.key) == ["a", "secured", "signature", "b"])
        let without = try RecordSigner.sign(record("---\na: 1\nb: 2\n---\n"), with: key)
        #expect(without.topLevelLines.map(\.key) == ["a", "b", "signature"])
        let crlf = try RecordSigner.sign(Record(parsing: toCRLF(Array("---\na: 1\n---\n".utf8)), file: "c"), with: key)
        #expect(String(decoding: crlf.bytes, as: UTF8.self).contains("\"\r\n---\r\n"))
    }
}
