import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured seal`, and the round trip through `open`, `sign` and `verify` it starts.
@Suite("seal: records sealed and signed, refused when they cannot be", .serialized)
struct SealTests {
    @Test("seal, open, sign and verify round-trip a record; a blank record is refused")
    func sealOpenSignVerifyRoundTrip() throws {
        let ws = try Workspace()
        _ = try ws.write("posts/a.md", plainRecord)
        _ = try ws.write("posts/blank.md", "---\ntitle: t\n---\n\n")
        let dry = try secured(["seal", "posts/a.md", "--key", ws.keyPath, "--dry-run"], in: ws.dir)
        #expect(dry.status == 0)
        #expect(dry.stderrText.contains("would be sealed"))
        #expect(try ws.read("posts/a.md") == plainRecord)

        let seal = try secured(["seal", "posts", "--key", ws.keyPath], in: ws.dir)
        #expect(seal.status == 1, "blank.md is refused")
        #expect(seal.stdout.isEmpty)
        #expect(seal.stderrText.contains("posts/a.md: sealed and signed with cli"))
        #expect(seal.stderrText.contains("posts/blank.md: error: nothing to seal"))
        #expect(try ws.read("posts/blank.md") == "---\ntitle: t\n---\n\n")

        let open = try secured(["open", "posts/a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(open.status == 0)
        #expect(open.stdoutText == "\nThe secret body text, line one.\nLine two.\n")
        #expect(open.stderrText.contains("signature valid"))

        let verify = try secured(["verify", "posts/a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(verify.status == 0)
        #expect(verify.stdoutText == "posts/a.md: signature valid (key cli)\n", "the verdict is the report: stdout")
        let unsigned = try secured(["verify", "posts/blank.md", "--key", ws.keyPath], in: ws.dir)
        #expect(unsigned.status == 1)
        #expect(unsigned.stdoutText.contains("SR008"))

        let sign = try secured(["sign", "posts/blank.md", "--key", ws.keyPath], in: ws.dir)
        #expect(sign.status == 0)
        let ambiguous = "---\nt: 1\nsignature: \"a\"\nsignature: \"b\"\n---\n"
        _ = try ws.write("twice.md", ambiguous)
        let badSign = try secured(["sign", "twice.md", "--key", ws.keyPath], in: ws.dir)
        #expect(badSign.status == 1)
        #expect(badSign.stderrText.contains("twice.md:4: error: SR009"))
        #expect(try ws.read("twice.md") == ambiguous)
        #expect(try secured(["verify", "posts", "--key", ws.keyPath], in: ws.dir).status == 0)

        let inPlace = try secured(["open", "posts/a.md", "--key", ws.keyPath, "--in-place"], in: ws.dir)
        #expect(inPlace.status == 0)
        #expect(try ws.read("posts/a.md") == plainRecord)
    }

    @Test func sealingManyRecordsPrintsASummaryNotALineEach() throws {
        // As seen: seal on 20,000 records printed 20,000 lines.
        let ws = try Workspace()
        for i in 0..<60 { _ = try ws.write("c/\(i).md", "---\ntitle: t\(i)\n---\nbody \(i)\n") }
        let quiet = try secured(["seal", "c", "--key", ws.keyPath], in: ws.dir)
        #expect(quiet.status == 0)
        #expect(quiet.stderrText.split(separator: "\n").count == 1, "\(quiet.stderrText)")
        #expect(quiet.stderrText.contains("seal: 60 records: 60 sealed"))
        let verbose = try secured(["sign", "c", "--key", ws.keyPath, "--verbose", "--hmac"], in: ws.dir)
        #expect(verbose.stderrText.split(separator: "\n").filter { $0.hasSuffix(": signed with cli") }.count == 60)
    }

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

    @Test func fileNamesThatAreNotUTF8AreReadCheckedAndWritten() throws {
        let ws = try Workspace()
        _ = try ws.write("k/placeholder", "")
        let name = "$(printf 'caf\\351.md')"  // "café.md" in Latin-1: not UTF-8
        let script = """
            set -e
            printf -- '---\\ntitle: t\\n---\\nsecret body\\n' > "\(name)"
            "$S" seal "\(name)" --key "$K"
            "$S" audit . --include '*.md' --key "$K" --require-signature --format json > audit.json
            "$S" open "\(name)" --key "$K"
            # The file kept its byte name: sealing wrote no second file beside it.
            test -f "\(name)" && [ "$(ls | grep -c caf)" = 1 ]
            """
        let r = try runProcess(
            "sh", ["-c", script], environment: ["S": securedBinary, "K": ws.keyPath], currentDirectory: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stderrText.contains("caf\\xE9.md: sealed and signed"), "\(r.stderrText)")
        #expect(r.stdoutText == "secret body\n")
        let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: ws.dir.appendingPathComponent("audit.json")))
        #expect((doc as? [String: Any])?["recordsPassed"] as? Int == 1)
    }
}
