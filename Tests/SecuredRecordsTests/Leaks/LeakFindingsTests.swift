import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Regressions for a security tester's findings on the leak audit (SPEC 1.3 section 10),
/// each built the way it was found.
@Suite("Leak audit: tester's findings")
struct LeakFindingsTests {
    static let sealedWords = distinctWords(60)
    static func text(_ range: Range<Int>) -> String { sealedWords[range].joined(separator: " ") }

    /// An unsealed draft copy (Jekyll's `_drafts/`, Hugo's `draft: true`, Jekyll's
    /// `published: false`) made the sealed text public: the feed and the draft went unreported.
    @Test func draftsAreNotPublicAndAreSearched() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<60))
        try fx.write("posts/_drafts/copy.md", "---\ntitle: d\n---\n\(Self.text(0..<60))\n")
        try fx.write("posts/hugo.md", "---\ntitle: h\ndraft: true\n---\n\(Self.text(0..<30))\n")
        try fx.write("posts/jekyll.md", "---\ntitle: j\npublished: false # not yet\n---\n\(Self.text(30..<60))\n")
        // A partial copy in a draft cuts nothing either: the feed's run is whole.
        try fx.write("posts/_drafts/part.md", "---\ntitle: p\n---\n\(Self.text(20..<28))\n")
        try fx.write("site/feed.xml", "<feed><entry><content>\(Self.text(0..<60))</content></entry></feed>\n")
        let report = try fx.run(["site"])
        let found = fx.leaks(report)
        #expect(
            found.map(\.0).sorted() == [
                "posts/_drafts/copy.md", "posts/hugo.md", "posts/jekyll.md", "site/feed.xml",
            ], "\(found)")
        #expect(found.first { $0.0 == "site/feed.xml" }?.2 == 60)
        #expect(report.recordsPublic == 0)
        // Published ones still are public.
        try fx.write("posts/hugo.md", "---\ntitle: h\ndraft: false\n---\n\(Self.text(0..<60))\n")
        try fx.write("posts/jekyll.md", "---\ntitle: j\npublished: true\n---\n\(Self.text(30..<60))\n")
        try FileManager.default.removeItem(atPath: fx.path("posts/_drafts"))
        let published = fx.leaks(try fx.run(["site"]))
        #expect(published.isEmpty, "\(published)")
    }

    /// A record a policy requires sealed is plaintext only until it is sealed.
    @Test func aRecordThePolicyRequiresSealedIsNotPublic() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<60))
        try fx.write(".secured.yaml", "require-secured: [\"posts/private/**\"]\n")
        try fx.write("posts/private/b.md", "---\ntitle: b\n---\n\(Self.text(0..<30))\n")
        try fx.write("site/feed.xml", "<feed>\(Self.text(0..<30))</feed>\n")
        #expect(fx.leaks(try fx.run(["site"])).isEmpty)  // no policy: b.md is public
        var options = LeakOptions()
        options.policies = PolicyResolver(base: nil, workingDirectory: FileManager.default.currentDirectoryPath)
        let found = fx.leaks(try fx.run(["site"], options: options))
        #expect(found.map(\.0).sorted() == ["posts/private/b.md", "site/feed.xml"], "\(found)")
    }
}

extension LeakFindingsTests {
    /// A `<` then a letter hid everything up to the next `>`, in any file and after JSON
    /// decoding: a public title `When i<n` in a search index hid the sealed post after it.
    @Test func aLessThanSignOutsideMarkupHidesNothing() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<40))
        let post = Self.text(0..<40)
        // As Hugo's jsonify writes it (`<` and `>` as \u003c and \u003e).
        try fx.write(
            "site/index.json",
            "[{\"title\":\"When i\\u003cn\",\"content\":\"A loop.\"},{\"title\":\"Harbour\",\"content\":\"\(post)\"},{\"title\":\"North -\\u003e south\",\"content\":\"Maps.\"}]\n"
        )
        try fx.write("site/notes.txt", "if a<b then\n\(post)\nand c>d\n")
        try fx.write("site/app.js", "if (a<b) { s = \"\(post)\"; t = c>d }\n")
        // Markup still has tags: HTML inside a JSON string, and a page.
        try fx.write("site/search.json", "[{\"c\":\"<p class=\\\"x\\\">\(post)</p>\"}]\n")
        try fx.write("site/page.html", "<p>if i&lt;n then</p><p>\(post)</p><p>c&gt;d</p>\n")
        let found = fx.leaks(try fx.run(["site"]))
        #expect(
            found.map(\.0).sorted() == [
                "site/app.js", "site/index.json", "site/notes.txt", "site/page.html", "site/search.json",
            ], "\(found)")
        for leak in found { #expect(leak.2 == 40, "\(leak)") }
    }
}

extension LeakFindingsTests {
    /// The sealed text has its link destinations left out, a scanned Markdown file kept
    /// them: an exact copy of a post with a link every few words was cut into short pieces.
    @Test func aVerbatimCopyOfAPostWithLinksIsFound() throws {
        let fx = try LeakFixture()
        let w = Self.sealedWords
        var body = ""
        for k in stride(from: 0, to: 40, by: 4) {
            body += "\(w[k]) [\(w[k + 1]) \(w[k + 2])](https://example.org/\(w[50]) \"\(w[51])\") \(w[k + 3])\n"
        }
        try fx.sealed("roundup.md", body)
        try fx.write("notes/roundup-draft.md", "---\ntitle: roundup\n---\n\(body)")
        try fx.write("notes/roundup-body.txt", body)
        try fx.write(
            "notes/search.json",
            "[{\"raw\":\"\(body.replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n"))\"}]"
        )
        let found = fx.leaks(try fx.run(["notes"]))
        #expect(
            found.map(\.0).sorted() == ["notes/roundup-body.txt", "notes/roundup-draft.md", "notes/search.json"],
            "\(found)")
        for leak in found { #expect(leak.2 == 40, "\(leak)") }
    }
}

extension LeakFindingsTests {
    /// An 8-word quote in a public post cut a 16-word leak into pieces under the
    /// threshold (and k quotes hid 11 + 5k words); a run is judged as a whole.
    @Test func aPublicQuoteDoesNotCutALeak() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<60))
        try fx.write("posts/public.md", "---\ntitle: p\n---\nAs the members' post puts it: \"\(Self.text(4..<12))\".\n")
        try fx.write(
            "posts/quotes.md",
            "---\ntitle: q\n---\nQuotes: \"\(Self.text(24..<32))\" and \"\(Self.text(29..<37))\" and \"\(Self.text(34..<42))\" and \"\(Self.text(39..<47))\".\n"
        )
        try fx.write("site/leak.txt", Self.text(0..<16) + "\n")
        try fx.write("site/four.txt", Self.text(20..<51) + "\n")
        // Public words at a run's ends are left out of it; a public quote alone is no leak.
        try fx.write("site/edges.txt", Self.text(24..<50) + "\n")
        try fx.write("site/quote.txt", Self.text(4..<12) + "\n")
        let found = fx.leaks(try fx.run(["site"])).sorted { $0.0 < $1.0 }
        #expect(found.map(\.0) == ["site/edges.txt", "site/four.txt", "site/leak.txt"], "\(found)")
        #expect(found.map(\.2) == [25, 31, 16], "\(found)")
    }
}

extension LeakFindingsTests {
    /// Consecutive windows of a record were chained without checking that they are
    /// consecutive in it: three overlapping 11-word fragments made "a run of 19 words", and a
    /// record of 2000 words of spam "a run of 20000" (here 200 and 2000).
    @Test func runsAreTheRecordsConsecutiveWordsNeverLonger() throws {
        let fx = try LeakFixture()
        let w = Self.sealedWords
        let fragments = [w[0..<11], w[4..<15], w[8..<19]].map { $0.joined(separator: " ") }
        try fx.sealed(
            "a.md",
            "\(fragments[0]) stop.\n\n\(Self.text(30..<40))\n\nThen \(fragments[1]) halt.\n\n\(Self.text(40..<50))\n\nAgain \(fragments[2]) end."
        )
        try fx.write("site/stitched.txt", Self.text(0..<19) + "\n")
        try fx.sealed("spam.md", Array(repeating: w[55], count: 200).joined(separator: " "))
        try fx.write("site/spam.txt", Array(repeating: w[55], count: 2000).joined(separator: " ") + "\n")
        let found = fx.leaks(try fx.run(["site"]))
        #expect(!found.contains { $0.0 == "site/stitched.txt" }, "\(found)")
        let spam = found.filter { $0.0 == "site/spam.txt" }
        #expect(spam.count == 10 && spam.allSatisfy { $0.2 == 200 }, "\(spam.map(\.2))")
        // A true run still is one, whatever it chains with.
        try fx.write(
            "site/stitched.txt", "stop \(Self.text(30..<40)) then \(fragments[1]) halt \(Self.text(40..<50))\n")
        #expect(fx.leaks(try fx.run(["site"])).filter { $0.0 == "site/stitched.txt" }.map(\.2) == [34])
    }
}

extension LeakFindingsTests {
    /// A baseline entry accepting a 12-word teaser also hid a later 40-word paste that
    /// starts at the same word, and a second copy in the same file.
    @Test func aBaselineAcceptsOnlyTheRunItWasWrittenFor() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<60))
        try fx.write("site/about.html", "<p>Teaser: \(Self.text(0..<12)) ...</p>\n")
        let accepted = try fx.run(["site"])
        #expect(accepted.fingerprints.count == 1)
        var options = LeakOptions()
        options.baseline = LeakBaseline(fingerprints: Set(accepted.fingerprints))
        #expect(fx.leaks(try fx.run(["site"], options: options)).isEmpty)
        try fx.write("site/about.html", "<p>Teaser: \(Self.text(0..<40))</p>\n")
        let grown = try fx.run(["site"], options: options)
        #expect(fx.leaks(grown).map(\.2) == [40])
        #expect(grown.notes.contains { $0.kind == .leakBaselineStale && $0.message.contains("grew") })
        try fx.write("site/about.html", "<p>Teaser: \(Self.text(0..<12)) ...</p>\n<p>Again: \(Self.text(0..<12))</p>\n")
        let twice = try fx.run(["site"], options: options)
        #expect(fx.leaks(twice).map(\.1) == [2] && twice.baselined == 1, "\(fx.leaks(twice))")
    }
}

extension LeakFindingsTests {
    /// JavaScript's `\x20` and `\u{20}`, numeric references without `;` and HTML5's named
    /// references (`&comma;`, `&NewLine;`) were left as written, cutting every word apart.
    @Test func moreEscapesAndReferencesAreDecoded() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<60))
        let w = Self.sealedWords[0..<20]
        try fx.write("site/x.js", "var s=\"\(w.joined(separator: "\\x20"))\";\n")
        try fx.write("site/u.js", "var s=\"\(w.joined(separator: "\\u{20}"))\";\n")
        try fx.write("site/comma.html", "<p>\(w.joined(separator: "&comma; "))</p>\n")
        try fx.write("site/newline.html", "<p>\(w.joined(separator: "&NewLine;"))</p>\n")
        try fx.write("site/numeric.html", "<p>\(w.joined(separator: "&#32"))</p>\n")
        let found = fx.leaks(try fx.run(["site"]))
        #expect(found.count == 5 && found.allSatisfy { $0.2 == 20 }, "\(found)")
    }
}

extension LeakFindingsTests {
    /// A soft hyphen or a zero-width space inside every word split each word in two.
    @Test func invisibleFormatCharactersInsideWordsAreLeftOut() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.text(0..<60))
        let w = Self.sealedWords[0..<20]
        try fx.write(
            "site/shy.html", "<p>\(w.map { "\($0.prefix(2))&shy;\($0.dropFirst(2))" }.joined(separator: " "))</p>\n")
        try fx.write(
            "site/zwsp.txt", w.map { "\($0.prefix(2))\u{200B}\($0.dropFirst(2))" }.joined(separator: " ") + "\n")
        let found = fx.leaks(try fx.run(["site"]))
        #expect(found.count == 2 && found.allSatisfy { $0.2 == 20 }, "\(found)")
    }
}
