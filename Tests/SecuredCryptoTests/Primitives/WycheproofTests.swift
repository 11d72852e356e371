import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Wycheproof vectors, read from ../shared/vectors (Apache-2.0, not copied here).
struct WycheproofCase: CustomTestStringConvertible, Sendable {
    var tcId: Int
    var comment: String
    var key, iv, msg, ct: String
    var tag: String
    var tagSize: Int
    var result: String
    var testDescription: String { "tcId \(tcId) (\(comment))" }
}

private func loadWycheproof(_ file: String) -> [WycheproofCase] {
    guard let dir = TestPaths.shared?.appendingPathComponent("vectors"),
        let data = try? Data(contentsOf: dir.appendingPathComponent(file)),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let groups = json["testGroups"] as? [[String: Any]]
    else {
        print("note: ../shared/vectors/\(file) not found; Wycheproof cases skipped")
        return []
    }
    var cases: [WycheproofCase] = []
    for group in groups {
        let tagSize = group["tagSize"] as? Int ?? 0
        for t in group["tests"] as? [[String: Any]] ?? [] {
            cases.append(
                WycheproofCase(
                    tcId: t["tcId"] as! Int, comment: t["comment"] as? String ?? "",
                    key: t["key"] as? String ?? "", iv: t["iv"] as? String ?? "", msg: t["msg"] as? String ?? "",
                    ct: t["ct"] as? String ?? "", tag: t["tag"] as? String ?? "", tagSize: tagSize,
                    result: t["result"] as! String))
        }
    }
    return cases
}

private let aesCases = loadWycheproof("wycheproof-aes_cbc_pkcs5_test.json")
private let hmacCases = loadWycheproof("wycheproof-hmac_sha256_test.json")

@Suite("Wycheproof")
struct WycheproofTests {
    @Test(.enabled(if: TestPaths.shared != nil, "../shared is not beside the repository"))
    func vectorsArePresentWhenSharedIs() {
        #expect(aesCases.count == 216)
        #expect(hmacCases.count == 174)
    }

    @Test("AES-CBC-PKCS5", arguments: aesCases)
    func aesCBC(_ c: WycheproofCase) throws {
        let key = SymmetricKey(bytes: hexBytes(c.key))
        let iv = try AESCBC.IV(bytes: hexBytes(c.iv))
        if c.result == "valid" {
            let ct = try AESCBC.encrypt(hexBytes(c.msg), using: key, iv: iv)
            #expect(hexString(ct) == c.ct, "\(c.testDescription)")
            let pt = try AESCBC.decrypt(hexBytes(c.ct), using: key, iv: iv)
            #expect(hexString(pt) == c.msg, "\(c.testDescription)")
        } else {
            #expect(throws: CryptoError.self, "\(c.testDescription) must be rejected") {
                try AESCBC.decrypt(hexBytes(c.ct), using: key, iv: iv)
            }
        }
    }

    @Test("HMAC-SHA256", arguments: hmacCases)
    func hmac(_ c: WycheproofCase) throws {
        let key = SymmetricKey(bytes: hexBytes(c.key))
        let full = HMACSHA256.authenticationCode(for: hexBytes(c.msg), using: key)
        let truncated = Array(full.prefix(c.tagSize / 8))
        let matches = ConstantTime.equals(truncated, hexBytes(c.tag))
        #expect(matches == (c.result == "valid"), "\(c.testDescription)")
    }
}
