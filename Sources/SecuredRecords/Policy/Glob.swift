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
    /// Each component as scalars, for matching.
    private let patterns: [[Unicode.Scalar]]
    /// Which components are `**`.
    private let doubleStars: [Bool]
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
            if part != "**" && part.includes("**") {
                throw Problem(
                    description: "'\(text)': '**' must be a whole path component ('**/x', 'a/**/b', 'dir/**')")
            }
            try Self.checkSyntax(part, in: text)
        }
        components = parts
        patterns = parts.map { Array($0.unicodeScalars) }
        doubleStars = parts.map { $0 == "**" }
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
        var path = path
        return path.withUTF8 { bytes in
            // Component boundaries, without allocating a string per component: a path of n
            // bytes has at most n / 2 + 1 of them, kept (with the reached positions) in
            // temporary storage, on the stack for any ordinary path.
            let most = bytes.count / 2 + 1
            return withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: most) { storage in
                var count = 0
                var start = 0
                for (k, b) in bytes.enumerated() where b == UInt8(ascii: "/") {
                    if k > start {
                        storage[count] = start..<k
                        count += 1
                    }
                    start = k + 1
                }
                if start < bytes.count {
                    storage[count] = start..<bytes.count
                    count += 1
                }
                guard count > 0 else { return false }
                let parts = UnsafeBufferPointer(rebasing: storage[..<count])
                if anchored {
                    // The glob matches the path or one of the folders above it: the prefixes of
                    // `parts` it reaches.
                    return withUnsafeTemporaryAllocation(of: Bool.self, capacity: 2 * (count + 1)) { flags in
                        let reached = reachable(parts, bytes, flags)
                        for end in 1...count where reached[end] && (end < count || !foldersOnly) {
                            return true
                        }
                        return false
                    }
                }
                // A name at any depth: the file's (unless folders only), or any folder's above it.
                for (k, part) in parts.enumerated() where k < count - 1 || !foldersOnly {
                    if Self.componentMatches(patterns[0], bytes[part]) { return true }
                }
                return false
            }
        }
    }

    /// For each `end` in `0...parts.count`, whether the whole glob matches `parts[..<end]`.
    ///
    /// One pass over the glob's components, keeping the set of path positions reached so
    /// far: a `**` reaches every position from the first one reached, any other component
    /// moves each reached position on by one if it matches there. Time is at most glob
    /// components × path components, however many `**` there are (a backtracking match is
    /// exponential in them).
    ///
    /// `flags` holds two sets of `parts.count + 1` positions (uninitialized); the one returned
    /// is one of them.
    private func reachable(
        _ parts: UnsafeBufferPointer<Range<Int>>, _ bytes: UnsafeBufferPointer<UInt8>,
        _ flags: UnsafeMutableBufferPointer<Bool>
    ) -> UnsafeMutableBufferPointer<Bool> {
        let n = parts.count + 1
        var reached = UnsafeMutableBufferPointer(rebasing: flags[0..<n])
        var next = UnsafeMutableBufferPointer(rebasing: flags[n..<(2 * n)])
        reached.initialize(repeating: false)
        next.initialize(repeating: false)
        reached[0] = true
        for g in patterns.indices {
            if doubleStars[g] {
                // Zero or more components: everything from the first reached position on.
                guard let first = reached.firstIndex(of: true) else { return reached }
                for k in first...parts.count { reached[k] = true }
                continue
            }
            var any = false
            next[0] = false
            for k in 0..<parts.count {
                let hit = reached[k] && Self.componentMatches(patterns[g], bytes[parts[k]])
                next[k + 1] = hit
                any = any || hit
            }
            swap(&reached, &next)
            if !any { return reached }
        }
        return reached
    }

    /// `fnmatch` of one component (no `/` on either side): `*` any run, `?` one character,
    /// `[...]` one character of a set (`!` or `^` negates, `a-z` ranges), `\\` quotes the next
    /// character. Characters are Unicode scalars; an ASCII name is matched on its bytes.
    static func componentMatches(_ pattern: [Unicode.Scalar], _ name: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        if name.allSatisfy({ $0 < 0x80 }) {
            return wildcard(pattern, count: name.count) { Unicode.Scalar(name[name.startIndex + $0]) }
        }
        let scalars = Array(String(decoding: UnsafeBufferPointer(rebasing: name), as: UTF8.self).unicodeScalars)
        return wildcard(pattern, count: scalars.count) { scalars[$0] }
    }

    /// The classic iterative wildcard match, backtracking to the last `*` only.
    @inline(__always)
    private static func wildcard(_ p: [Unicode.Scalar], count: Int, _ text: (Int) -> Unicode.Scalar) -> Bool {
        var pi = 0
        var ti = 0
        var starP = -1
        var starT = 0
        while true {
            if pi < p.count {
                if p[pi] == "*" {
                    pi += 1
                    starP = pi
                    starT = ti
                    continue
                }
                if ti < count, let next = single(p, pi, text(ti)) {
                    pi = next
                    ti += 1
                    continue
                }
            } else if ti == count {
                return true
            }
            guard starP >= 0, starT < count else { return false }
            starT += 1
            pi = starP
            ti = starT
        }
    }

    /// If the pattern item at `i` (a literal, `?`, `\\x` or a `[...]` set) matches `ch`, the
    /// index after it.
    private static func single(_ p: [Unicode.Scalar], _ i: Int, _ ch: Unicode.Scalar) -> Int? {
        switch p[i] {
        case "?": return i + 1
        case "\\":
            guard i + 1 < p.count else { return nil }
            return p[i + 1] == ch ? i + 2 : nil
        case "[":
            var j = i + 1
            var negate = false
            if j < p.count && (p[j] == "!" || p[j] == "^") {
                negate = true
                j += 1
            }
            var matched = false
            var first = true
            while j < p.count {
                let lo = p[j]
                if lo == "]" && !first { return matched != negate ? j + 1 : nil }
                first = false
                if j + 2 < p.count && p[j + 1] == "-" && p[j + 2] != "]" {
                    if lo.value <= ch.value && ch.value <= p[j + 2].value { matched = true }
                    j += 3
                } else {
                    if lo == ch { matched = true }
                    j += 1
                }
            }
            return nil  // not closed (the parser refuses such globs)
        default:
            return p[i] == ch ? i + 1 : nil
        }
    }
}
