import Foundation
import SecuredCrypto
import TestSupport
import Testing

private let vectorsDir = TestPaths.repositoryRoot.appendingPathComponent("Tests/SecuredCryptoTests/Vectors")

struct RFC8032Vector: CustomTestStringConvertible, Sendable {
    var name, secret, publicKey, message, signature: String
    var testDescription: String { name }

    static func all() throws -> [RFC8032Vector] {
        try loadKeyValueVectors(vectorsDir.appendingPathComponent("rfc8032-ed25519.txt")).map {
            RFC8032Vector(
                name: $0["name"]!, secret: $0["secret"]!, publicKey: $0["public"]!, message: $0["message"] ?? "",
                signature: $0["signature"]!)
        }
    }
}

/// Wycheproof's Ed25519 verification cases (format v1: `testGroups[].publicKey.pk`).
struct WycheproofEd25519Case: CustomTestStringConvertible, Sendable {
    var tcId: Int
    var comment: String
    var publicKey, msg, sig, result: String
    var testDescription: String { "tcId \(tcId) (\(comment))" }

    static let all: [WycheproofEd25519Case] = {
        guard let url = TestPaths.shared?.appendingPathComponent("vectors/wycheproof-ed25519_test.json"),
            let data = try? Data(contentsOf: url),
            let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let groups = json["testGroups"] as? [[String: Any]]
        else { return [] }
        var cases: [WycheproofEd25519Case] = []
        for group in groups {
            let pk = (group["publicKey"] as? [String: Any])?["pk"] as? String ?? ""
            for t in group["tests"] as? [[String: Any]] ?? [] {
                cases.append(
                    WycheproofEd25519Case(
                        tcId: t["tcId"] as! Int, comment: t["comment"] as? String ?? "", publicKey: pk,
                        msg: t["msg"] as? String ?? "", sig: t["sig"] as? String ?? "", result: t["result"] as! String))
            }
        }
        return cases
    }()
}

@Suite("Ed25519 and BLAKE2b (RFC 8032, Wycheproof, RFC 7693)")
struct Ed25519Tests {
    @Test("RFC 8032 section 7.1", arguments: try RFC8032Vector.all())
    func rfc8032(_ v: RFC8032Vector) throws {
        let key = try Ed25519.PrivateKey(seed: SymmetricKey(bytes: hexBytes(v.secret)))
        #expect(hexString(key.publicKey.rawRepresentation) == v.publicKey, "\(v.name)")
        let signature = try key.signature(for: hexBytes(v.message))
        #expect(hexString(signature) == v.signature, "\(v.name)")  // Ed25519 is deterministic
        let pub = try Ed25519.PublicKey(rawRepresentation: hexBytes(v.publicKey))
        #expect(pub.isValidSignature(hexBytes(v.signature), for: hexBytes(v.message)))
        var flipped = hexBytes(v.signature)
        flipped[0] ^= 1
        #expect(!pub.isValidSignature(flipped, for: hexBytes(v.message)))
    }

    @Test func rfc8032FileHoldsThreeCases() throws { #expect(try RFC8032Vector.all().count == 3) }

    @Test(
        .enabled(if: !WycheproofEd25519Case.all.isEmpty, "../shared/vectors is not beside the repository"),
        arguments: WycheproofEd25519Case.all)
    func wycheproof(_ c: WycheproofEd25519Case) throws {
        let valid =
            (try? Ed25519.PublicKey(rawRepresentation: hexBytes(c.publicKey)))?.isValidSignature(
                hexBytes(c.sig), for: hexBytes(c.msg)) ?? false
        // Every valid case verifies, every invalid one fails.
        #expect(valid == (c.result == "valid"), "\(c.testDescription)")
    }

    @Test(.enabled(if: !WycheproofEd25519Case.all.isEmpty, "../shared/vectors is not beside the repository"))
    func wycheproofFileHoldsEveryCase() { #expect(WycheproofEd25519Case.all.count == 151) }

    @Test func blake2b512KnownAnswer() throws {
        // RFC 7693, appendix A: BLAKE2b-512("abc").
        #expect(
            hexString(BLAKE2b512.hash(Array("abc".utf8)))
                == "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"
        )
    }

    @Test(.enabled(if: programExists("python3"))) func blake2bAgreesWithPython() throws {
        var rng = SeededRandom(seed: 7)
        for n in [0, 1, 127, 128, 129, 1000] {
            let bytes = rng.bytes(n)
            let r = try runProcess(
                "python3",
                [
                    "-c", "import hashlib,sys; print(hashlib.blake2b(bytes.fromhex(sys.argv[1])).hexdigest())",
                    hexString(bytes),
                ])
            #expect(
                r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == hexString(BLAKE2b512.hash(bytes)))
        }
    }

    @Test func seedsAreWipedStorageAndNeverPrinted() throws {
        let key = try Ed25519.PrivateKey()
        let seedHex = key.seed.withUnsafeBytes { hexString($0) }
        #expect(!"\(key.seed)".contains(seedHex))
        #expect("\(key.seed)" == "SymmetricKey(256 bits)")
    }
}
