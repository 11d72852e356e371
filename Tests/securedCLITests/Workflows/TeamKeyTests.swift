import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Team keys: key files encrypted to age recipients, against the real `age` and `age-keygen`
/// (Debian's age 1.1.1; `.ci/run` installs it and fails if it is missing).
@Suite("Team keys: age interop", .serialized)
struct TeamKeyTests {
    static let ageReady = programExists("age") && programExists("age-keygen")
    static let required = ageReady || ProcessInfo.processInfo.environment["CI"] != nil

    func ageKeygen(_ path: String, in dir: URL) throws -> String {
        let r = try runProcess("age-keygen", ["-o", path], currentDirectory: dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let y = try runProcess("age-keygen", ["-y", path], currentDirectory: dir)
        return y.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func identity(_ path: String, in ws: Workspace) throws -> String {
        let r = try secured(["identity", "--out", path], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        return r.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A workspace with records sealed and signed by its key.
    func sealed() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        for k in 0..<3 { _ = try ws.write("content/\(k).md", "---\ntitle: \"\(k)\"\n---\nBody \(k) ü.\n") }
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        return ws
    }

    @Test(.enabled(if: required, "age is not installed"))
    func whatWeShareAgeDecryptsToTheExactBytes() throws {
        let ws = try sealed()
        let theirs = try ageKeygen("theirs.txt", in: ws.dir)
        let ours = try identity("ours.txt", in: ws)
        #expect(ours.hasPrefix("age1") && ours.count == 62)
        let identityText = try ws.read("ours.txt")
        #expect(identityText.hasPrefix("# created: ") && identityText.contains("# public key: \(ours)\n"))
        let mode =
            try FileManager.default.attributesOfItem(atPath: ws.dir.appendingPathComponent("ours.txt").path)[
                .posixPermissions] as? Int
        #expect(mode == 0o600)
        let r = try secured(["share", "site.key", "-r", theirs, "-r", ours, "--out", "site.key.age"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let file = try ws.read("site.key.age")
        #expect(file.hasPrefix("-----BEGIN AGE ENCRYPTED FILE-----\n"))
        let original = try Data(contentsOf: URL(fileURLWithPath: ws.keyPath))
        for id in ["theirs.txt", "ours.txt"] {
            let d = try runProcess("age", ["-d", "-i", id, "site.key.age"], currentDirectory: ws.dir)
            #expect(d.status == 0, "\(d.stderrText)")
            #expect(d.stdout == original, "age -d -i \(id) gives the key file back exactly")
        }
        // A new random file key every time: sharing twice gives different files.
        #expect(try secured(["share", "site.key", "-r", theirs, "--out", "again.key.age"], in: ws.dir).status == 0)
        #expect(try secured(["share", "site.key", "-r", theirs, "--out", "again2.key.age"], in: ws.dir).status == 0)
        let first = try ws.read("again.key.age")
        let second = try ws.read("again2.key.age")
        #expect(first != second)
        // No recipient: refused, nothing written.
        let none = try secured(["share", "site.key", "--out", "none.key.age"], in: ws.dir)
        #expect(none.status == 2 && none.stderrText.contains("no recipient"))
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("none.key.age").path))
        let bad = try secured(["share", "site.key", "-r", "age1notarecipient", "--out", "bad.key.age"], in: ws.dir)
        #expect(bad.status == 2)
        // An identity file is never overwritten.
        let again = try secured(["identity", "--out", "ours.txt"], in: ws.dir)
        let unchanged = try ws.read("ours.txt")
        #expect(again.status == 1 && unchanged == identityText)
    }

    @Test(.enabled(if: required, "age is not installed"))
    func filesMadeByAgeLoadWithAnAgeKeygenIdentity() throws {
        let ws = try sealed()
        let recipient = try ageKeygen("id.txt", in: ws.dir)
        for (flags, name) in [(["-a"], "armored.key.age"), ([], "binary.key.age")] {
            let e = try runProcess("age", flags + ["-r", recipient, "-o", name, "site.key"], currentDirectory: ws.dir)
            #expect(e.status == 0, "\(e.stderrText)")
            let r = try secured(
                ["audit", "content", "--key", name, "--identity", "id.txt", "--require-signature"], in: ws.dir)
            #expect(r.status == 0, "\(name): \(r.stderrText)")
            #expect(!r.stderrText.contains("only public keys"), "\(name): the secret key was opened")
            // The same through SECURED_AGE_IDENTITY, and in a key folder.
            let env = try secured(
                ["open", "content/0.md", "--key", name], in: ws.dir,
                environment: ["SECURED_AGE_IDENTITY": try ws.read("id.txt")])
            #expect(env.status == 0 && env.stdoutText == "Body 0 ü.\n", "\(name): \(env.stderrText)")
        }
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent("Keys"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: ws.dir.appendingPathComponent("armored.key.age"), to: ws.dir.appendingPathComponent("Keys/site.key.age")
        )
        let pub = try secured(["pubkey", "site.key"], in: ws.dir)
        _ = try ws.write("Keys/site.pub", pub.stdoutText)
        let folder = try secured(["audit", "content", "--key", "Keys", "--identity", "id.txt"], in: ws.dir)
        #expect(folder.status == 0 && !folder.stderrText.contains("only public keys"), "\(folder.stderrText)")
        // Without an identity, a folder's .key.age is left alone: the public key verifies.
        let publicOnly = try secured(["audit", "content", "--key", "Keys", "--require-signature"], in: ws.dir)
        #expect(
            publicOnly.status == 0 && publicOnly.stderrText.contains("only public keys"), "\(publicOnly.stderrText)")
    }

    @Test(.enabled(if: required, "age is not installed"))
    func eitherOfTwoIdentitiesOpensItAndNeitherIsExitTwo() throws {
        let ws = try sealed()
        let a = try ageKeygen("a.txt", in: ws.dir)
        let b = try identity("b.txt", in: ws)
        _ = try ageKeygen("c.txt", in: ws.dir)
        _ = try ws.write("holders.txt", "# the holders\n\(a)\n\n\(b)\n")
        #expect(
            try secured(["share", "site.key", "-R", "holders.txt", "--out", "site.key.age"], in: ws.dir).status == 0)
        for id in ["a.txt", "b.txt"] {
            let r = try secured(["verify", "content", "--key", "site.key.age", "--identity", id], in: ws.dir)
            #expect(r.status == 0, "\(id): \(r.stderrText)")
        }
        let neither = try secured(["audit", "content", "--key", "site.key.age", "--identity", "c.txt"], in: ws.dir)
        #expect(neither.status == 2)
        #expect(
            neither.stderrText.contains("site.key.age") && neither.stderrText.contains("no identity given can open it"))
        let noIdentity = try secured(["audit", "content", "--key", "site.key.age"], in: ws.dir)
        #expect(noIdentity.status == 2 && noIdentity.stderrText.contains("--identity"))
        // A changed byte anywhere is refused (exit 2), never half-read.
        var bytes = [UInt8](try Data(contentsOf: ws.dir.appendingPathComponent("site.key.age")))
        bytes[bytes.count / 2] = bytes[bytes.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try Data(bytes).write(to: ws.dir.appendingPathComponent("damaged.key.age"))
        let damaged = try secured(["audit", "content", "--key", "damaged.key.age", "--identity", "a.txt"], in: ws.dir)
        #expect(damaged.status == 2, "\(damaged.stderrText)")
        // No identity, file key or key text in any message.
        let secrets =
            try ["a.txt", "b.txt", "c.txt"].map { try ws.read($0) }.flatMap {
                $0.split(separator: "\n").filter { $0.hasPrefix("AGE-SECRET-KEY-") }.map(String.init)
            } + ws.secretForms
        for r in [neither, noIdentity, damaged] {
            for s in secrets { #expect(!(r.stdoutText + r.stderrText).contains(s)) }
        }
    }

    @Test(.enabled(if: required, "age is not installed"))
    func reSharingReplacesTheFileAndDropsARemovedHolder() throws {
        let ws = try sealed()
        let a = try identity("a.txt", in: ws)
        let b = try ageKeygen("b.txt", in: ws.dir)
        #expect(try secured(["share", "site.key", "-r", a, "-r", b, "--out", "site.key.age"], in: ws.dir).status == 0)
        // A re-shares from the .key.age alone, without B.
        let r = try secured(
            ["share", "site.key.age", "--identity", "a.txt", "-r", a, "--out", "site.key.age", "--format", "json"],
            in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("\"replaced\" : true"))
        let dropped = try runProcess("age", ["-d", "-i", "b.txt", "site.key.age"], currentDirectory: ws.dir)
        #expect(dropped.status != 0, "B can no longer open the new file")
        let kept = try runProcess("age", ["-d", "-i", "a.txt", "site.key.age"], currentDirectory: ws.dir)
        let keyBytes = try Data(contentsOf: URL(fileURLWithPath: ws.keyPath))
        #expect(kept.stdout == keyBytes)
        // Re-sharing without an identity is refused and leaves the file as it was.
        let before = try ws.read("site.key.age")
        let refused = try secured(["share", "site.key.age", "-r", a, "--out", "site.key.age"], in: ws.dir)
        let now = try ws.read("site.key.age")
        // SPEC section 3: a .key.age that no identity opens is a configuration error, exit 2.
        #expect(refused.status == 2 && now == before)
        // The leftover temporary files of an atomic replace never stay.
        let names = try FileManager.default.contentsOfDirectory(atPath: ws.dir.path)
        #expect(!names.contains { $0.contains(".secured-tmp-") })
    }
}
