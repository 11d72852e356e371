import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// No command writes over a file it reads as a key (`share KEY --passphrase --out KEY` once
/// replaced a secret key with its read-only part), no message quotes what a key file holds, and
/// key files with CRLF line ends or a byte order mark load.
@Suite("Key files: never written over, never quoted, read as YAML reads them")
struct KeyFileTests {
    static let env = ["SECURED_PASSPHRASE": "ample orbit velvet cactus harbor"]

    func expectRefused(_ r: ProcessResult, naming name: String, _ ws: Workspace, keyText: String, _ what: String) throws
    {
        #expect(r.status == 2, "\(what): \(r.stderrText)")
        #expect(r.stderrText.contains(name) && r.stderrText.contains("reads as a key"), "\(what): \(r.stderrText)")
        #expect(try ws.read("site.key") == keyText, "\(what) changed the key file")
    }

    @Test func shareRefusesAnOutputThatIsItsOwnKeyFileHoweverSpelled() throws {
        let ws = try Workspace(keyID: "site")
        let keyText = try ws.read("site.key")
        try FileManager.default.createSymbolicLink(
            atPath: ws.dir.appendingPathComponent("link.key").path, withDestinationPath: "site.key")
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        let passphrase = try secured(
            ["share", "site.key", "--passphrase", "--label", "members", "--out", "site.key"], in: ws.dir,
            environment: Self.env)
        try expectRefused(passphrase, naming: "site.key", ws, keyText: keyText, "share --passphrase")
        let readOnly = try secured(["share", "site.key", "--read-only", "--out", "./sub/../site.key"], in: ws.dir)
        try expectRefused(readOnly, naming: "site.key", ws, keyText: keyText, "share --read-only")
        let recipient = try AgeIdentity.generate().recipient.description
        let age = try secured(["share", "site.key", "-r", recipient, "--out", "link.key"], in: ws.dir)
        try expectRefused(age, naming: "link.key", ws, keyText: keyText, "share -r")
        // The identity file it reads is a key too.
        _ = try ws.write("id.txt", try AgeIdentity.generate().identityFileText(created: "2026-01-01T00:00:00Z"))
        let idText = try ws.read("id.txt")
        let identity = try secured(
            ["share", "site.key", "-r", recipient, "--identity", "id.txt", "--out", "id.txt"], in: ws.dir)
        #expect(identity.status == 2 && identity.stderrText.contains("id.txt"), "\(identity.stderrText)")
        #expect(try ws.read("id.txt") == idText)
        // Another output path is written as before; a .key.age re-shared in place to new
        // recipients keeps the whole key (mac and sign), so that one rewrite is allowed.
        let fine = try secured(["share", "site.key", "-r", recipient, "--out", "site.key.age"], in: ws.dir)
        #expect(fine.status == 0, "\(fine.stderrText)")
        _ = try ws.write("id2.txt", try AgeIdentity.generate().identityFileText(created: "2026-01-01T00:00:00Z"))
        let mine = try AgeIdentity.parseFile(try ws.read("id2.txt"), source: "id2.txt")[0].recipient.description
        let first = try secured(["share", "site.key", "-r", mine, "--out", "mine.key.age"], in: ws.dir)
        #expect(first.status == 0, "\(first.stderrText)")
        let reshare = try secured(
            ["share", "mine.key.age", "--identity", "id2.txt", "-r", mine, "-r", recipient, "--out", "mine.key.age"],
            in: ws.dir)
        #expect(reshare.status == 0, "\(reshare.stderrText)")
    }

    @Test func manifestAndAuditIndexRefuseAKeyFileTheyRead() throws {
        let ws = try Workspace(keyID: "site")
        let keyText = try ws.read("site.key")
        _ = try ws.write("content/a.md", "---\ntitle: a\n---\nbody\n")
        let manifest = try secured(
            ["manifest", "build", "content", "--key", "site.key", "--out", "site.key"], in: ws.dir)
        try expectRefused(manifest, naming: "site.key", ws, keyText: keyText, "manifest build")
        // A key read from a folder: the audit's index may not land on it either.
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent("keys"), withIntermediateDirectories: true)
        try FileManager.default.moveItem(
            at: ws.dir.appendingPathComponent("site.key"), to: ws.dir.appendingPathComponent("keys/site.key"))
        let audit = try secured(["audit", "content", "--key", "keys", "--write-index", "keys/site.key"], in: ws.dir)
        #expect(audit.status == 2 && audit.stderrText.contains("keys/site.key"), "\(audit.stderrText)")
        #expect(try ws.read("keys/site.key") == keyText)
    }

    @Test func aKeyFileNeverQuotesWhatItHolds() throws {
        // As found: a .key.age whose decrypted text holds a line `<base64>: x` was refused
        // with `unknown field 'Q2hhbmdl…'`: decrypted key text in a CI log.
        let ws = try Workspace()
        let secretish = "Q2hhbmdlIHRoaXMgdGV4dCBpcyBrZXkgbWF0ZXJpYWw"
        let identity = try AgeIdentity.generate()
        _ = try ws.write("me.age-identity", identity.identityFileText(created: "2026-12-01T00:00:00Z"))
        let plain = Array("id: site\n\(secretish): x\n".utf8)
        let sealed = try AgeFile.encrypt(plain, to: [identity.recipient])
        try Data(sealed).write(to: ws.dir.appendingPathComponent("site.key.age"))
        _ = try ws.write("a.md", "---\ntitle: a\n---\n")
        let r = try secured(["audit", "a.md", "--key", "site.key.age", "--identity", "me.age-identity"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains(":2: unknown field"), "\(r.stderrText)")
        #expect(!r.stderrText.contains("Q2hh") && !r.stdoutText.contains("Q2hh"), "\(r.stderrText)")
        // A plain key file too.
        _ = try ws.write("plain.key", "id: site\n\(secretish): x\n")
        let p = try secured(["audit", "a.md", "--key", "plain.key"], in: ws.dir)
        #expect(p.status == 2 && !p.stderrText.contains("Q2hh"), "\(p.stderrText)")
    }

    @Test func keyFilesWithCRLFOrBOMLoadAsYAMLReadsThem() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", plainRecord)
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let text = try String(contentsOfFile: ws.keyPath, encoding: .utf8)
        for (name, bytes) in [
            ("crlf.key", Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
            ("bom.key", [0xEF, 0xBB, 0xBF] + Array(text.utf8)),
            ("both.key", [0xEF, 0xBB, 0xBF] + Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8)),
        ] {
            let path = ws.dir.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            chmod(path, 0o600)
            let r = try secured(["verify", "a.md", "--key", name], in: ws.dir)
            #expect(r.status == 0, "\(name): \(r.stderrText)")
        }
    }
}
