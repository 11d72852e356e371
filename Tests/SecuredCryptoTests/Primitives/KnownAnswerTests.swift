import Foundation
import SecuredCrypto
import TestSupport
import Testing

private let vectorsDir = TestPaths.repositoryRoot.appendingPathComponent("Tests/SecuredCryptoTests/Vectors")

struct NISTVector: CustomTestStringConvertible, Sendable {
    var name, key, iv, plaintext, ciphertext: String
    var testDescription: String { name }

    static func all() throws -> [NISTVector] {
        try loadKeyValueVectors(vectorsDir.appendingPathComponent("nist-sp800-38a-cbc.txt")).map {
            NISTVector(
                name: $0["name"]!, key: $0["key"]!, iv: $0["iv"]!, plaintext: $0["plaintext"]!,
                ciphertext: $0["ciphertext"]!)
        }
    }
}

struct RFCVector: CustomTestStringConvertible, Sendable {
    var name, key, data, mac: String
    var testDescription: String { name }

    static func all() throws -> [RFCVector] {
        try loadKeyValueVectors(vectorsDir.appendingPathComponent("rfc4231-hmac-sha256.txt")).map {
            RFCVector(name: $0["name"]!, key: $0["key"]!, data: $0["data"]!, mac: $0["mac"]!)
        }
    }
}

@Suite("Known answers: NIST SP 800-38A F.2 and RFC 4231")
struct KnownAnswerTests {
    @Test func vectorFilesHoldEveryCase() throws {
        #expect(try NISTVector.all().count == 3)  // F.2.1-F.2.6: encrypt and decrypt of three keys
        #expect(try RFCVector.all().count == 7)
    }

    @Test("CBC-AES encrypt (F.2.1, F.2.3, F.2.5)", arguments: try NISTVector.all())
    func nistEncrypt(_ v: NISTVector) throws {
        let key = SymmetricKey(bytes: hexBytes(v.key))
        let iv = try AESCBC.IV(bytes: hexBytes(v.iv))
        let ct = try AESCBC.encrypt(hexBytes(v.plaintext), using: key, iv: iv, padding: false)
        #expect(hexString(ct) == v.ciphertext, "\(v.name)")
    }

    @Test("CBC-AES decrypt (F.2.2, F.2.4, F.2.6)", arguments: try NISTVector.all())
    func nistDecrypt(_ v: NISTVector) throws {
        let key = SymmetricKey(bytes: hexBytes(v.key))
        let iv = try AESCBC.IV(bytes: hexBytes(v.iv))
        let pt = try AESCBC.decrypt(hexBytes(v.ciphertext), using: key, iv: iv, padding: false)
        #expect(hexString(pt) == v.plaintext, "\(v.name)")
    }

    @Test("HMAC-SHA256 (RFC 4231 test cases 1-7)", arguments: try RFCVector.all())
    func rfc4231(_ v: RFCVector) throws {
        let key = SymmetricKey(bytes: hexBytes(v.key))
        let tag = HMACSHA256.authenticationCode(for: hexBytes(v.data), using: key)
        let expected = hexBytes(v.mac)
        // Test case 5 gives only the leftmost 128 bits.
        #expect(Array(tag.prefix(expected.count)) == expected, "\(v.name)")
        if expected.count == HMACSHA256.byteCount {
            #expect(HMACSHA256.isValidAuthenticationCode(expected, authenticating: hexBytes(v.data), using: key))
        }
    }

    @Test("HMAC-SHA256 with a prepared key (RFC 4231), reused and fed in pieces", arguments: try RFCVector.all())
    func rfc4231Prepared(_ v: RFCVector) throws {
        let prepared = HMACSHA256.PreparedKey(SymmetricKey(bytes: hexBytes(v.key)))
        let data = hexBytes(v.data)
        let expected = hexBytes(v.mac)
        // The same context is reset for each message: three in a row, split differently.
        for split in [0, data.count / 2, data.count] {
            let tag = prepared.authenticationCode { feed in
                data[..<split].withUnsafeBytes { feed($0) }
                data[split...].withUnsafeBytes { feed($0) }
            }
            #expect(Array(tag.prefix(expected.count)) == expected, "\(v.name), split at \(split)")
        }
    }

    @Test func unpaddedEncryptRejectsPartialBlocks() {
        let key = SymmetricKey(bytes: [UInt8](repeating: 1, count: 32))
        #expect(throws: CryptoError.invalidInputLength(15)) {
            try AESCBC.encrypt(
                [UInt8](repeating: 0, count: 15), using: key, iv: AESCBC.IV(bytes: [UInt8](repeating: 0, count: 16)),
                padding: false)
        }
    }

    @Test func sha256KnownAnswer() throws {
        // FIPS 180-2 appendix B.1: SHA-256("abc").
        #expect(
            hexString(SHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }
}
