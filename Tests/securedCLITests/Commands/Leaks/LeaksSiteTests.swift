import Foundation
import SecuredRecords
import TestSupport
import Testing

/// `secured leaks` on a real Hugo build: a full-content RSS feed leaks a post that the pages keep
/// for members; the footer it shares with public posts, short quotes in public posts and the
/// ciphertext a sealed build renders are no findings.
@Suite("leaks on a Hugo site: a full-content feed leaks, nothing else does")
struct LeakSiteTests {
    /// The post to be sealed: accents, CJK, an emoji, smart quotes (Hugo's typographer makes
    /// them from straight ones), emphasis and a link inside the run, then the shared footer.
    static let secretParagraph =
        "The *quiet* harbour keeps its \"secrets\", [they say](https://example.org/x), until the tide "
        + "turns — café owners in 東京 watch 🎉 every lantern along the northern wall flicker twice "
        + "before dawn, and naïve sailors whisper about the drowned bell of Saint-Émile."
    static let footer =
        "Thanks for reading this issue of the Harbour Letter; write to the editors with corrections, "
        + "tips and old photographs of the quay."

    /// The sealed text's words, lowercased, as the output check splits them.
    static var sealedWords: [String] { words(secretParagraph + "\n\n" + footer) }

    static func words(_ text: String) -> [String] {
        text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// The longest run of consecutive `sealed` words in `output`.
    static func longestRun(of sealed: [String], in output: String) -> Int {
        let out = words(output)
        var longest = 0
        for start in out.indices {
            for first in sealed.indices where sealed[first] == out[start] {
                var k = 0
                while start + k < out.count, first + k < sealed.count, out[start + k] == sealed[first + k] { k += 1 }
                longest = max(longest, k)
            }
        }
        return longest
    }

    /// The RSS template: every regular page's full content (`leaky`), or none of a page the
    /// front matter marks `members` (the fix users apply).
    static func rss(leaky: Bool) -> String {
        let content = leaky ? "{{ .Content | html }}" : "{{ if not .Params.members }}{{ .Content | html }}{{ end }}"
        return """
            <rss version="2.0"><channel><title>{{ .Site.Title }}</title>\
            {{ $pages := .RegularPages }}{{ if .IsHome }}{{ $pages = .Site.RegularPages }}{{ end }}{{ range $pages }}
            <item><title>{{ .Title }}</title><link>{{ .Permalink }}</link><description>\(content)</description></item>{{ end }}
            </channel></rss>

            """
    }

    /// A Hugo site with a minimal theme of its own (nothing downloaded): pages render a
    /// `members` post as a placeholder and a sealed one as its ciphertext, for the reader.
    static func site() throws -> Workspace {
        let ws = try Workspace(keyID: "site")
        _ = try ws.write(
            "config.toml",
            "baseURL = \"https://example.org/\"\ntitle = \"Harbour\"\ndisableKinds = [\"taxonomy\", \"term\"]\n"
                + "[markup.goldmark.extensions]\ntypographer = true\n")
        _ = try ws.write(
            "layouts/_default/baseof.html",
            "<!doctype html><html><body>{{ block \"main\" . }}{{ end }}<footer>Built with Hugo.</footer></body></html>\n"
        )
        _ = try ws.write(
            "layouts/_default/single.html",
            "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ with .Params.secured }}<div data-secured=\"{{ . }}\">Members only.</div>"
                + "{{ else }}{{ if .Params.members }}<p>Members only.</p>{{ else }}{{ .Content }}{{ end }}{{ end }}{{ end }}\n"
        )
        _ = try ws.write(
            "layouts/_default/list.html",
            "{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n"
        )
        _ = try ws.write(
            "content/posts/secret.md", "---\ntitle: Secret\nmembers: true\n---\n\(secretParagraph)\n\n\(footer)\n")
        _ = try ws.write(
            "content/posts/lanterns.md",
            "---\ntitle: Lanterns\n---\nA reader saw every lantern along the northern wall, she wrote.\n\n\(footer)\n")
        _ = try ws.write(
            "content/posts/bells.md",
            "---\ntitle: Bells\n---\nNobody has heard the drowned bell of Saint-Émile for years.\n\n\(footer)\n")
        return ws
    }

    static func hugo(_ ws: Workspace, rss leaky: Bool, into folder: String) throws {
        _ = try ws.write("layouts/_default/rss.xml", rss(leaky: leaky))
        let build = try runProcess("hugo", ["--quiet", "--destination", folder], currentDirectory: ws.dir)
        #expect(build.status == 0, "hugo: \(build.stderrText)")
    }

    @Test func aFullContentFeedLeaksAndNothingElseDoes() throws {
        guard programExists("hugo") else {
            print("skipped: hugo is not on PATH (apt-get install -y hugo; .ci/run installs it)")
            return
        }
        let ws = try Self.site()
        try Self.hugo(ws, rss: true, into: "public-leaky")
        try Self.hugo(ws, rss: false, into: "public-clean")
        let seal = try secured(["seal", "content/posts/secret.md", "--key", ws.keyPath], in: ws.dir)
        #expect(seal.status == 0, "\(seal.stderrText)")
        // Built from the sealed record, the page holds the ciphertext (for the reader).
        try Self.hugo(ws, rss: true, into: "public-sealed")
        let record = try ws.read("content/posts/secret.md")
        let blob = record.split(separator: "\n").first { $0.hasPrefix("secured: ") }.map {
            String($0.dropFirst(10).prefix(40))
        }
        // Hugo writes '+' in an attribute as a character reference.
        let page = try ws.read("public-sealed/posts/secret/index.html").replacingOccurrences(of: "&#43;", with: "+")
        #expect(blob != nil && page.contains(blob!), "the sealed build renders the ciphertext")
        let leaky = try ws.read("public-leaky/index.xml")
        #expect(leaky.contains("&amp;ldquo;secrets&amp;rdquo;") && leaky.contains("東京"), "\(leaky)")

        let args = ["leaks", "--key", ws.keyPath, "--corpus", "content"]
        let r = try secured(args + ["--format", "json", "public-leaky", "public-clean", "public-sealed"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        let doc = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any]
        let findings = doc?["findings"] as? [[String: Any]] ?? []
        #expect(
            findings.compactMap { $0["file"] as? String }.sorted() == [
                "public-leaky/index.xml", "public-leaky/posts/index.xml",
            ])
        let paragraphWords = Self.words(
            Self.secretParagraph.replacingOccurrences(of: "(https://example.org/x)", with: "")
        ).count
        for finding in findings {
            #expect(finding["code"] as? String == "SR020" && finding["record"] as? String == "content/posts/secret.md")
            // The whole paragraph; the footer public posts share is not a leak, but the last
            // indexed window (8 words) may reach 7 words into it.
            let words = finding["words"] as? Int ?? 0
            #expect(words >= paragraphWords && words <= paragraphWords + 7, "\(finding)")
            #expect((finding["hint"] as? String)?.hasPrefix("It looks like a feed") == true)
        }
        let clean = try secured(args + ["public-clean", "public-sealed"], in: ws.dir)
        #expect(clean.status == 0 && clean.stdoutText.isEmpty, "\(clean.stdoutText)\(clean.stderrText)")

        for format in ["text", "json", "github", "sarif", "junit"] {
            let out = try secured(args + ["--format", format, "public-leaky"], in: ws.dir)
            #expect(out.status == 1 && out.stdoutText.contains("SR020"), "\(format): \(out.stderrText)")
            let longest = Self.longestRun(of: Self.sealedWords, in: out.stdoutText + "\n" + out.stderrText)
            #expect(longest < 6, "\(format): \(longest) consecutive sealed words in the output")
        }
    }
}
