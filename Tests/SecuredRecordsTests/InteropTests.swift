import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Our records against independent implementations run as subprocesses: a Python script
/// (hmac, hashlib, PyYAML, cryptography) and Node's WebCrypto.
@Suite("Interop with Python and Node")
struct InteropTests {
    static let script = Fixtures.interop.appendingPathComponent("interop.py").path
    static let webcrypto = Fixtures.interop.appendingPathComponent("webcrypto.mjs").path
    static let pythonReady = (try? runProcess("python3", ["-c", "import cryptography, yaml"]).status) == 0

    let dir: URL
    let key: SecuredKey
    let keyPath: String

    init() throws {
        dir = try TestPaths.temporaryDirectory("interop")
        key = try newKey("interop")
        keyPath = try writeKeyFile(key, in: dir)
    }

    var encB64: String { key.encryptionKey.withUnsafeBytes { Base64.encode($0) } }

    @Test(.enabled(if: pythonReady)) func pythonVerifiesOurSignatures() throws {
        for (name, bytes) in [
            ("lf", Array("---\ntitle: t\n---\nbody\n".utf8)),
            ("crlf", toCRLF(Array("---\ntitle: t\n---\nbody\n".utf8))),
            ("nested", try Fixtures.bytes("nested.md")),
        ] {
            for choice in [SigningChoice.preferred, .hmac] {
                let signed = try RecordSigner.sign(Record(parsing: bytes, file: name), with: key, choice: choice)
                let kind = choice == .hmac ? "v1" : "ed25519"
                #expect(String(decoding: signed.bytes, as: UTF8.self).contains("signature: \"\(kind);interop;"))
                let path = dir.appendingPathComponent("\(name)-\(kind).md")
                try Data(signed.bytes).write(to: path)
                let r = try runProcess("python3", [Self.script, "verify", keyPath, path.path])
                #expect(r.status == 0, "\(name) \(kind): \(r.stderrText)")
                // And a changed record fails in Python too (so the check can fail).
                var changed = signed.bytes
                changed[changed.count - 2] ^= 1
                try Data(changed).write(to: path)
                #expect(try runProcess("python3", [Self.script, "verify", keyPath, path.path]).status == 1, "\(kind)")
            }
        }
    }

    @Test(.enabled(if: pythonReady)) func weVerifyPythonSignatures() throws {
        for (name, bytes) in [
            ("lf", try Fixtures.bytes("nested.md")), ("crlf", toCRLF(try Fixtures.bytes("plain.md"))),
            ("bom", withBOM(try Fixtures.bytes("plain.md"))),
        ] {
            let input = dir.appendingPathComponent("\(name)-in.md")
            let output = dir.appendingPathComponent("\(name)-out.md")
            try Data(bytes).write(to: input)
            for command in ["sign", "sign-ed25519"] {
                let r = try runProcess("python3", [Self.script, command, keyPath, input.path, output.path])
                #expect(r.status == 0, "\(r.stderrText)")
                let signed = try Record(parsing: [UInt8](Data(contentsOf: output)), file: name)
                #expect(
                    try RecordSigner.verify(signed, keys: ring(key)).get() == .valid(keyID: "interop"),
                    "\(name) \(command)")
                // Python's Ed25519 signature verifies with the public key alone.
                if command == "sign-ed25519" {
                    let publicOnly = try KeyRing([], publicKeys: [key.publicKey!])
                    #expect(try RecordSigner.verify(signed, keys: publicOnly).get() == .valid(keyID: "interop"))
                }
            }
        }
    }

    @Test(.enabled(if: pythonReady)) func pythonDecryptsOurBlobsAndWeOpenTheirs() throws {
        var rng = SeededRandom(seed: 11)
        for length in [1, 15, 16, 17, 1000] {
            // A record is UTF-8 text (SPEC section 1): printable ASCII of every byte length.
            let body = rng.bytes(length).map { 0x20 + $0 % 95 }
            let sealed = try RecordSealer.seal(
                Record(parsing: Array("---\nt: 1\n---\n".utf8) + body, file: "p"), with: key
            ).record
            let blob = try sealed.blob().serialized
            let r = try runProcess("python3", [Self.script, "decrypt", keyPath, blob])
            #expect(r.status == 0, "\(r.stderrText)")
            #expect(r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == hexString(body), "length \(length)")

            let theirs = try runProcess("python3", [Self.script, "encrypt", keyPath, hexString(body)])
            let value = theirs.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            let rec = try record("---\nsecured: \"\(value)\"\n---\n\n")
            #expect(try RecordSealer.open(rec, keys: ring(key)).content == body, "length \(length)")
        }
    }

    @Test(.enabled(if: programExists("node"))) func webCryptoDecryptsOurBlobsAndWeOpenTheirs() throws {
        var rng = SeededRandom(seed: 12)
        for length in [1, 16, 33, 4096] {
            let body = rng.bytes(length).map { 0x20 + $0 % 95 }
            let sealed = try RecordSealer.seal(
                Record(parsing: Array("---\nt: 1\n---\n".utf8) + body, file: "n"), with: key
            ).record
            let blob = try sealed.blob().serialized
            let r = try runProcess("node", [Self.webcrypto, "decrypt", encB64, blob])
            #expect(r.status == 0, "\(r.stderrText)")
            #expect(r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines) == hexString(body))

            let theirs = try runProcess("node", [Self.webcrypto, "encrypt", encB64, hexString(body)])
            #expect(theirs.status == 0, "\(theirs.stderrText)")
            let value = theirs.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(
                try RecordSealer.open(record("---\nsecured: \"\(value)\"\n---\n\n"), keys: ring(key)).content == body)
        }
    }
}
