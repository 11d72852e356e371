import Foundation
import TestSupport
import Testing

@testable import SecuredCrypto

private let vectorsDir = TestPaths.repositoryRoot.appendingPathComponent("Tests/SecuredCryptoTests/Vectors")

/// The age format: the C2SP test kit, the primitives' standard vectors, round trips.
@Suite("age: test kit, X25519, HKDF, Bech32, round trips")
struct AgeTests {
    static let testkit = TestPaths.shared?.appendingPathComponent("vectors/age-testkit")

    /// Vectors for what SPEC section 3 does not ask for: passphrases (scrypt) and hybrid
    /// post-quantum recipients.
    static func unsupported(_ v: [String: Any]) -> Bool {
        let name = v["name"] as? String ?? ""
        let identities = v["identity"] as? [String] ?? []
        return name.hasPrefix("scrypt") || name.contains("hybrid") || v["passphrase"] != nil
            || identities.contains { $0.hasPrefix("AGE-SECRET-KEY-PQ-") }
    }

    @Test(.enabled(if: testkit != nil, "../shared/vectors/age-testkit is missing"))
    func everyX25519AndArmorVectorGivesItsExpectation() throws {
        let script = vectorsDir.appendingPathComponent("age_testkit.py").path
        let files = try TestPaths.temporaryDirectory("age-testkit")
        let r = try runProcess("python3", [script, Self.testkit!.path, files.path])
        #expect(r.status == 0, "\(r.stderrText)")
        let vectors = try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [[String: Any]])
        #expect(vectors.count >= 140)
        var skipped: [String] = []
        var checked = 0
        for v in vectors {
            let name = v["name"] as! String
            if Self.unsupported(v) {
                skipped.append(name)
                continue
            }
            checked += 1
            let file = [UInt8](try Data(contentsOf: files.appendingPathComponent(name)))
            let expect = v["expect"] as! String
            let identities = try (v["identity"] as? [String] ?? []).map { try AgeIdentity(parsing: $0) }
            do {
                let plaintext = try AgeFile.decrypt(
                    file, identities: identities, armored: v["armored"] as? String == "yes")
                let digest = plaintext.withUnsafeBytes { SHA256.hash($0) }
                #expect(expect == "success", "\(name): decrypted, expected \(expect)")
                #expect(Hex.encode(digest) == v["payload"] as? String, "\(name): payload hash")
            } catch {
                let armored = v["armored"] as? String == "yes"
                #expect(
                    error.kind == expect,
                    "\(name)\(armored ? " (armored)" : ""): \(error.kind) (\(error)), expected \(expect)")
            }
        }
        print(
            "age test kit: \(checked) vectors checked; \(skipped.count) skipped (scrypt and hybrid post-quantum, not in SPEC section 3): \(skipped.joined(separator: ", "))"
        )
        #expect(checked >= 90)
        #expect(skipped.allSatisfy { $0.contains("scrypt") || $0.contains("hybrid") })
    }

    @Test func x25519MatchesRFC7748() throws {
        let alice = SecureBytes(copying: hexBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = SecureBytes(copying: hexBytes("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        let alicePublic = try X25519.publicKey(secret: alice)
        let bobPublic = try X25519.publicKey(secret: bob)
        #expect(Hex.encode(alicePublic) == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(Hex.encode(bobPublic) == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let shared = try X25519.sharedSecret(secret: alice, peer: bobPublic)
        #expect(
            shared.withUnsafeBytes { Hex.encode($0) }
                == "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        // A low-order point gives all zeros: refused.
        #expect(throws: CryptoError.self) {
            try X25519.sharedSecret(secret: alice, peer: [UInt8](repeating: 0, count: 32))
        }
    }

    @Test func hkdfMatchesRFC5869() throws {
        let ikm = [UInt8](repeating: 0x0b, count: 22)
        let one = try ikm.withUnsafeBytes {
            try HKDFSHA256.deriveKey(
                inputKeyMaterial: $0, salt: hexBytes("000102030405060708090a0b0c"),
                info: hexBytes("f0f1f2f3f4f5f6f7f8f9"),
                count: 42)
        }
        #expect(
            one.withUnsafeBytes { Hex.encode($0) }
                == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
        let three = try ikm.withUnsafeBytes {
            try HKDFSHA256.deriveKey(inputKeyMaterial: $0, salt: [], info: [], count: 42)
        }
        #expect(
            three.withUnsafeBytes { Hex.encode($0) }
                == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func bech32MatchesBIP173AndTheAgeSpecification() throws {
        for valid in ["A12UEL5L", "a12uel5l", "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw", "?1ezyfcl"] {
            #expect(throws: Never.self) { try Bech32.decode(valid) }
        }
        for invalid in ["A12uEL5L", "a12uel5m", "1pzry9x0s0muk", "x1b4n0q5v", "li1dgmt3", "de1lg7wt\u{ff}"] {
            #expect(throws: Bech32.DecodingError.self) { try Bech32.decode(invalid) }
        }
        let identity = try AgeIdentity(
            parsing: "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")
        #expect(identity.recipient.description == "age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj")
        #expect(try AgeRecipient(parsing: identity.recipient.description) == identity.recipient)
        let text = identity.identityFileText(created: "2026-01-01T00:00:00Z")
        #expect(text.hasSuffix("\nAGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX\n"))
        #expect(try AgeIdentity.parseFile(text, source: "id.txt").map(\.recipient) == [identity.recipient])
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try AgeIdentity.parseFile(crlf, source: "id.txt").map(\.recipient) == [identity.recipient])
        let list = "# holders\r\n  \(identity.recipient)  \r\n\r\n"
        #expect(try AgeRecipient.parseList(list, source: "r.txt") == [identity.recipient])
        // Errors never repeat the key text.
        do {
            _ = try AgeIdentity.parseFile(
                "# c\nAGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEY\n", source: "id.txt")
            Issue.record("a bad checksum was accepted")
        } catch {
            #expect(error.reason.hasPrefix("id.txt:2: ") && !error.reason.contains("GFPYYSJZ"))
        }
        #expect(throws: AgeKeyError.self) {
            try AgeRecipient(parsing: "age1ZVKYG2LQZRAA2LNJVQEJ32NKUU0UES2S82HZRYE869XEEXVN73EQUNUJWJ")
        }
        #expect(throws: AgeKeyError.self) {
            try AgeRecipient(parsing: "age1pq1x34nzsvr0rxjsgdn8zgyhfe8j7ceq5r9rdelkjuh3y235jzxshfg87pzf5")
        }
    }

    @Test(arguments: [0, 1, 100, 65535, 65536, 65537, 200_000])
    func roundTripsAcrossChunkBoundaries(_ size: Int) throws {
        var rng = SeededRandom(seed: UInt64(size) + 1)
        let plaintext = rng.bytes(size)
        let a = try AgeIdentity.generate()
        let b = try AgeIdentity.generate()
        let stranger = try AgeIdentity.generate()
        for armored in [true, false] {
            let file = try AgeFile.encrypt(plaintext, to: [a.recipient, b.recipient], armored: armored)
            for identity in [a, b] {
                let opened = try AgeFile.decrypt(file, identities: [stranger, identity])
                #expect(opened.withUnsafeBytes { Array($0) } == plaintext)
            }
            #expect(throws: AgeError.noMatch) { try AgeFile.decrypt(file, identities: [stranger]) }
            if armored {
                let lines = String(decoding: file, as: UTF8.self).split(separator: "\n")
                #expect(
                    lines.first == "-----BEGIN AGE ENCRYPTED FILE-----"
                        && lines.last == "-----END AGE ENCRYPTED FILE-----")
                #expect(lines.dropFirst().dropLast().dropLast().allSatisfy { $0.count == 64 })
            } else {
                // Any changed byte is refused; nothing is released.
                for position in [30, file.count / 2, file.count - 1] {
                    var damaged = file
                    damaged[position] ^= 0x01
                    #expect(throws: AgeError.self) { try AgeFile.decrypt(damaged, identities: [a]) }
                }
                #expect(throws: AgeError.self) { try AgeFile.decrypt(Array(file.dropLast()), identities: [a]) }
            }
        }
        #expect(throws: AgeError.self) { try AgeFile.encrypt(plaintext, to: []) }
    }
}
