import SecuredCrypto
import TestSupport
import Testing

@Suite("Round trips and tamper detection")
struct RoundTripTests {
    @Test("decrypt(encrypt(m)) == m for lengths 0...1024", arguments: SymmetricKeySize.allCases)
    func roundTripAllLengths(size: SymmetricKeySize) throws {
        let seed: UInt64 = 0x5EC0_0ED1
        var rng = SeededRandom(seed: seed)
        let key = try SymmetricKey(size: size)
        for length in 0...1024 {
            let message = rng.bytes(length)
            let iv = try AESCBC.IV()
            let ct = try AESCBC.encrypt(message, using: key, iv: iv)
            #expect(ct.count == (length / 16 + 1) * 16, "length \(length), seed \(seed)")
            let pt = try AESCBC.decrypt(ct, using: key, iv: iv)
            #expect(pt == message, "length \(length), seed \(seed)")
        }
    }

    @Test("every bit flip of the last ciphertext block, the IV or the tag is caught")
    func bitFlipsAreCaught() throws {
        // Encrypt-then-MAC, as records do: the tag covers IV and ciphertext.
        let encKey = try SymmetricKey(size: .bits256)
        let macKey = try SymmetricKey(size: .bits256)
        for length in [0, 15, 16, 17, 100] {
            let message = Array(repeating: UInt8(ascii: "x"), count: length)
            let iv = try AESCBC.IV()
            let ct = try AESCBC.encrypt(message, using: encKey, iv: iv)
            let tag = HMACSHA256.authenticationCode(for: iv.bytes + ct, using: macKey)
            func accepted(_ iv: [UInt8], _ ct: [UInt8], _ tag: [UInt8]) throws -> Bool {
                HMACSHA256.isValidAuthenticationCode(tag, authenticating: iv + ct, using: macKey)
            }
            #expect(try accepted(iv.bytes, ct, tag))
            for byte in (ct.count - 16)..<ct.count {
                for bit in 0..<8 {
                    var bad = ct
                    bad[byte] ^= 1 << bit
                    #expect(try !accepted(iv.bytes, bad, tag), "ciphertext byte \(byte) bit \(bit), length \(length)")
                    // Without the MAC, the padding check alone must never give back the
                    // original message from a damaged ciphertext.
                    if let pt = try? AESCBC.decrypt(bad, using: encKey, iv: iv) {
                        #expect(pt != message)
                    }
                }
            }
            for byte in 0..<16 {
                for bit in 0..<8 {
                    var badIV = iv.bytes
                    badIV[byte] ^= 1 << bit
                    #expect(try !accepted(badIV, ct, tag), "IV byte \(byte) bit \(bit)")
                }
            }
            for byte in 0..<tag.count {
                for bit in 0..<8 {
                    var badTag = tag
                    badTag[byte] ^= 1 << bit
                    #expect(try !accepted(iv.bytes, ct, badTag), "tag byte \(byte) bit \(bit)")
                }
            }
        }
    }

    @Test func wrongKeyNeverReturnsTheMessage() throws {
        let key = try SymmetricKey(size: .bits256)
        let iv = try AESCBC.IV()
        let message = Array("a message long enough to span blocks".utf8)
        let ct = try AESCBC.encrypt(message, using: key, iv: iv)
        for _ in 0..<200 {
            let other = try SymmetricKey(size: .bits256)
            if let pt = try? AESCBC.decrypt(ct, using: other, iv: iv) { #expect(pt != message) }
        }
    }

    @Test func decryptRejectsEmptyAndPartialCiphertexts() throws {
        let key = try SymmetricKey(size: .bits256)
        let iv = try AESCBC.IV()
        #expect(throws: CryptoError.invalidInputLength(0)) { try AESCBC.decrypt([UInt8](), using: key, iv: iv) }
        #expect(throws: CryptoError.invalidInputLength(17)) {
            try AESCBC.decrypt([UInt8](repeating: 0, count: 17), using: key, iv: iv)
        }
    }

    @Test func invalidKeySizesAreRejected() throws {
        let iv = try AESCBC.IV()
        for size in [0, 1, 15, 17, 31, 33, 64] {
            #expect(throws: CryptoError.invalidKeySize(size)) {
                try AESCBC.encrypt([1, 2, 3], using: SymmetricKey(bytes: [UInt8](repeating: 7, count: size)), iv: iv)
            }
        }
        #expect(throws: CryptoError.invalidIVSize(12)) { try AESCBC.IV(bytes: [UInt8](repeating: 0, count: 12)) }
    }

    @Test func randomIVsAndKeysDiffer() throws {
        var seen = Set<[UInt8]>()
        for _ in 0..<10_000 { seen.insert(try AESCBC.IV().bytes) }
        #expect(seen.count == 10_000)
        #expect(seen.allSatisfy { $0.count == 16 })
        #expect(!seen.contains([UInt8](repeating: 0, count: 16)))
        let a = try SymmetricKey(size: .bits256)
        let b = try SymmetricKey(size: .bits256)
        #expect(!a.hasSameBytes(as: b))
        #expect(a.hasSameBytes(as: a))
    }

    @Test func keyDescriptionsHideBytes() throws {
        let key = SymmetricKey(bytes: [UInt8](repeating: 0xAB, count: 32))
        #expect("\(key)" == "SymmetricKey(256 bits)")
        #expect(!String(reflecting: key).lowercased().contains("abab"))
    }

    @Test func streamingHMACMatchesOneShot() throws {
        let key = try SymmetricKey(size: .bits256)
        var rng = SeededRandom(seed: 7)
        let data = rng.bytes(5000)
        var h = HMACSHA256(key: key)
        h.update(data[..<1234])
        h.update(data[1234...])
        #expect(h.finalize() == HMACSHA256.authenticationCode(for: data, using: key))
    }
}
