import Foundation
import TestSupport
import Testing

/// What a policy file added by a stranger can and cannot do (found by a red-team pass).
@Suite("Policies added in a pull request")
struct NestedPolicyTests {
    /// As a stranger found it: a `.secured.yaml` added in a pull request beside the records it
    /// tampered with, holding `ignore: [SR008, SR010, SR011]`, made the audit pass with
    /// `--require-signature` on the command line and said nothing.
    @Test func aNestedPolicyCannotSilentlyHideTampering() throws {
        let ws = try Workspace()
        _ = try ws.write("c/news/a.md", "---\ntitle: a\n---\nbody\n")
        _ = try ws.write("c/news/b.md", "---\ntitle: b\n---\nbody\n")
        #expect(try secured(["seal", "c/news/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let sealed = try ws.read("c/news/a.md")
        _ = try ws.write("c/news/a.md", sealed.replacingOccurrences(of: "title: a", with: "title: forged"))
        let args = ["audit", "c", "--require-signature", "--key", ws.keyPath, "--format", "json"]
        let before = try secured(args, in: ws.dir)
        #expect(before.status == 1 && before.stdoutText.contains("SR011") && before.stdoutText.contains("SR008"))
        _ = try ws.write("c/news/.secured.yaml", "ignore: [SR008, SR010, SR011, SR015]\n")
        let after = try secured(args, in: ws.dir)
        // The command line's requirement stands: no signature finding is hidden by a policy.
        #expect(after.status == 1, "\(after.stderrText)")
        #expect(after.stdoutText.contains("\"SR008\"") && after.stdoutText.contains("\"SR011\""), "\(after.stdoutText)")
        // What the policy does hide (none of them errors here) is not a note; the
        // signature codes it lists are not hidden.
        let doc = try JSONSerialization.jsonObject(with: after.stdout) as? [String: Any]
        let notes = (doc?["notes"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "policyIgnoresErrors" }
        #expect(notes.isEmpty, "\(after.stdoutText)")
        // Without the requirement, the policy may hide them, and the report says so.
        let loose = try secured(["audit", "c", "--key", ws.keyPath, "--format", "json"], in: ws.dir)
        let looseDoc = try JSONSerialization.jsonObject(with: loose.stdout) as? [String: Any]
        let looseNotes = (looseDoc?["notes"] as? [[String: Any]] ?? []).filter {
            $0["kind"] as? String == "policyIgnoresErrors"
        }
        #expect(looseNotes.first?["path"] as? String == "c/news/.secured.yaml", "\(loose.stdoutText)")
        let message = looseNotes.first?["message"] as? String
        #expect(message?.contains("hides SR008, SR010, SR011 ") == true, "\(loose.stdoutText)")
    }
}

/// Found by a stranger: `share` given a file that is not a secret key exited 1.
@Suite("share: a key file that cannot be used is a configuration error")
struct ShareKeyFileTests {
    @Test func aFileThatIsNotASecretKeyExitsTwo() throws {
        let ws = try Workspace()
        _ = try ws.write("not-a.key", "untrusted comment: secured passphrase key x y\nnope\n")
        for extra in [["--read-only"], ["-r", "age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"]] {
            let r = try secured(["share", "not-a.key", "--out", "out.key"] + extra, in: ws.dir)
            #expect(r.status == 2, "\(extra): \(r.stderrText)")
            #expect(r.stderrText.contains("not a secret key file"), "\(r.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("out.key").path))
        }
    }
}

/// Found by a stranger: the read-only key a front end holds could seal records (unsigned, a
/// signature they had dropped), and the diff driver showed them like signed ones.
@Suite("A read-only key cannot make records that look vouched for")
struct ReadOnlySealingTests {
    @Test func sealRefusesAKeyThatCannotSignUnlessAskedAndTextconvMarksUnsigned() throws {
        let ws = try Workspace()
        #expect(try secured(["share", ws.keyPath, "--read-only", "--out", "ro.key"], in: ws.dir).status == 0)
        let plain = "---\ntitle: a\n---\nforged body\n"
        _ = try ws.write("a.md", plain)
        let refused = try secured(["seal", "a.md", "--key", "ro.key"], in: ws.dir)
        #expect(refused.status == 2, "\(refused.stderrText)")
        #expect(refused.stderrText.contains("--no-sign"), "\(refused.stderrText)")
        #expect(try ws.read("a.md") == plain, "nothing written")
        let unsigned = try secured(["seal", "a.md", "--key", "ro.key", "--no-sign"], in: ws.dir)
        #expect(unsigned.status == 0, "\(unsigned.stderrText)")
        let diff = try secured(["textconv", "a.md", "--key", "ro.key"], in: ws.dir)
        #expect(diff.status == 0)
        #expect(diff.stdoutText.contains("forged body"))
        #expect(
            diff.stdoutText.contains("[secured textconv: opened, but unsigned: not authenticated"), "\(diff.stdoutText)"
        )
        // A signed record opens with no such marker.
        _ = try ws.write("b.md", plain)
        #expect(try secured(["seal", "b.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let signed = try secured(["textconv", "b.md", "--key", ws.keyPath], in: ws.dir)
        #expect(signed.stdoutText.contains("forged body") && !signed.stdoutText.contains("unsigned"))
    }
}

/// Found by a stranger: `sign` signed records whose `secured` value `open` then refuses
/// (an anchor, a tag, a trailing comment: SR004), so verify said "valid" for an unopenable record.
@Suite("sign refuses a blob no reader opens")
struct SignMalformedBlobTests {
    @Test(arguments: ["&a \"BLOB\"", "!!str \"BLOB\"", "\"BLOB\" # c"])
    func signRefusesASecuredValueThatIsNotLiteral(_ spelling: String) throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath, "--no-sign"], in: ws.dir).status == 0)
        let sealed = try ws.read("a.md")
        let blob = sealed.split(separator: "\"")[1]
        let odd = sealed.replacingOccurrences(
            of: "\"\(blob)\"", with: spelling.replacingOccurrences(of: "BLOB", with: String(blob)))
        _ = try ws.write("a.md", odd)
        let r = try secured(["sign", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(r.status == 1, "\(spelling): \(r.stderrText)")
        #expect(r.stderrText.contains("SR004"), "\(r.stderrText)")
        #expect(try ws.read("a.md") == odd, "nothing written")
    }
}

/// Found by a stranger writing a reader from the spec: `open` with a read-only key of another
/// id and the signer's public key said "decryption failed (bad padding) with key 'vec'",
/// although no key that decrypts 'vec' was given and nothing was decrypted.
@Suite("open: a verified record with no key that decrypts it")
struct VerifiedButNoDecryptionKeyTests {
    @Test func saysWhichKeyIsMissingNotBadPadding() throws {
        let dir = ReaderVectors.directory
        let args = [
            "open", "records/ed25519.md", "--key", "keys/other.readonly.key", "--key", "keys/vec.pub",
        ]
        let r = try secured(args, in: dir)
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(r.stdout.isEmpty)
        #expect(r.stderrText.contains("no key that decrypts 'vec' was supplied"), "\(r.stderrText)")
        #expect(!r.stderrText.contains("bad padding"), "\(r.stderrText)")
        // With the signer's read-only key it opens.
        let ok = try secured(
            ["open", "records/ed25519.md", "--key", "keys/vec.readonly.key", "--key", "keys/vec.pub"], in: dir)
        #expect(ok.status == 0, "\(ok.stderrText)")
    }
}

/// Found by a stranger: a 15 MiB record whose front matter is all empty lines made one audit
/// job take 573 MB (a stored `Line` of 32 bytes a line, and its array's growth), 36 times the
/// file. Lines are now offsets of 4 bytes. Memory, unlike time, is steady enough to bound.
@Suite("A front matter of millions of lines stays small")
struct ManyLinesMemoryTests {
    @Test func fifteenMebibytesOfEmptyLinesStayUnderTenTimesTheFile() throws {
        let ws = try Workspace()
        let size = 15 * 1024 * 1024
        let text = "---\n" + String(repeating: "\n", count: size) + "---\nx\n"
        _ = try ws.write("n.md", text)
        let binary = securedBinary
        let script = """
            import resource, subprocess, sys
            r = subprocess.run([sys.argv[1], "audit", "n.md", "--no-policy"], capture_output=True)
            print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let r = try runProcess("/usr/bin/env", ["python3", "-c", script, binary], currentDirectory: ws.dir)
        let fields = r.stdoutText.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(fields.count == 2 && fields[0] == 0, "\(r.stdoutText) \(r.stderrText)")
        let peakKB = fields.last ?? .max
        #expect(peakKB < 10 * size / 1024, "peak RSS \(peakKB) KB for a \(size / 1024) KB record")
    }
}

/// Found by a stranger writing a reader from the spec: SPEC section 9 returns content that
/// is not UTF-8 with the warning SR013; `secured open` wrote the bytes without a word.
@Suite("open: content that is not UTF-8 comes with SR013")
struct OpenNotUTF8Tests {
    @Test func theWarningIsSaidInTextAndJSON() throws {
        let dir = ReaderVectors.directory
        let args = ["open", "records/not-utf8-content.md", "--key", "keys/vec.key"]
        let text = try secured(args, in: dir)
        #expect(text.status == 0, "\(text.stderrText)")
        #expect(text.stderrText.contains("records/not-utf8-content.md: warning: SR013 "), "\(text.stderrText)")
        let json = try secured(args + ["--format", "json"], in: dir)
        let doc = try JSONSerialization.jsonObject(with: json.stdout) as? [String: Any]
        #expect(doc?["warnings"] as? [String] == ["SR013"], "\(json.stdoutText)")
        let plain = try secured(["open", "records/ed25519.md", "--key", "keys/vec.key", "--format", "json"], in: dir)
        let plainDoc = try JSONSerialization.jsonObject(with: plain.stdout) as? [String: Any]
        #expect(plainDoc?["warnings"] as? [String] == [], "\(plain.stdoutText)")
    }
}
