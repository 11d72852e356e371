#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A path glob as `.gitignore` reads one, matched on paths relative to a folder:
///
/// - `*` and `?` do not cross `/`; `[abc]`, `[a-z]` and `[!a]` match one character; `\`
///   escapes the next one;
/// - `**` as a whole path component crosses folders: `**/x.md`, `a/**/b.md`, `dir/**`;
/// - a glob without `/` (or with one only at its end) matches a name at any depth: a file's
///   name, or a folder's, and then everything below it (`drafts` covers `a/drafts/b.md`);
/// - a glob with `/` elsewhere is anchored to the folder (a leading `/` only says so);
/// - a trailing `/` matches folders only: `private/` covers everything below `private`.
///
/// Negation (`!`) is not supported: the policy file lists what it includes and excludes.
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    /// The glob as written.
    public let text: String
    private let components: [String]
    private let anchored: Bool
    private let foldersOnly: Bool

    /// Why a glob is refused.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Parses a glob.
    /// - Throws: ``Problem`` for an empty glob, a negation, an unclosed `[`, a trailing `\`,
    ///   `**` inside a component (`a**`), or a `.`/`..` component.
    public init(_ text: String) throws(Problem) {
        self.text = text
        var body = Substring(text)
        guard !body.isEmpty else { throw Problem(description: "an empty glob matches nothing") }
        if body.hasPrefix("!") {
            throw Problem(description: "'\(text)': negation ('!') is not supported; list the paths to exclude instead")
        }
        foldersOnly = body.hasSuffix("/") && !body.hasSuffix("\\/")
        if foldersOnly { body = body.dropLast() }
        var leading = false
        if body.hasPrefix("/") {
            leading = true
            body = body.dropFirst()
        }
        guard !body.isEmpty else { throw Problem(description: "'\(text)' names no path") }
        let parts = body.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for part in parts {
            if part.isEmpty { throw Problem(description: "'\(text)' has an empty path component ('//')") }
            if part == "." || part == ".." {
                throw Problem(
                    description:
                        "'\(text)': '\(part)' components are not allowed; globs are relative to the policy's folder")
            }
            if part != "**" && part.contains("**") {
                throw Problem(
                    description: "'\(text)': '**' must be a whole path component ('**/x', 'a/**/b', 'dir/**')")
            }
            try Self.checkSyntax(part, in: text)
        }
        components = parts
        anchored = leading || parts.count > 1
    }

    public var description: String { text }

    private static func checkSyntax(_ part: String, in text: String) throws(Problem) {
        var chars = Array(part.unicodeScalars)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c == "\\" {
                guard !chars.isEmpty else { throw Problem(description: "'\(text)' ends with a lone '\\'") }
                chars = chars.dropFirst()
            } else if c == "[" {
                var closed = false
                var first = true
                while let d = chars.first {
                    chars = chars.dropFirst()
                    if d == "]" && !first {
                        closed = true
                        break
                    }
                    if (d == "!" || d == "^") && first { continue }
                    first = false
                }
                if !closed { throw Problem(description: "'\(text)' has a '[' that is not closed") }
            }
        }
    }

    /// Whether the glob matches the file `path`, relative to the glob's folder (`a/b.md`, no
    /// leading `./`): the file itself, or a folder above it.
    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/").map(String.init)
        guard !parts.isEmpty else { return false }
        if anchored {
            // The glob matches the path or one of the folders above it.
            for end in 1...parts.count where end == parts.count ? !foldersOnly : true {
                if Self.match(components[...], parts[..<end]) { return true }
            }
            return false
        }
        // A name at any depth: the file's (unless folders only), or any folder's above it.
        let last = parts.count - 1
        for (k, name) in parts.enumerated() where k < last || !foldersOnly {
            if Self.nameMatches(components[0], name) { return true }
        }
        return false
    }

    private static func match(_ glob: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let head = glob.first else { return path.isEmpty }
        if head == "**" {
            // Zero or more components.
            var rest = path
            while true {
                if match(glob.dropFirst(), rest) { return true }
                guard !rest.isEmpty else { return false }
                rest = rest.dropFirst()
            }
        }
        guard let name = path.first, nameMatches(head, name) else { return false }
        return match(glob.dropFirst(), path.dropFirst())
    }

    private static func nameMatches(_ pattern: String, _ name: String) -> Bool {
        FilePath.withCString(pattern) { p in FilePath.withCString(name) { n in fnmatch(p, n, 0) == 0 } }
    }
}
