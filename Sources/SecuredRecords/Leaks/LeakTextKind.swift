extension LeakText {
    /// How a scanned text is read (SPEC 1.3 section 10), told from its file name or, with
    /// none known (a git blob, a name with no extension), its first bytes.
    enum Kind: Sendable, Equatable {
        /// Markdown (a record's content, a `.md` file): markup, and a link's or image's
        /// destination `](…)` is left out as a rendered page leaves it in an attribute.
        case markdown
        /// HTML, XML, a feed, a template: tags separate words.
        case markup
        /// JSON or JavaScript: tags only inside one string (HTML a search index holds); an
        /// unescaped quote ends a string, so no tag reaches past it.
        case script
        /// Anything else: a `<` is a character like any other.
        case plain

        /// The kind of the file `name` (a `.gz` suffix left out), or of `bytes` when the
        /// name does not tell.
        init(name: String?, bytes: [UInt8]) {
            var base = String((name ?? "").split(separator: "/").last ?? "").lowercased()
            if base.hasSuffix(".gz") { base = String(base.dropLast(3)) }
            let ext = base.contains(".") ? String(base.split(separator: ".").last ?? "") : ""
            if let kind = Self.byExtension[ext] {
                self = kind
                return
            }
            var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
            switch i < bytes.count ? bytes[i] : 0 {
            case 0x3C: self = .markup  // '<'
            case 0x7B, 0x5B: self = .script  // '{' '['
            case 0x2D where bytes[i...].starts(with: Array("---".utf8)): self = .markdown  // front matter
            default: self = .plain
            }
        }

        static let byExtension: [String: Kind] = {
            var kinds: [String: Kind] = [:]
            for ext in ["md", "markdown", "mdx", "mkd", "mdown"] { kinds[ext] = .markdown }
            for ext in [
                "html", "htm", "xhtml", "shtml", "xml", "rss", "atom", "svg", "xsl", "xslt", "rdf", "opml", "php",
                "erb", "liquid", "njk", "hbs", "mustache", "vue", "svelte", "astro", "jsx", "tsx", "twig", "jsp",
            ] { kinds[ext] = .markup }
            for ext in ["json", "jsonl", "ndjson", "geojson", "webmanifest", "map", "js", "mjs", "cjs", "ts"] {
                kinds[ext] = .script
            }
            for ext in ["txt", "text", "csv", "tsv", "log", "yaml", "yml", "toml", "ini", "css", "scss", "sass"] {
                kinds[ext] = .plain
            }
            return kinds
        }()
    }

    /// What an unescaped `"`, `'` or `` ` `` of a script becomes: a string's end, a separator
    /// past which no tag reaches (not a scalar, so never part of a word).
    static let stringBoundary: UInt32 = 0x11_0000
}
