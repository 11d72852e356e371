import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Our AES-CBC and HMAC against the `openssl` command-line tool, an independent program.
@Suite("Interop with the openssl CLI", .enabled(if: programExists("openssl")))
struct OpenSSLInteropTests {
    @Test("what we encrypt, openssl enc -d decrypts", arguments: [0, 1, 15, 16, 17, 1000])
    func weEncryptOpenSSLDecrypts(length: Int) throws {
        var rng = SeededRandom(seed: UInt64(length) + 1)
        let message = rng.bytes(length)
        let keyBytes = rng.bytes(32)
        let key = SymmetricKey(bytes: keyBytes)
        let iv = try AESCBC.IV(bytes: rng.bytes(16))
        let ct = try AESCBC.encrypt(message, using: key, iv: iv)
        let r = try runProcess(
            "openssl", ["enc", "-d", "-aes-256-cbc", "-K", hexString(keyBytes), "-iv", hexString(iv.bytes)],
            stdin: Data(ct))
        #expect(r.status == 0, "\(r.stderrText)")
        #expect([UInt8](r.stdout) == message)
    }

    @Test("what openssl enc encrypts, we decrypt", arguments: [(16, 0), (24, 33), (32, 1), (32, 16), (32, 4096)])
    func openSSLEncryptsWeDecrypt(keySize: Int, length: Int) throws {
        var rng = SeededRandom(seed: UInt64(length * 100 + keySize))
        let message = rng.bytes(length)
        let keyBytes = rng.bytes(keySize)
        let ivBytes = rng.bytes(16)
        let r = try runProcess(
            "openssl",
            ["enc", "-e", "-aes-\(keySize * 8)-cbc", "-K", hexString(keyBytes), "-iv", hexString(ivBytes)],
            stdin: Data(message))
        #expect(r.status == 0, "\(r.stderrText)")
        let pt = try AESCBC.decrypt(
            [UInt8](r.stdout), using: SymmetricKey(bytes: keyBytes), iv: AESCBC.IV(bytes: ivBytes))
        #expect(pt == message)
    }

    @Test("our HMAC equals openssl dgst -mac HMAC", arguments: [0, 1, 64, 65, 10_000])
    func hmacMatches(length: Int) throws {
        var rng = SeededRandom(seed: UInt64(length) + 99)
        let message = rng.bytes(length)
        let keyBytes = rng.bytes(32)
        let ours = HMACSHA256.authenticationCode(for: message, using: SymmetricKey(bytes: keyBytes))
        let r = try runProcess(
            "openssl", ["dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:\(hexString(keyBytes))", "-r"],
            stdin: Data(message))
        #expect(r.status == 0, "\(r.stderrText)")
        let theirs = r.stdoutText.split(separator: " ").first.map(String.init) ?? ""
        #expect(hexString(ours) == theirs)
    }
}
