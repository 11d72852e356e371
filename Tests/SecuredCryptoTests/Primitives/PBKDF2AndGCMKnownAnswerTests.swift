import Foundation
import SecuredCrypto
import TestSupport
import Testing

private let vectorsDir = TestPaths.repositoryRoot.appendingPathComponent("Tests/SecuredCryptoTests/Vectors")

struct PBKDF2Vector: CustomTestStringConvertible, Sendable {
    var name, password, salt, dk: String
    var iterations: Int
    var testDescription: String { name }

    static func all() throws -> [PBKDF2Vector] {
        try loadKeyValueVectors(vectorsDir.appendingPathComponent("rfc7914-pbkdf2-sha256.txt")).map {
            PBKDF2Vector(
                name: $0["name"]!, password: $0["password"]!, salt: $0["salt"]!, dk: $0["dk"]!,
                iterations: Int($0["iterations"]!)!)
        }
    }
}

/// Wycheproof AES-GCM cases of the groups this project uses: 256-bit keys, 96-bit nonces,
/// 128-bit tags.
struct GCMCase: CustomTestStringConvertible, Sendable {
    var tcId: Int
    var comment: String
    var key, iv, aad, msg, ct, tag, result: String
    var testDescription: String { "tcId \(tcId) (\(comment))" }

    static let file = "wycheproof-aes_gcm_test.json"

    static func all() -> [GCMCase] {
        guard let dir = TestPaths.shared?.appendingPathComponent("vectors"),
            let data = try? Data(contentsOf: dir.appendingPathComponent(file)),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let groups = json["testGroups"] as? [[String: Any]]
        else {
            print("note: ../shared/vectors/\(file) not found; Wycheproof AES-GCM cases skipped")
            return []
        }
        var cases: [GCMCase] = []
        for group in groups
        where group["keySize"] as? Int == 256 && group["ivSize"] as? Int == 96 && group["tagSize"] as? Int == 128 {
            for t in group["tests"] as? [[String: Any]] ?? [] {
                func s(_ k: String) -> String { t[k] as? String ?? "" }
                cases.append(
                    GCMCase(
                        tcId: t["tcId"] as! Int, comment: s("comment"), key: s("key"), iv: s("iv"), aad: s("aad"),
                        msg: s("msg"), ct: s("ct"), tag: s("tag"), result: s("result")))
            }
        }
        return cases
    }
}

private let gcmCases = GCMCase.all()

@Suite("Known answers: PBKDF2-HMAC-SHA256 (RFC 7914) and AES-256-GCM (Wycheproof)")
struct PBKDF2AndGCMKnownAnswerTests {
    @Test func vectorFileHoldsBothCases() throws {
        #expect(try PBKDF2Vector.all().count == 2)
    }

    @Test("PBKDF2-HMAC-SHA256 (RFC 7914 section 11)", arguments: try PBKDF2Vector.all())
    func rfc7914(_ v: PBKDF2Vector) throws {
        let dk = try Array(v.password.utf8).withUnsafeBytes {
            try PBKDF2SHA256.deriveKey(
                password: $0, salt: Array(v.salt.utf8), iterations: v.iterations, count: hexBytes(v.dk).count)
        }
        #expect(dk.withUnsafeBytes { hexString($0) } == v.dk, "\(v.name)")
    }

    @Test func pbkdf2RefusesCountsItCannotTake() {
        #expect(throws: CryptoError.invalidIterationCount(0)) {
            try [UInt8]().withUnsafeBytes { try PBKDF2SHA256.deriveKey(password: $0, salt: [1], iterations: 0) }
        }
    }

    @Test(.enabled(if: TestPaths.shared != nil, "../shared is not beside the repository"))
    func gcmVectorsArePresentWhenSharedIs() {
        #expect(gcmCases.count == 66)
        #expect(gcmCases.filter { $0.result == "valid" }.count == 39)
    }

    @Test("AES-256-GCM", arguments: gcmCases)
    func aesGCM(_ c: GCMCase) throws {
        let key = SymmetricKey(bytes: hexBytes(c.key))
        let nonce = try AESGCM.Nonce(bytes: hexBytes(c.iv))
        let sealed = hexBytes(c.ct) + hexBytes(c.tag)
        if c.result == "valid" {
            let opened = try AESGCM.open(sealed, using: key, nonce: nonce, authenticating: hexBytes(c.aad))
            #expect(opened.withUnsafeBytes { hexString($0) } == c.msg, "\(c.testDescription)")
            let again = try AESGCM.seal(hexBytes(c.msg), using: key, nonce: nonce, authenticating: hexBytes(c.aad))
            #expect(hexString(again) == c.ct + c.tag, "\(c.testDescription)")
        } else {
            #expect(throws: CryptoError.authenticationFailed, "\(c.testDescription) must be rejected") {
                try AESGCM.open(sealed, using: key, nonce: nonce, authenticating: hexBytes(c.aad))
            }
        }
    }

    @Test func gcmEveryFlippedByteFails() throws {
        let key = try SymmetricKey(size: .bits256)
        let nonce = try AESGCM.Nonce()
        let aad = Array("header".utf8)
        let sealed = try AESGCM.seal(Array("id: a\nenc: x\n".utf8), using: key, nonce: nonce, authenticating: aad)
        for k in sealed.indices {
            var changed = sealed
            changed[k] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed, "byte \(k)") {
                try AESGCM.open(changed, using: key, nonce: nonce, authenticating: aad)
            }
        }
        for k in aad.indices {
            var changed = aad
            changed[k] ^= 0x01
            #expect(throws: CryptoError.authenticationFailed, "aad byte \(k)") {
                try AESGCM.open(sealed, using: key, nonce: nonce, authenticating: changed)
            }
        }
        #expect(throws: CryptoError.invalidInputLength(15)) {
            try AESGCM.open([UInt8](repeating: 0, count: 15), using: key, nonce: nonce)
        }
    }
}
