/// Receives the words of a text, in order: each as a 64-bit hash of its normalized form
/// (``LeakWords/hash(_:)``) with the index of its first decoded scalar.
protocol LeakWordSink {
    /// The next word.
    mutating func word(_ hash: UInt64, at index: Int)
    /// The end of a text: no run continues past it (the end of one attribute value).
    mutating func segmentEnd()
}

/// The second step of the leak audit's reading (SPEC 1.3 section 10): markup and words.
///
/// Words are maximal runs of scalars of the general categories L, M and N (invisible format
/// characters such as the soft hyphen left out, ``isIgnorable(_:)``), lowercased
/// (`String.lowercased()`) then put in Unicode normalization form C. A tag `<…>` separates
/// words; the content of comments and CDATA sections is text. Quoted attribute values are
/// text too, but each is a text of its own (a second sink), so that an `href` does not
/// interrupt the words of a link. With `markdown` (every text the audit reads: a sealed
/// record's content, and any scanned text, which may hold a copy of it), the destination of
/// a Markdown link or image (`](…)`) is left out the same way a rendered page leaves it in
/// an attribute.
enum LeakWords {
    /// The longest tag looked for, in scalars: a `<` with no `>` that near is a character.
    static let tagLimit = 1024

    /// Splits `text` into words: the text's own to `main`, attribute values to `attributes`.
    static func split<S: LeakWordSink>(_ text: LeakText, markdown: Bool, main: inout S, attributes: inout S) {
        let s = text.scalars
        let n = s.count
        var word = WordBuilder()
        var i = 0
        while i < n {
            let c = s[i]
            if c == 0x3C && text.kind != .plain {  // '<'
                if let skip = openerLength(s, at: i) {  // <!-- or <![CDATA[: their content is text
                    word.end(into: &main, s)
                    i += skip
                    continue
                }
                if let end = tagEnd(s, at: i) {
                    word.end(into: &main, s)
                    attributeValues(s, from: i + 1, to: end, into: &attributes)
                    i = end + 1
                    continue
                }
            } else if markdown && c == 0x5D, i + 1 < n, s[i + 1] == 0x28, let end = linkEnd(s, at: i + 1) {
                word.end(into: &main, s)
                i = end + 1
                continue
            }
            if c < 0x80 && isWordScalar(c) {
                i = word.addASCII(s, from: i)
                continue
            }
            if isWordScalar(c) { word.add(c, at: i) } else if !isIgnorable(c) { word.end(into: &main, s) }
            i += 1
        }
        word.end(into: &main, s)
        main.segmentEnd()
    }

    /// The length of `<!--` or `<![CDATA[` at `i`, if one is there.
    static func openerLength(_ s: [UInt32], at i: Int) -> Int? {
        func matches(_ literal: String) -> Bool {
            var k = i
            for u in literal.utf8 {
                guard k < s.count, s[k] == UInt32(u) else { return false }
                k += 1
            }
            return true
        }
        if matches("<!--") { return 4 }
        if matches("<![CDATA[") { return 9 }
        return nil
    }

    /// The index of the `>` closing a tag that starts at `i`, quoted values skipped; `nil`
    /// when this `<` starts no plausible tag: `<` then a name (a letter, then letters, digits,
    /// `-`, `:`, `.`, `_`) ended by white space, `/` or `>`, or `</` then such a name, or `<!`
    /// or `<?`; closed within ``tagLimit`` scalars, before another `<` and before the end of a
    /// script's string (``LeakText/stringBoundary``).
    static func tagEnd(_ s: [UInt32], at i: Int) -> Int? {
        guard i + 1 < s.count else { return nil }
        var j = i + 1
        if s[j] != 0x21 && s[j] != 0x3F {
            if s[j] == 0x2F { j += 1 }
            guard j < s.count, isASCIILetter(s[j]) else { return nil }
            while j < s.count,
                isASCIILetter(s[j]) || (0x30...0x39).contains(s[j]) || [0x2D, 0x3A, 0x2E, 0x5F].contains(s[j])
            {
                j += 1
            }
            guard j < s.count, [0x20, 0x09, 0x0A, 0x0D, 0x0C, 0x2F, 0x3E].contains(s[j]) else { return nil }
        }
        let limit = min(s.count, i + tagLimit)
        while j < limit {
            switch s[j] {
            case 0x3E: return j
            case 0x3C, LeakText.stringBoundary: return nil
            case 0x22, 0x27:
                let quote = s[j]
                j += 1
                while j < limit && s[j] != quote && s[j] != LeakText.stringBoundary { j += 1 }
                if j == limit || s[j] != quote { return nil }
            default: break
            }
            j += 1
        }
        return nil
    }

    @inline(__always) static func isASCIILetter(_ c: UInt32) -> Bool { (0x61...0x7A).contains(c | 0x20) }

    /// The words of each quoted value between `from` and `to`, each value a segment.
    static func attributeValues<S: LeakWordSink>(_ s: [UInt32], from: Int, to: Int, into sink: inout S) {
        var j = from
        var word = WordBuilder()
        while j < to {
            let quote = s[j]
            guard quote == 0x22 || quote == 0x27 else {
                j += 1
                continue
            }
            j += 1
            while j < to && s[j] != quote {
                if isWordScalar(s[j]) { word.add(s[j], at: j) } else if !isIgnorable(s[j]) { word.end(into: &sink, s) }
                j += 1
            }
            word.end(into: &sink, s)
            sink.segmentEnd()
            j += 1
        }
    }

    /// The `)` ending a Markdown link destination whose `(` is at `i`, on the same line.
    static func linkEnd(_ s: [UInt32], at i: Int) -> Int? {
        var j = i + 1
        let limit = min(s.count, i + 2048)
        while j < limit {
            if s[j] == 0x29 { return j }
            if s[j] == 0x0A { return nil }
            j += 1
        }
        return nil
    }

    /// Whether `c` is an invisible format character that may sit inside a word and is left
    /// out before splitting: the soft hyphen U+00AD (`&shy;`), U+200B zero width space,
    /// U+200C and U+200D zero width (non-)joiners (a joiner between emoji joins no word),
    /// U+2060 word joiner, U+FEFF.
    @inline(__always) static func isIgnorable(_ c: UInt32) -> Bool {
        c == 0xAD || (0x200B...0x200D).contains(c) || c == 0x2060 || c == 0xFEFF
    }

    /// Whether `c` is of the general categories L, M or N.
    @inline(__always) static func isWordScalar(_ c: UInt32) -> Bool {
        if c < 0x80 {
            let lower = c | 0x20
            return (0x61...0x7A).contains(lower) || (0x30...0x39).contains(c)
        }
        if c < 0x100 { return latin1Words[Int(c - 0x80)] }
        return hasWordCategory(c)
    }

    /// ``hasWordCategory(_:)`` for U+0080 to U+00FF, looked up once.
    static let latin1Words: [Bool] = (0x80..<0x100).map { hasWordCategory(UInt32($0)) }

    /// Whether the scalar `c` is of the general categories L, M or N (Unicode's tables).
    static func hasWordCategory(_ c: UInt32) -> Bool {
        guard let scalar = Unicode.Scalar(c) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
            .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default: return false
        }
    }

    /// The hash of a word's normalized UTF-8 (FNV-1a, then mixed).
    static func hash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return mix(h)
    }

    /// A 64-bit finalizer (splitmix64's).
    @inline(__always) static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// One word being read: where it starts, and whether it is all ASCII (the fast path, hashed
/// as it is read).
struct WordBuilder {
    /// The UTF-8 of a word of Latin-1 scalars (`é`, `ß`, `Ü`), lowercased, as
    /// `String.lowercased()` then NFC give it: below U+0100 there is no combining mark, so the
    /// text is in NFC already, and the capitals U+00C0 to U+00DE (but ×) lowercase to the
    /// scalar 0x20 above. `nil` for any other word (the general path).
    static func latin1Lowercased(_ scalars: [UInt32]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(scalars.count * 2)
        for var c in scalars {
            guard c < 0x100 else { return nil }
            if (0x41...0x5A).contains(c) || ((0xC0...0xDE).contains(c) && c != 0xD7) { c += 0x20 }
            if c < 0x80 {
                out.append(UInt8(c))
            } else {
                out.append(UInt8(0xC0 | (c >> 6)))
                out.append(UInt8(0x80 | (c & 0x3F)))
            }
        }
        return out
    }

    /// The word's first scalar in the text, and its length: a word is a run of the text's
    /// scalars, read again from there only when it is not all ASCII.
    private var start = 0
    private var length = 0
    /// FNV-1a of the lowercased ASCII so far (``LeakWords/hash(_:)`` before its finalizer).
    private var fnv: UInt64 = 0
    private var isASCII = true

    /// Adds the ASCII letters and digits of `text` from `index` on (the first is one), its
    /// hash kept in a register; returns the index after them.
    @inline(__always) mutating func addASCII(_ text: [UInt32], from index: Int) -> Int {
        if length == 0 {
            start = index
            isASCII = true
            fnv = 0xcbf2_9ce4_8422_2325
        }
        var h = fnv
        var j = index
        while j < text.count {
            let c = text[j]
            let lower = c | 0x20  // a digit has that bit already
            guard (0x61...0x7A).contains(lower) || (0x30...0x39).contains(c) else { break }
            h = (h ^ UInt64(lower)) &* 0x100_0000_01b3
            j += 1
        }
        fnv = h
        length += j - index
        return j
    }

    @inline(__always) mutating func add(_ c: UInt32, at index: Int) {
        if length == 0 {
            start = index
            isASCII = true
            fnv = 0xcbf2_9ce4_8422_2325
        }
        length += 1
        if c < 0x80 {
            let lower = UInt64(c | (c >= 0x41 && c <= 0x5A ? 0x20 : 0))
            fnv = (fnv ^ lower) &* 0x100_0000_01b3
        } else {
            isASCII = false
        }
    }

    /// Ends the word, if one is being read, and hands it to `sink`; `text` holds its scalars.
    @inline(__always) mutating func end<S: LeakWordSink>(into sink: inout S, _ text: [UInt32]) {
        guard length > 0 else { return }
        let hash: UInt64
        if isASCII {
            hash = LeakWords.mix(fnv)
        } else {
            hash = Self.hash(Array(text[start..<(start + length)]))
        }
        length = 0
        sink.word(hash, at: start)
    }

    /// The hash of a word that is not all ASCII.
    static func hash(_ scalars: [UInt32]) -> UInt64 {
        if let latin1 = latin1Lowercased(scalars) { return LeakWords.hash(latin1) }
        var view = String.UnicodeScalarView()
        for c in scalars { if let scalar = Unicode.Scalar(c) { view.append(scalar) } }
        return LeakWords.hash(String(view).lowercased()._nfcCodeUnits)
    }
}
