import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Messages that guess the mistake a new user makes (a path in SECURED_KEY, a mistyped command, a
/// policy key that does not exist, a key that cannot verify), say counts of one in the singular,
/// and use colour only on a terminal.
@Suite("Messages: the likely mistake named, singular counts, quiet, colour", .serialized)
struct MessageTests {
    static let demoKey = TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.key").path

    @Test func secured_keyHoldingAPathSaysSoAndShowsTheFix() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        let r = try secured(["audit", "a.md"], in: ws.dir, environment: ["SECURED_KEY": "cli.key"])
        #expect(r.status == 2)
        #expect(
            r.stderrText.contains(
                "$SECURED_KEY: looks like a path (cli.key): SECURED_KEY holds a key file's text, not its path; use SECURED_KEY=\"$(cat cli.key)\", or --key cli.key"
            ), "\(r.stderrText)")
        // One line that is not a path is never quoted back (it could be key bytes).
        let other = try secured(["audit", "a.md"], in: ws.dir, environment: ["SECURED_KEY": "c2VjcmV0/Ynl0ZXM="])
        #expect(other.status == 2 && !other.stderrText.contains("c2VjcmV0"), "\(other.stderrText)")
        #expect(other.stderrText.contains("SECURED_KEY=\"$(cat Keys/<id>.key)\""))
    }

    @Test func aPolicyKeyFileThatDoesNotExistNamesThePolicyLine() throws {
        let ws = try Workspace()
        _ = try ws.write("content/a.md", "---\ntitle: a\n---\nbody\n")
        _ = try ws.write(".secured.yaml", "exclude: [\"*.key\"]\nkeys:\n  - Keys/site.pub\n")
        let r = try secured(["audit", "content"], in: ws.dir)
        #expect(r.status == 2)
        #expect(
            r.stderrText.contains(".secured.yaml:3: 'keys' names the key file Keys/site.pub, which does not exist"),
            "\(r.stderrText)")
    }

    @Test func countsOfOneAreSingular() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        let seal = try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(seal.stderrText.contains("seal: 1 record:"), "\(seal.stderrText)")
        let verify = try secured(["verify", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(verify.stderrText.contains("verify: 1 record: 1 valid"), "\(verify.stderrText)")
        _ = try ws.write("b.md", "no front matter\n")
        let audit = try secured(["audit", "b.md"], in: ws.dir)
        #expect(
            audit.stderrText.contains("audit: 1 record checked, 0 passed, 1 failed; 1 error, 0 warnings"),
            "\(audit.stderrText)")
    }

    @Test func aMistypedCommandGetsADidYouMean() throws {
        // As seen: `secured seel` gave no "did you mean seal".
        let ws = try Workspace()
        let r = try secured(["seel", "a.md"], in: ws.dir)
        #expect(r.status == 2)
        #expect(r.stderrText.contains("Did you mean 'secured seal'?"), "\(r.stderrText)")
        #expect(try secured(["audti", "."], in: ws.dir).stderrText.contains("Did you mean 'secured audit'?"))
        #expect(!(try secured(["zzzzzzzz"], in: ws.dir)).stderrText.contains("Did you mean"))
    }

    @Test func wrongKeyMessagesSayWhatWasGivenAndAHintIsShownOnce() throws {
        // As seen: SR010 said "no public key ... with that id was supplied" when the read-only
        // key of that very id was; the same hint was repeated for every record.
        let ws = try Workspace()
        for i in 1...3 { _ = try ws.write("c/\(i).md", "---\ntitle: t\(i)\n---\nbody \(i)\n") }
        #expect(try secured(["seal", "c", "--key", ws.keyPath], in: ws.dir).status == 0)
        #expect(
            try secured(["share", ws.keyPath, "--read-only", "--out", "cli.readonly.key"], in: ws.dir).status == 0)
        let r = try secured(["audit", "c", "--key", "cli.readonly.key"], in: ws.dir)
        #expect(r.status == 1)
        #expect(
            r.stdoutText.contains(
                "the key given with that id decrypts but cannot verify (a read-only or passphrase key): give its public key too, cli.pub (keys given: cli (read-only key))"
            ), "\(r.stdoutText)")
        #expect(r.stdoutText.components(separatedBy: "  hint: ").count == 2, "one hint line: \(r.stdoutText)")
        #expect(r.stdoutText.contains("(the SR010 hint above applies to all 3 such SR010 findings"))
        let json = try secured(["audit", "c", "--key", "cli.readonly.key", "--format", "json"], in: ws.dir)
        #expect(json.stdoutText.components(separatedBy: "\"hint\"").count == 4, "JSON keeps every finding's hint")
    }

    @Test func colourOnATerminalOnlyAndNeverWithNOCOLOR() throws {
        // As asked: NO_COLOR-aware colour on a terminal for errors, warnings and hints.
        let ws = try Workspace()
        _ = try ws.write("README.md", "# Site\n")
        let command = "\(ShellWord.quoted(securedBinary)) seal README.md --key \(ShellWord.quoted(ws.keyPath))"
        let tty = try runProcess(
            "script", ["-qec", command, "/dev/null"], environment: ["TERM": "xterm"], removing: ["NO_COLOR"],
            currentDirectory: ws.dir)
        #expect(tty.stdoutText.contains("\u{1B}[1;31merror\u{1B}[0m: SR001"), "\(tty.stdoutText)")
        #expect(tty.stdoutText.contains("\u{1B}[36mhint\u{1B}[0m: "))
        let plain = try runProcess(
            "script", ["-qec", command, "/dev/null"], environment: ["TERM": "xterm", "NO_COLOR": "1"],
            currentDirectory: ws.dir)
        #expect(plain.stdoutText.contains("README.md:1: error: SR001") && !plain.stdoutText.contains("\u{1B}["))
        let pipe = try secured(["seal", "README.md", "--key", ws.keyPath], in: ws.dir)
        #expect(!pipe.stderrText.contains("\u{1B}["), "no colour into a pipe")
    }
}

/// No message of any command, on any failure, holds a key's bytes or a sealed record's plaintext.
@Suite("Messages never show key bytes or plaintext", .serialized)
struct SecretsInMessagesTests {
    @Test func noKeyBytesOrPlaintextInAnyMessage() throws {
        let ws = try Workspace()
        let secretText = "TOP-SECRET-PLAINTEXT-7f3a"
        _ = try ws.write("k/a.md", "---\ntitle: t\n---\n\(secretText)\n")
        _ = try ws.write("k/b.md", "---\ntitle: t\n---\n\(secretText) two\n")
        let runs: [[String]] = [
            ["seal", "k", "--key", ws.keyPath],
            ["sign", "k", "--key", ws.keyPath],
            ["verify", "k", "--key", ws.keyPath],
            ["audit", "k", "--key", ws.keyPath],
            ["audit", "k", "--key", ws.keyPath, "--format", "json"],
            ["audit", "k", "--key", ws.keyPath, "--format", "junit"],
            ["audit", "k", "--key", ws.keyPath, "--format", "github"],
            ["inspect", "k/a.md", "--key", ws.keyPath],
            ["manifest", "build", "k", "--key", ws.keyPath],
            ["manifest", "check", "k/MANIFEST.sha256", "--key", ws.keyPath],
            ["open", "k/a.md", "--key", ws.keyPath],
            ["keygen", "--id", "x", "--out", "x.key"],
        ]
        var outputs: [(String, String, Bool)] = []
        for args in runs {
            let r = try secured(args, in: ws.dir)
            // `open` prints the content on stdout by design; everything else, and every stderr, must not.
            outputs.append((args.joined(separator: " "), r.stdoutText, args.first == "open"))
            outputs.append((args.joined(separator: " ") + " (stderr)", r.stderrText, false))
        }
        // Failing runs too: wrong key, tampered record.
        let other = try Workspace(keyID: "cli")
        let wrong = try secured(["open", "k/a.md", "--key", other.keyPath], in: ws.dir)
        outputs.append(("open with wrong key", wrong.stdoutText + wrong.stderrText, false))
        let env = try secured(["audit", "k"], in: ws.dir, environment: ["SECURED_KEY": ws.key.keyFileText()])
        outputs.append(("audit with SECURED_KEY", env.stdoutText + env.stderrText, false))
        for (label, text, mayHoldPlaintext) in outputs {
            for secret in ws.secretForms { #expect(!text.contains(secret), "key bytes in \(label)") }
            if !mayHoldPlaintext { #expect(!text.contains(secretText), "plaintext in \(label)") }
        }
    }
}
