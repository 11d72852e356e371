import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// A corpus and a folder to search, in a scratch folder, for the leak audit's tests.
struct LeakFixture {
    let dir: URL
    let key: SecuredKey

    init() throws {
        dir = try TestPaths.temporaryDirectory("leaks")
        key = try newKey("leaks")
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try write(name, Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Writes `posts/<name>` sealed with `key`, with `front` added to its front matter.
    func sealed(_ name: String, _ body: String, front: String = "") throws {
        let text = "---\ntitle: \(name)\n\(front)---\n\(body)\n"
        let record = try Record(parsing: Array(text.utf8), file: path("posts/\(name)"))
        let result = try RecordSealer.seal(record, with: key)
        try write("posts/\(name)", result.record.bytes)
    }

    /// Runs the audit of `posts/` over `paths` (relative to the folder).
    func run(_ paths: [String], keys: KeyRing? = nil, options: LeakOptions = LeakOptions()) throws -> LeakReport {
        let scope = CorpusScope(
            include: nil, sizeLimit: options.sizeLimit, usePolicies: false,
            workingDirectory: FileManager.default.currentDirectoryPath)
        let walked = try scope.walk([path("posts")], allowUnreadableOnly: true)
        return try LeakAuditor(keys: keys ?? KeyRing([key]), options: options)
            .run(corpus: walked, paths: paths.map(path), repository: dir.path)
    }

    /// The leak findings, as (file name relative to the folder, line, words).
    func leaks(_ report: LeakReport) -> [(String, Int, Int)] {
        report.findings.filter { $0.leak != nil }.map {
            (String($0.file.dropFirst(dir.path.count + 1)), $0.line ?? 0, $0.leak?.words ?? 0)
        }
    }
}

/// `count` distinct words, from `from` on: `w0 w1 …` spelled as letters only (`wa`, `wb`, …).
func distinctWords(_ count: Int, from: Int = 0) -> [String] {
    (from..<(from + count)).map { n in
        var word = "w"
        var k = n
        repeat {
            word.append(Character(Unicode.Scalar(UInt8(0x61 + k % 26))))
            k /= 26
        } while k > 0
        return word + "x"
    }
}

@Suite("Leak audit (SPEC 1.3 section 10)")
struct LeakAuditorTests {
    static let sealedWords = distinctWords(60)
    static let otherWords = distinctWords(40, from: 500)

    @Test func everyRunOf16WordsIsFoundAndNoneOfFewerThan12() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.sealedWords.joined(separator: " "))
        for length in 6...20 {
            let run = Self.sealedWords[10..<(10 + length)].joined(separator: " ")
            let text =
                "\(Self.otherWords[0..<5].joined(separator: " "))\nline two: \(run). \(Self.otherWords[5..<9].joined(separator: " "))\n"
            try fx.write("site/\(length).txt", text)
        }
        let found = fx.leaks(try fx.run(["site"]))
        let lengths = found.map { Int($0.0.dropFirst(5).prefix { $0.isNumber })! }
        #expect(lengths.sorted() == Array(12...20), "\(found)")
        for (file, line, words) in found {
            #expect(line == 2, "\(file)")
            #expect(words == Int(file.dropFirst(5).prefix { $0.isNumber })!, "\(file)")
        }
        #expect(found.contains { $0.0 == "site/16.txt" && $0.2 == 16 })
        #expect(!found.contains { $0.0 == "site/7.txt" })
    }

    /// The matcher looks up every `minimumWords - 7`-th window only while no run is open; the
    /// runs must be those that looking up every window gives (minimum 8), less the shorter.
    @Test func runsAreTheSameWhicheverWindowsAreLookedUp() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.sealedWords.joined(separator: " "))
        try fx.sealed("b.md", Self.sealedWords[20..<45].joined(separator: " "))
        // Runs at every offset, of 8 to 20 words, some broken by one word or by a gap.
        for offset in 0..<9 {
            var text = Self.otherWords[0..<offset].joined(separator: " ")
            for length in 8...20 {
                let from = (offset * 7 + length * 3) % 40
                text += " " + Self.sealedWords[from..<(from + length)].joined(separator: " ")
                text += " " + Self.otherWords[length..<(length + offset % 3 + 1)].joined(separator: " ")
            }
            text +=
                " " + Self.sealedWords[2..<9].joined(separator: " ") + " x "
                + Self.sealedWords[9..<24].joined(separator: " ")
            try fx.write("site/\(offset).txt", text + "\n")
        }
        var every = LeakOptions()
        every.minimumWords = 8
        let all = fx.leaks(try fx.run(["site"], options: every))
        for minimum in [10, 12, 15] {
            var options = LeakOptions()
            options.minimumWords = minimum
            let found = fx.leaks(try fx.run(["site"], options: options))
            let expected = all.filter { $0.2 >= minimum }
            #expect(found.map { "\($0)" }.sorted() == expected.map { "\($0)" }.sorted(), "minimum \(minimum)")
            #expect(!found.isEmpty)
        }
    }

    @Test func markupReferencesAndEscapesAreDecoded() throws {
        let fx = try LeakFixture()
        let words = ["Café", "déjà", "vu", "naïve", "señor", "über", "straße"] + Self.sealedWords[0..<12]
        try fx.sealed("a.md", "Intro. " + words.joined(separator: " ") + ". End.")
        let rest = Self.sealedWords[0..<12].joined(separator: " ")
        // Tags between words, named and numeric references, a second level in a feed.
        try fx.write(
            "site/page.html",
            "<html><body><p>Caf&eacute; <b>d&#233;j&#xE0;</b> vu na&iuml;ve <a href=\"/x\">se&ntilde;or</a> &uuml;ber stra&szlig;e \(rest)</p></body></html>\n"
        )
        try fx.write(
            "site/feed.xml",
            "<feed><content type=\"html\">&lt;p&gt;Caf&amp;eacute; d&amp;#233;j&amp;#xE0; vu&lt;/p&gt;&lt;p&gt;na&amp;iuml;ve se&amp;ntilde;or &amp;uuml;ber stra&amp;szlig;e \(rest)&lt;/p&gt;</content></feed>\n"
        )
        try fx.write(
            "site/search.json",
            "[{\"content\":\"Caf\\u00e9 d\\u00e9j\\u00e0 vu\\nna\\u00efve se\\u00f1or \\\"\\u00fcber\\\" stra\\u00dfe \(rest)\"}]\n"
        )
        // A quoted attribute value is text of its own.
        try fx.write("site/meta.html", "<meta name=\"description\" content=\"\(words.joined(separator: " "))\">\n")
        // None of it decoded, and the run is cut: too short.
        try fx.write(
            "site/raw.txt", "Caf&eacutx; d&#233j\\u00e vu \(Self.sealedWords[0..<10].joined(separator: " "))\n")
        let found = fx.leaks(try fx.run(["site"]))
        #expect(found.map(\.0).sorted() == ["site/feed.xml", "site/meta.html", "site/page.html", "site/search.json"])
        for leak in found { #expect(leak.2 == 19, "\(leak)") }
    }

    @Test func gzipIsRecognizedByItsFirstBytes() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.sealedWords.joined(separator: " "))
        let padding = String(repeating: " ", count: 4000)
        try fx.write("site/index", "<p>\(Self.sealedWords[5..<25].joined(separator: " "))</p>\(padding)\n")
        let gzip = try runProcess("gzip", ["-9", fx.path("site/index")], currentDirectory: fx.dir)
        #expect(gzip.status == 0)
        try FileManager.default.moveItem(atPath: fx.path("site/index.gz"), toPath: fx.path("site/fragment.bin"))
        #expect(fx.leaks(try fx.run(["site"])).map(\.0) == ["site/fragment.bin"])
        // Over the size limit once decompressed: not searched, and said so (SR017).
        var small = LeakOptions()
        small.sizeLimit = 1500
        let report = try fx.run(["site"], options: small)
        #expect(report.findings.map(\.code) == [.sr017Unreadable])
        #expect(report.findings.first?.reason.contains("decompresses to more than the size limit") == true)
    }

    @Test func aRunAlsoInAnUnsealedRecordIsNotALeak() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.sealedWords.joined(separator: " "))
        try fx.write(
            "posts/public.md", "---\ntitle: p\n---\nQuoted: \(Self.sealedWords[0..<30].joined(separator: " "))\n")
        try fx.write("site/quoted.html", "<p>\(Self.sealedWords[0..<30].joined(separator: " "))</p>\n")
        try fx.write("site/secret.html", "<p>\(Self.sealedWords[30..<60].joined(separator: " "))</p>\n")
        let report = try fx.run(["site"])
        #expect(fx.leaks(report).map(\.0) == ["site/secret.html"])
        #expect(report.recordsPublic == 1 && report.recordsOpened == 1)
    }

    @Test func theRecordsOwnFileIsSearchedMinusItsBlob() throws {
        let fx = try LeakFixture()
        let body = Self.sealedWords[0..<20].joined(separator: " ")
        try fx.sealed("a.md", body, front: "description: \"\(body)\"\n")
        try fx.sealed("b.md", Self.sealedWords[20..<60].joined(separator: " "))
        let found = fx.leaks(try fx.run([]))
        #expect(found.count == 1)
        #expect(found.first?.0 == "posts/a.md" && found.first?.1 == 3 && found.first?.2 == 20)
    }

    @Test func unicodeWordsCompareNormalizedAndLowercased() throws {
        let fx = try LeakFixture()
        let sealed =
            "Ça m’a fait **très** plaisir : voir [la page](https://example.com/x-y) du *musée* d’Orsay, 東京 は 大きい 🎉 "
            + "et la CAFÉ naïve Zoë — “citation” finale \(Self.sealedWords[0..<4].joined(separator: " "))."
        try fx.sealed("a.md", sealed)
        // Decomposed accents (NFD), other case, straight quotes, no emoji, no Markdown, a link
        // rendered with its href.
        let scanned =
            "ça m'a fait <strong>tre\u{300}s</strong> plaisir: voir <a href=\"https://example.com/x-y\">la page</a> du <em>muse\u{301}e</em> d'orsay, 東京 は 大きい "
            + "ET LA cafe\u{301} nai\u{308}ve zoe\u{308} -- \"citation\" finale \(Self.sealedWords[0..<4].joined(separator: " ").uppercased())"
        try fx.write("site/page.html", "<p>\(scanned)</p>\n")
        let found = fx.leaks(try fx.run(["site"]))
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.2 == 27)
    }

    @Test func aBaselineHidesItsFindingsAndNamesStaleEntries() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.sealedWords.joined(separator: " "))
        try fx.write("site/a.html", "<p>\(Self.sealedWords[0..<20].joined(separator: " "))</p>\n")
        try fx.write("site/b.html", "<p>\(Self.sealedWords[30..<50].joined(separator: " "))</p>\n")
        let first = try fx.run(["site"])
        #expect(first.fingerprints.count == 2)
        for fingerprint in first.fingerprints { #expect(fingerprint.count == 64) }
        var options = LeakOptions()
        options.baseline = LeakBaseline(fingerprints: [first.fingerprints[0], String(repeating: "0", count: 64)])
        let second = try fx.run(["site"], options: options)
        #expect(second.findings.count == 1 && second.baselined == 1)
        #expect(
            second.notes.contains { $0.kind == .leakBaselineStale && $0.message.hasPrefix("1 baseline fingerprint") })
    }

    @Test func sealedRecordsNoKeyOpensAreAConfigurationError() throws {
        let fx = try LeakFixture()
        try fx.sealed("a.md", Self.sealedWords.joined(separator: " "))
        try fx.write("site/a.html", "<p>\(Self.sealedWords[0..<20].joined(separator: " "))</p>\n")
        #expect(throws: ConfigurationError.self) { try fx.run(["site"], keys: KeyRing()) }
    }
}
