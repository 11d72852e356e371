/// What a leak finding (SR020, SR021) is about besides its file and line: the sealed record
/// whose words were found, how many, and the fingerprint a baseline lists. Never the words.
public struct LeakSource: Sendable, Equatable {
    /// The sealed record, as the corpus walk found it.
    public var record: String
    /// The run's length in words.
    public var words: Int
    /// The finding's fingerprint (``LeakBaseline/fingerprint(record:file:window:words:ordinal:)``).
    public var fingerprint: String
    /// For SR021: the git blob holding the run.
    public var blob: String?
    /// For SR021: a commit that holds the blob, where git could tell.
    public var commit: String?

    /// A leak's details.
    public init(record: String, words: Int, fingerprint: String, blob: String? = nil, commit: String? = nil) {
        self.record = record
        self.words = words
        self.fingerprint = fingerprint
        self.blob = blob
        self.commit = commit
    }
}

/// Which way a scanned file publishes text, told from its name, and how people usually close
/// that way: the hint of an SR020 finding.
public enum LeakChannel: Sendable, Equatable {
    /// A feed: `feed.xml`, `atom.xml`, `rss.xml`, `index.xml`, any `*.xml`.
    case feed
    /// A search index: `search.json`, `index.json`, a `lunr` index, any `*.json`.
    case searchIndex
    /// A page: `*.html`, `*.htm`.
    case page
    /// A record or other Markdown file: a front-matter field or a draft.
    case markdown
    /// Anything else: a draft, a copy, a build artefact.
    case other

    /// The channel of the file at `path` (`nil`: unknown).
    public init(path: String?) {
        guard let path else {
            self = .other
            return
        }
        let name = String(path.split(separator: "/").last ?? "").lowercased()
        let bare = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
        if bare.includes("atom") || bare.includes("rss") || bare.includes("feed") || bare.hasSuffix(".xml") {
            self = .feed
        } else if bare.includes("lunr") || bare.includes("search") || bare.hasSuffix(".json") {
            self = .searchIndex
        } else if bare.hasSuffix(".html") || bare.hasSuffix(".htm") {
            self = .page
        } else if bare.hasSuffix(".md") || bare.hasSuffix(".markdown") {
            self = .markdown
        } else {
            self = .other
        }
    }

    /// How to close it, in a few sentences.
    public var fix: String {
        let rebuild =
            "then rebuild, redeploy, and count what was already served as public (caches, archives); never paste the words into an issue."
        switch self {
        case .feed:
            return
                "It looks like a feed (jekyll-feed, Hugo's RSS): feed templates publish each post's full content. Leave sealed records out of the feed (a front-matter flag the feed template skips, or excerpts only), \(rebuild)"
        case .searchIndex:
            return
                "It looks like a search index (search.json, lunr, Pagefind): it holds each page's text. Leave sealed records out of the index (or index their titles only), \(rebuild)"
        case .page:
            return
                "It looks like a built page: a layout or include renders the plaintext (a meta description, an excerpt, a related-posts list, a members' build). Make the templates use only the sealed field for sealed records, \(rebuild)"
        case .markdown:
            return
                "It looks like a Markdown file: a front-matter field (description, excerpt, summary) or a draft repeats the sealed content. Remove the repeated text or seal that file too, \(rebuild)"
        case .other:
            return
                "A draft, copy or build artefact holds the text: delete it or move it out of what is published. Feeds, search indexes and pages built from the plaintext leak the same way: leave sealed records out of them, \(rebuild)"
        }
    }
}
