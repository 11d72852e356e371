import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Passphrase key files (SPEC 1.2 section 3) through the built tool: writing them, where the
/// passphrase comes from, and opening records with one beside the `.pub`.
@Suite("Passphrase key files: the tool", .serialized)
struct PassphraseKeyTests {
    static let phrase = "ample orbit velvet cactus harbor"
    static let driver = TestPaths.repositoryRoot.appendingPathComponent(
        "Tests/securedCLITests/Support/Passphrase/tty_drive.py"
    )
    .path
    static let env = ["SECURED_PASSPHRASE": phrase]

    /// A workspace with its key's .pub and two records sealed and signed (ed25519) with it.
    func sealed() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write("site.pub", ws.key.publicKey!.fileText)
        for k in 0..<2 { _ = try ws.write("content/\(k).md", "---\ntitle: \"\(k)\"\n---\nMembers only \(k) ü.\n") }
        #expect(try secured(["seal", "content", "--key", ws.keyPath], in: ws.dir).status == 0)
        return ws
    }

    func share(_ ws: Workspace, label: String = "members", environment: [String: String] = env) throws
        -> ProcessResult
    {
        try secured(
            ["share", "site.key", "--passphrase", "--label", label, "--out", "site.\(label).key.pw"], in: ws.dir,
            environment: environment)
    }

    /// Nothing a passphrase command prints holds the passphrase, a key's bytes or the wrapped line.
    func expectNoSecrets(_ r: ProcessResult, _ ws: Workspace, wrapped: String? = nil, _ what: String) {
        for text in [r.stdoutText, r.stderrText] {
            #expect(!text.contains(Self.phrase), "\(what) shows the passphrase")
            for form in ws.secretForms { #expect(!text.contains(form), "\(what) shows key bytes") }
            if let wrapped { #expect(!text.contains(wrapped), "\(what) shows the wrapped key") }
        }
    }

    @Test func shareWritesAPassphraseFileThatOpensRecordsBesideThePub() throws {
        let ws = try sealed()
        let r = try share(ws)
        #expect(r.status == 0, "\(r.stderrText)")
        expectNoSecrets(r, ws, "share")
        let path = ws.dir.appendingPathComponent("site.members.key.pw").path
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o644)  // meant to be published
        let lines = try ws.read("site.members.key.pw").split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0] == "untrusted comment: secured passphrase key site members")
        #expect(lines[1].hasPrefix("pbkdf2-sha256;600000;"))
        // The read-only part only: what it unwraps to has no mac and no sign.
        let inside = try PassphraseKeyFile(parsing: ws.read("site.members.key.pw")).unwrap(
            with: Passphrase(Self.phrase))
        #expect(inside.isReadOnly && inside.encryptionKey.hasSameBytes(as: ws.key.encryptionKey))

        let keys = ["--key", "site.members.key.pw", "--key", "site.pub"]
        let open = try secured(["open", "content/1.md"] + keys, in: ws.dir, environment: Self.env)
        #expect(open.status == 0, "\(open.stderrText)")
        #expect(open.stdoutText == "Members only 1 ü.\n")
        expectNoSecrets(open, ws, wrapped: lines[2], "open")
        let audit = try secured(["audit", "content", "--require-signature"] + keys, in: ws.dir, environment: Self.env)
        #expect(audit.status == 0, "\(audit.stderrText)")
        #expect(audit.stderrText.contains("2 passed"), "\(audit.stderrText)")
        let inspect = try secured(["inspect", "content/0.md"] + keys, in: ws.dir, environment: Self.env)
        #expect(inspect.status == 0 && inspect.stdoutText.contains("status: valid"), "\(inspect.stdoutText)")
        let textconv = try secured(["textconv", "content/0.md"] + keys, in: ws.dir, environment: Self.env)
        #expect(textconv.stdoutText.contains("Members only 0 ü."), "\(textconv.stdoutText)")
        // It cannot sign: a read-only key has no sign.
        let sign = try secured(
            ["sign", "content/0.md", "--key", "site.members.key.pw"], in: ws.dir, environment: Self.env)
        #expect(sign.status != 0)
    }

    @Test func aWrongPassphraseOrAChangedByteIsOneConfigurationError() throws {
        let ws = try sealed()
        #expect(try share(ws).status == 0)
        let text = try ws.read("site.members.key.pw")
        let keys = ["--key", "site.members.key.pw", "--key", "site.pub"]
        let wrong = try secured(
            ["open", "content/0.md"] + keys, in: ws.dir, environment: ["SECURED_PASSPHRASE": Self.phrase + "!"])
        #expect(wrong.status == 2)
        #expect(wrong.stderrText == "error: site.members.key.pw: wrong passphrase or damaged file\n")
        #expect(wrong.stdoutText.isEmpty)
        var salt = Array(text.utf8)
        let at = salt.firstIndex(of: UInt8(ascii: "\n"))! + 25  // inside the salt
        salt[at] = salt[at] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        _ = try ws.write("site.members.key.pw", String(decoding: salt, as: UTF8.self))
        let changed = try secured(["open", "content/0.md"] + keys, in: ws.dir, environment: Self.env)
        #expect(changed.status == 2)
        #expect(changed.stderrText == "error: site.members.key.pw: wrong passphrase or damaged file\n")
    }

    @Test func thePassphraseComesFromAFileTheVariableOrNowhere() throws {
        let ws = try sealed()
        _ = try ws.write("phrase.txt", Self.phrase + "\n")  // one line; its terminator is not part of it
        let viaFile = try secured(
            [
                "share", "site.key", "--passphrase", "--label", "m", "--passphrase-file", "phrase.txt", "--out",
                "m.key.pw",
            ],
            in: ws.dir)
        #expect(viaFile.status == 0, "\(viaFile.stderrText)")
        #expect(viaFile.stderrText.contains("note: this file is usually named site.m.key.pw"))
        let open = try secured(
            ["open", "content/0.md", "--key", "m.key.pw", "--key", "site.pub"], in: ws.dir, environment: Self.env)
        #expect(open.status == 0, "\(open.stderrText)")
        _ = try ws.write("two.txt", Self.phrase + "\nmore\n")
        let twoLines = try secured(
            ["open", "content/0.md", "--key", "m.key.pw", "--passphrase-file", "two.txt"], in: ws.dir)
        #expect(twoLines.status == 2 && twoLines.stderrText.contains("more than one line"), "\(twoLines.stderrText)")
        #expect(!twoLines.stderrText.contains(Self.phrase))

        // No terminal (a new session has none) and no other source: a usage error, nothing written.
        for args in [
            ["share", "site.key", "--passphrase", "--label", "x", "--out", "x.key.pw"],
            ["open", "content/0.md", "--key", "m.key.pw", "--key", "site.pub"],
        ] {
            let r = try runProcess(
                "setsid", ["-w", securedBinary] + args, removing: ["SECURED_PASSPHRASE", "SECURED_KEY"],
                currentDirectory: ws.dir)
            #expect(r.status == 2, "\(args): \(r.stderrText)")
            #expect(r.stderrText.contains("SECURED_PASSPHRASE"), "\(r.stderrText)")
        }
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("x.key.pw").path))
    }

    @Test func shortPassphrasesAreRefusedAndNothingIsWritten() throws {
        let ws = try sealed()
        #expect(try share(ws).status == 0)
        let before = try ws.read("site.members.key.pw")
        // Eleven characters (Unicode scalars) of two bytes each: refused, the file untouched.
        let short = try share(ws, environment: ["SECURED_PASSPHRASE": "ééééééééééé"])
        #expect(short.status == 2)
        #expect(short.stderrText.contains("at least 12"), "\(short.stderrText)")
        #expect(!short.stderrText.contains("ééé"))
        #expect(try ws.read("site.members.key.pw") == before)
        let fresh = try share(ws, label: "fresh", environment: ["SECURED_PASSPHRASE": "short"])
        #expect(fresh.status == 2)
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("site.fresh.key.pw").path))
        // Twelve is enough; writing again replaces the file, with a fresh salt and nonce.
        let twelve = try share(ws, environment: ["SECURED_PASSPHRASE": "éééééééééééé"])
        #expect(twelve.status == 0, "\(twelve.stderrText)")
        #expect(twelve.stderrText.hasPrefix("replaced site.members.key.pw"), "\(twelve.stderrText)")
        let after = try ws.read("site.members.key.pw")
        #expect(after != before)
        #expect(after.split(separator: "\n")[1] != before.split(separator: "\n")[1])
        // Bad combinations are usage errors.
        for args in [["--passphrase"], ["--label", "m"], ["--passphrase", "--label", "m", "--read-only"]] {
            let r = try secured(["share", "site.key", "--out", "y.key.pw"] + args, in: ws.dir, environment: Self.env)
            #expect(r.status == 2, "\(args)")
        }
        let badLabel = try secured(
            ["share", "site.key", "--passphrase", "--label", "a b", "--out", "y.key.pw"], in: ws.dir,
            environment: Self.env)
        #expect(badLabel.status == 2 && badLabel.stderrText.contains("label"))
    }

    @Test func aFolderLoadsItsPassphraseFilesOnlyWithAPassphraseAndPoliciesNameThem() throws {
        let ws = try sealed()
        try FileManager.default.createDirectory(
            at: ws.dir.appendingPathComponent("web"), withIntermediateDirectories: true)
        let r = try secured(
            ["share", "site.key", "--passphrase", "--label", "members", "--out", "web/site.members.key.pw"], in: ws.dir,
            environment: Self.env)
        #expect(r.status == 0, "\(r.stderrText)")
        _ = try ws.write("web/site.pub", ws.key.publicKey!.fileText)
        // Without a passphrase the folder holds a public key only: it verifies, cannot open.
        let publicOnly = try secured(["open", "content/0.md", "--key", "web"], in: ws.dir)
        #expect(publicOnly.status == 2 && publicOnly.stderrText.contains("public key"), "\(publicOnly.stderrText)")
        let withPhrase = try secured(["open", "content/0.md", "--key", "web"], in: ws.dir, environment: Self.env)
        #expect(withPhrase.status == 0 && withPhrase.stdoutText == "Members only 0 ü.\n", "\(withPhrase.stderrText)")
        // A policy's keys name a passphrase file by its bare name (not taken for a key id).
        for name in ["site.members.key.pw", "site.pub"] {
            try FileManager.default.copyItem(
                at: ws.dir.appendingPathComponent("web/\(name)"), to: ws.dir.appendingPathComponent("content/\(name)"))
        }
        _ = try ws.write("content/.secured.yaml", "keys: [site.members.key.pw, site.pub]\n")
        let policy = try secured(["audit", "content", "--require-signature"], in: ws.dir, environment: Self.env)
        #expect(policy.status == 0, "\(policy.stderrText)")
        #expect(policy.stderrText.contains("2 passed"), "\(policy.stderrText)")
        let noPhrase = try runProcess(
            "setsid", ["-w", securedBinary, "audit", "content"], removing: ["SECURED_PASSPHRASE", "SECURED_KEY"],
            currentDirectory: ws.dir)
        #expect(noPhrase.status == 2, "\(noPhrase.stderrText)")
        #expect(noPhrase.stderrText.contains("encrypted under a passphrase"), "\(noPhrase.stderrText)")
    }

    @Test(.enabled(if: programExists("python3"), "python3 drives the terminal"))
    func theTerminalIsAskedTwiceWhenWritingAndNothingIsEchoed() throws {
        let ws = try sealed()
        let write = try runProcess(
            "python3",
            [Self.driver, Self.phrase, Self.phrase, "--", securedBinary]
                + ["share", "site.key", "--passphrase", "--label", "tty", "--out", "site.tty.key.pw"],
            removing: ["SECURED_PASSPHRASE"], currentDirectory: ws.dir)
        #expect(write.status == 0, "\(write.stdoutText)")
        #expect(write.stdoutText.contains("Passphrase for site.tty.key.pw: "), "\(write.stdoutText)")
        #expect(write.stdoutText.contains("The same passphrase again: "))
        #expect(!write.stdoutText.contains(Self.phrase), "the terminal showed the passphrase")
        let open = try runProcess(
            "python3",
            [Self.driver, Self.phrase, "--", securedBinary]
                + ["open", "content/0.md", "--key", "site.tty.key.pw", "--key", "site.pub"],
            removing: ["SECURED_PASSPHRASE"], currentDirectory: ws.dir)
        #expect(open.status == 0, "\(open.stdoutText)")
        #expect(open.stdoutText.contains("Members only 0"))
        #expect(!open.stdoutText.contains(Self.phrase))
        let differ = try runProcess(
            "python3",
            [Self.driver, Self.phrase, Self.phrase + "x", "--", securedBinary]
                + ["share", "site.key", "--passphrase", "--label", "tty2", "--out", "site.tty2.key.pw"],
            removing: ["SECURED_PASSPHRASE"], currentDirectory: ws.dir)
        #expect(differ.status == 2 && differ.stdoutText.contains("differ"), "\(differ.stdoutText)")
        #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("site.tty2.key.pw").path))
        // A passphrase too short is said after the first typing, not after the second.
        let short = try runProcess(
            "python3",
            [Self.driver, "too short", "--", securedBinary]
                + ["share", "site.key", "--passphrase", "--label", "tty3", "--out", "site.tty3.key.pw"],
            removing: ["SECURED_PASSPHRASE"], currentDirectory: ws.dir)
        #expect(short.status == 2 && short.stdoutText.contains("takes at least 12"), "\(short.stdoutText)")
        #expect(!short.stdoutText.contains("The same passphrase again"), "\(short.stdoutText)")
    }
    @Test func theReadmeDemoOpensWithThePublicDemoPassphrase() throws {
        let script = try readmeShellBlock(after: "members-demo:")
        #expect(script.contains("open sesame for demo members"))
        let r = try runProcess(
            "/bin/bash", ["-e", "-c", script], environment: ["PATH": Self.path],
            removing: ["SECURED_KEY", "SECURED_PASSPHRASE"], currentDirectory: TestPaths.repositoryRoot)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("# City source record camera key ruling model city"), "\(r.stdoutText)")
        #expect(r.stderrText.contains("opened with key demo (signature valid, key demo)"), "\(r.stderrText)")
    }

    /// `secured` first on the PATH.
    static let path =
        URL(fileURLWithPath: securedBinary).deletingLastPathComponent().path + ":"
        + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
}
