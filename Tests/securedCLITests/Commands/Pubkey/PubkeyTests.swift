import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Verifying with no secret (SPEC 1.1 sections 3, 4 and 6): `keygen` writes the public key, `pubkey`
/// prints it, a public key alone checks a fork's pull request, and manifests interoperate with the
/// real `minisign`.
@Suite("Public keys: pubkey, verifying with no secret, minisign", .serialized)
struct PubkeyTests {
    static let minisignReady = programExists("minisign")

    func pub(_ ws: Workspace) -> String { String(ws.keyPath.dropLast(4)) + ".pub" }

    /// A workspace whose key has `sign` and a public key file beside it.
    func workspace() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        try Data(ws.key.publicKey!.fileText.utf8).write(to: URL(fileURLWithPath: pub(ws)))
        return ws
    }

    @Test func keygenWritesThePublicKeyAndPubkeyPrintsTheSameBytes() throws {
        let ws = try Workspace()
        let r = try secured(["keygen", "--id", "site-2026", "--out", "site-2026.key"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let pubPath = ws.dir.appendingPathComponent("site-2026.pub").path
        let attrs = try FileManager.default.attributesOfItem(atPath: pubPath)
        #expect((attrs[.posixPermissions] as? Int) == 0o644)
        let text = try String(contentsOfFile: pubPath, encoding: .utf8)
        #expect(text.hasPrefix("untrusted comment: secured public key site-2026\n"))
        let printed = try secured(["pubkey", "site-2026.key"], in: ws.dir)
        #expect(printed.status == 0 && printed.stdoutText == text)
        let key = try SecuredKey(parsing: ws.read("site-2026.key"))
        #expect(key.signingKey != nil && key.authenticationKey != nil)
        // A public key cannot seal, sign or open.
        _ = try ws.write("a.md", plainRecord)
        for command in [["seal", "a.md"], ["sign", "a.md"], ["open", "a.md"]] {
            let refused = try secured(command + ["--key", "site-2026.pub"], in: ws.dir)
            #expect(refused.status == 2, "\(command)")
            #expect(refused.stderrText.contains("public key"), "\(command): \(refused.stderrText)")
        }
    }

    @Test func addSignKeepsEveryLineTheModeAndTheFingerprint() throws {
        let ws = try Workspace()
        let old = try SecuredKey(
            id: "v1key", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: SymmetricKey(size: .bits256))
        let original = "# my key\r\n" + old.keyFileText().replacingOccurrences(of: "\n", with: "\r\n")
        let path = ws.dir.appendingPathComponent("v1key.key").path
        try Data(original.utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o640)
        let r = try secured(["keygen", "--add-sign", "v1key.key"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText == "v1key \(old.fingerprint)\n")
        let now = try ws.read("v1key.key")
        #expect(now.hasPrefix(original) && now.hasSuffix("\r\n"))
        #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o640)
        let key = try SecuredKey(parsing: now)
        #expect(key.fingerprint == old.fingerprint && key.signingKey != nil)
        #expect(try ws.read("v1key.pub") == key.publicKey!.fileText)
        let again = try secured(["keygen", "--add-sign", "v1key.key"], in: ws.dir)
        #expect(again.status == 1 && again.stderrText.contains("already has 'sign'"))
    }

    @Test func aPublicKeyAloneIsTheForkPullRequestCheck() throws {
        let ws = try workspace()
        _ = try ws.write("c/a.md", plainRecord)
        _ = try ws.write("c/b.md", "---\ntitle: b\n---\nsecond\n")
        #expect(try secured(["seal", "c", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(try ws.read("c/a.md").contains("signature: \"ed25519;site;"))
        let ok = try secured(["audit", "c", "--key", pub(ws), "--require-signature", "--format", "json"], in: ws.dir)
        #expect(ok.status == 0, "\(ok.stderrText)")
        let doc = try JSONSerialization.jsonObject(with: ok.stdout) as? [String: Any]
        let notes = doc?["notes"] as? [[String: Any]] ?? []
        #expect(notes.filter { $0["kind"] as? String == "publicKeysOnly" }.count == 1)
        // SECURED_KEY may hold the public key file's text.
        let env = try secured(
            ["verify", "c"], in: ws.dir, environment: ["SECURED_KEY": ws.key.publicKey!.fileText])
        #expect(env.status == 0, "\(env.stderrText)")
        // An edited record is SR011, with its file and line; nothing is decrypted.
        let edited = try ws.read("c/b.md").replacingOccurrences(of: "title: b", with: "title: B")
        _ = try ws.write("c/b.md", edited)
        let bad = try secured(["audit", "c", "--key", pub(ws), "--require-signature"], in: ws.dir)
        #expect(bad.status == 1)
        #expect(bad.stdoutText.contains("c/b.md:4: error: SR011"), "\(bad.stdoutText)")
        #expect(!bad.stdoutText.contains("error: SR012"))
        // HMAC signatures need the secret key: with the public key alone they are SR010.
        #expect(try secured(["sign", "c/a.md", "--key", ws.keyPath, "--hmac"], in: ws.dir).status == 0)
        let hmac = try secured(["verify", "c/a.md", "--key", pub(ws)], in: ws.dir)
        #expect(hmac.status == 1 && hmac.stdoutText.contains("SR010"), "\(hmac.stdoutText)")
        #expect(try secured(["verify", "c/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
    }

    @Test func keyIdRulesAreConfigurationErrors() throws {
        let ws = try workspace()
        _ = try ws.write("a.md", plainRecord)
        // The same key as secret and public: one key.
        #expect(try secured(["audit", "a.md", "--key", ws.keyPath, "--key", pub(ws)], in: ws.dir).status == 0)
        // Another key's public key under the same id.
        let other = try SecuredKey.generate(id: "site")
        _ = try ws.write("other/site.pub", other.publicKey!.fileText)
        let clash = try secured(["audit", "a.md", "--key", pub(ws), "--key", "other/site.pub"], in: ws.dir)
        #expect(clash.status == 2 && clash.stderrText.contains("site"), "\(clash.stderrText)")
        // Malformed public key files name the file.
        for (name, text) in [
            ("three.pub", ws.key.publicKey!.fileText + "extra line\n"),
            ("short.pub", "untrusted comment: x\nRWQAAAA=\n"),
            ("nocomment.pub", "comment: x\n" + ws.key.publicKey!.fileText.split(separator: "\n")[1] + "\n"),
        ] {
            _ = try ws.write(name, text)
            let r = try secured(["audit", "a.md", "--key", name], in: ws.dir)
            #expect(r.status == 2 && r.stderrText.contains(name), "\(name): \(r.stderrText)")
        }
        // A key folder loads *.key and *.pub.
        _ = try ws.write("keys/site.pub", ws.key.publicKey!.fileText)
        #expect(try secured(["audit", "a.md", "--key", "keys"], in: ws.dir).status == 0)
    }

    @Test(.enabled(if: minisignReady, "minisign is not installed")) func minisignVerifiesOurManifest() throws {
        let ws = try workspace()
        _ = try ws.write("c/a.md", plainRecord)
        _ = try ws.write("c/b.md", "---\ntitle: b\n---\nsecond\n")
        #expect(try secured(["seal", "c", "--key", ws.keyPath], in: ws.dir).status == 0)
        let built = try secured(["manifest", "build", "c", "--key", ws.keyPath], in: ws.dir)
        #expect(built.status == 0, "\(built.stderrText)")
        let manifest = ws.dir.appendingPathComponent("c/MANIFEST.sha256").path
        let v = try runProcess("minisign", ["-Vm", manifest, "-p", pub(ws)])
        #expect(v.status == 0, "\(v.stderrText)")
        #expect(v.stdoutText.contains("file:MANIFEST.sha256\thashed"))
        // sha256sum -c still passes with the .minisig beside the manifest.
        let sums = try runProcess(
            "sha256sum", ["-c", "MANIFEST.sha256"], currentDirectory: ws.dir.appendingPathComponent("c"))
        #expect(sums.status == 0, "\(sums.stderrText)")
        #expect(!sums.stdoutText.contains("minisig"))
        // Our check with the public key alone, then one byte changed: both tools refuse it.
        #expect(try secured(["manifest", "check", "c/MANIFEST.sha256", "--key", pub(ws)], in: ws.dir).status == 0)
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: manifest)))
        bytes[0] = bytes[0] == 0x30 ? 0x31 : 0x30
        try Data(bytes).write(to: URL(fileURLWithPath: manifest))
        #expect(try runProcess("minisign", ["-Vm", manifest, "-p", pub(ws)]).status != 0)
        let ours = try secured(["manifest", "check", "c/MANIFEST.sha256", "--key", pub(ws)], in: ws.dir)
        #expect(ours.status == 1 && ours.stderrText.contains("SR019"), "\(ours.stderrText)")
        // Rebuilt with a key without 'sign': the stale .minisig goes.
        let hmacOnly = try SecuredKey(
            id: "h", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: SymmetricKey(size: .bits256))
        let hPath = try ws.write("h.key", hmacOnly.keyFileText())
        chmod(hPath, 0o600)
        #expect(try secured(["manifest", "build", "c", "--key", "h.key"], in: ws.dir).status == 0)
        #expect(!FileManager.default.fileExists(atPath: manifest + ".minisig"))
    }

    @Test(.enabled(if: minisignReady, "minisign is not installed"))
    func weVerifyManifestsSignedByMinisign() throws {
        let ws = try Workspace()
        _ = try ws.write("c/a.md", plainRecord)
        #expect(try secured(["manifest", "build", "c", "--key", ws.keyPath], in: ws.dir).status == 0)
        let gen = try runProcess(
            "minisign", ["-G", "-W", "-p", "m.pub", "-s", "m.key"], currentDirectory: ws.dir)
        #expect(gen.status == 0, "\(gen.stderrText)")
        let manifest = "c/MANIFEST.sha256"
        for legacy in [false, true] {
            let sign = try runProcess(
                "minisign", ["-S", "-s", "m.key", "-m", manifest] + (legacy ? ["-l"] : []), currentDirectory: ws.dir)
            #expect(sign.status == 0, "\(sign.stderrText)")
            let sig = try ws.read(manifest + ".minisig")
            // base64 of "Ed" starts "RW", of "ED" (prehashed) "RU".
            #expect(sig.split(separator: "\n")[1].hasPrefix(legacy ? "RW" : "RU"), "legacy \(legacy)")
            let check = try secured(["manifest", "check", manifest, "--key", "m.pub"], in: ws.dir)
            #expect(check.status == 0, "legacy \(legacy): \(check.stderrText)")
            #expect(check.stderrText.contains("verified: the detached signature (Ed25519, key 'minisign-"))
        }
        // One byte changed: refused.
        var bytes = [UInt8](try Data(contentsOf: ws.dir.appendingPathComponent(manifest)))
        bytes[bytes.count - 2] ^= 0x01
        try Data(bytes).write(to: ws.dir.appendingPathComponent(manifest))
        let bad = try secured(["manifest", "check", manifest, "--key", "m.pub"], in: ws.dir)
        #expect(bad.status == 1 && bad.stderrText.contains("SR019"), "\(bad.stderrText)")
    }
}
