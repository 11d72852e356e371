import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// The day after the first hour: traps a new user met, each reproduced as it was seen.
@Suite("The first day: what a new user still trips on", .serialized)
struct FirstDayTests {
    @Test func anUnsignedRecordDoesNotPassQuietly() throws {
        // As seen: with no policy, `audit _posts --key Keys/blog.pub` on a corpus where one
        // record's signature line was deleted and its title changed printed "5 records
        // checked, 5 passed" and exit 0, with no word about the unsigned record.
        let ws = try Workspace()
        for i in 1...5 { _ = try ws.write("_posts/p\(i).md", "---\ntitle: \"P\(i)\"\n---\nBody \(i).\n") }
        #expect(try secured(["seal", "_posts", "--key", ws.keyPath], in: ws.dir).status == 0)
        let pub = try ws.write("Keys/cli.pub", ws.key.publicKey!.fileText)
        let text = try ws.read("_posts/p3.md").split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("signature:") }.joined(separator: "\n")
        _ = try ws.write("_posts/p3.md", text.replacing("title: \"P3\"", with: "title: \"Changed\""))
        let r = try secured(["audit", "_posts", "--key", pub], in: ws.dir)
        #expect(r.status == 0, "no requirement: it passes, but says so")
        #expect(
            r.stderrText.contains(
                "note: 1 record carries no signature (_posts/p3.md): it was not verified; --require-signature"),
            "\(r.stderrText)")
        let json = try secured(["audit", "_posts", "--key", pub, "--format", "json"], in: ws.dir)
        #expect(json.stdoutText.contains("\"kind\":\"unsignedRecords\""), "\(json.stdoutText)")
        let sarif = try secured(["audit", "_posts", "--key", pub, "--format", "sarif"], in: ws.dir)
        #expect(sarif.stdoutText.contains("1 record carries no signature"))
        let github = try secured(["audit", "_posts", "--key", pub, "--format", "github"], in: ws.dir)
        #expect(github.stdoutText.contains("::warning title=secured%3A unsignedRecords::1 record carries no signature"))
        // Without any key nothing could verify it: that is the other note, not this one.
        let keyless = try secured(["audit", "_posts"], in: ws.dir)
        #expect(!keyless.stderrText.contains("carries no signature"), "\(keyless.stderrText)")
        // With the requirement it is SR008, and no note besides.
        let required = try secured(["audit", "_posts", "--key", pub, "--require-signature"], in: ws.dir)
        #expect(required.status == 1 && required.stdoutText.contains("_posts/p3.md: error: SR008"))
        #expect(!required.stderrText.contains("carries no signature"))
    }
}
