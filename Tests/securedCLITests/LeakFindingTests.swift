import Foundation
import SecuredRecords
import TestSupport
import Testing

/// `secured leaks`: regressions for a security tester's findings, run as they were found.
@Suite("secured leaks: tester's findings")
struct LeakFindingTests {
    static func text(_ range: Range<Int>) -> String { LeakTests.text(range) }

    /// F1: with the default corpus `.`, a copy in `_drafts/` made the sealed post public, so
    /// `jekyll build && secured leaks --key K _site` passed with the post in the feed.
    @Test func aDraftCopyInTheDefaultCorpusHidesNothing() throws {
        let ws = try LeakTests.corpus()
        _ = try ws.write("_drafts/copy.md", "---\ntitle: draft\n---\n\(Self.text(0..<60))\n")
        _ = try ws.write("_site/feed.xml", "<feed><entry><content>\(Self.text(0..<60))</content></entry></feed>\n")
        let r = try secured(["leaks", "-q", "--key", ws.keyPath, "_site"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let files = r.stdoutText.split(separator: "\n").filter { $0.contains(": error: SR020") }
            .map { String($0.prefix { $0 != ":" }) }
        #expect(files.sorted() == ["_drafts/copy.md", "_site/feed.xml"], "\(r.stdoutText)")
    }
}
