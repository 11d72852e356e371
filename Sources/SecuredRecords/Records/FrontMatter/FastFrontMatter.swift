#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A fast, conservative SR002 check for the common shape of front matter.
///
/// Real front matter is nearly always simple block YAML: `key: value` lines, nested
/// mappings and `- ` lists at any depth, values quoted on one line or plain (in any script,
/// emoji included), `tags: [a, b]`. For that subset this
/// check decides, in one pass over the bytes and without building a YAML tree, what
/// ``FrontMatterValidator`` would decide with libyaml: the text is a YAML mapping, no
/// mapping repeats a key, and YAML agrees with the line rule about `secured` and
/// `signature`.
///
/// It answers only "certainly valid" (`true`) or "not sure" (`false`). Anything outside
/// the subset — flow collections other than one-line sequences of scalars, block scalars, anchors, aliases, tags, multi-line
/// scalars, escapes it does not know, tabs, characters libyaml treats specially, keys
/// YAML would not read as plain strings — is "not sure", and the full libyaml check
/// decides (and words the error). So this check can make the audit faster, never more
/// lenient: a test and a fuzz target hold it to that against libyaml (and PyYAML).
public enum FastFrontMatter {
    private struct Frame {
        var indent: Int
        var isSequence: Bool
        /// Where this mapping's keys start in the shared key list.
        var keyStart: Int
    }

    private enum Kind { case sequenceEntry, mappingKey }

    /// Whether `record`'s front matter is certainly free of SR002.
    public static func isCertainlyValid(_ record: Record) -> Bool {
        isCertainlyValid(record, blobCharacters: nil)
    }

    /// ``isCertainlyValid(_:)``, told where the decoded `secured` value's characters are
    /// (``Record/BlobReading/valueRange``: base64 and one `;`, between the quotes of the
    /// top-level `secured` line). Those are printable ASCII, with no quote and no escape,
    /// so they are not read again: not for their characters, not for the closing quote.
    static func isCertainlyValid(_ record: Record, blobCharacters: Range<Int>?) -> Bool {
        // Extra `signature` lines are blanked by the full check: leave those to it.
        var signatureLines = 0
        var securedLines = 0
        for line in record.topLevelLines {
            if line.key == "signature" { signatureLines += 1 }
            if line.key == "secured" { securedLines += 1 }
        }
        guard signatureLines <= 1, securedLines <= 1 else { return false }
        // The open collections and their keys live in two fixed buffers on the stack (no
        // array to grow, check for uniqueness or retain on every line). The nesting limit
        // bounds the first; a front matter holding more keys open at once than the second
        // takes is left to libyaml.
        return withUnsafeTemporaryAllocation(of: Frame.self, capacity: Checker.frameCapacity) { frames in
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Checker.keyCapacity) { keys in
                record.bytes.withUnsafeBufferPointer { buffer in
                    check(
                        record, buffer, frames.baseAddress!, keys.baseAddress!, blobCharacters, securedLines,
                        signatureLines)
                }
            }
        }
    }

    private static func check(
        _ record: Record, _ buffer: UnsafeBufferPointer<UInt8>, _ frames: UnsafeMutablePointer<Frame>,
        _ keys: UnsafeMutablePointer<Range<Int>>, _ blobCharacters: Range<Int>?, _ securedLines: Int,
        _ signatureLines: Int
    ) -> Bool {
        var checker = Checker(b: buffer, frames: frames, keys: keys)
        let start = record.openingLine.range.upperBound
        let end = record.closingLine.range.lowerBound
        if let blob = blobCharacters, start < blob.lowerBound, blob.upperBound < end {
            checker.blob = blob
            guard checker.charactersArePlain(start, blob.lowerBound),
                checker.charactersArePlain(blob.upperBound, end)
            else { return false }
        } else {
            guard checker.charactersArePlain(start, end) else { return false }
        }
        for line in record.frontMatterLines {
            guard checker.line(line.range.lowerBound, line.contentEnd) else { return false }
        }
        // YAML must see a `secured`/`signature` key exactly where the line rule does.
        return (securedLines == 1) == checker.sawSecured && (signatureLines == 1) == checker.sawSignature
    }

    private struct Checker {
        let b: UnsafeBufferPointer<UInt8>
        /// The open collections, innermost last: `frameCount` of them, the top-level mapping first.
        let frames: UnsafeMutablePointer<Frame>
        var frameCount = 1
        /// The keys of the open mappings, each mapping's from its frame's `keyStart`.
        let keys: UnsafeMutablePointer<Range<Int>>
        var keyCount = 0
        /// One frame a level: the nesting limit of SPEC section 1 bounds them.
        static let frameCapacity = FrontMatterValidator.maximumDepth
        /// Keys open at once (those of the mappings enclosing a line); more is left to libyaml.
        static let keyCapacity = 512
        /// A line ended in `key:` or `-` with no value: (indent of its frame, frame is a mapping).
        var pending: (indent: Int, fromMapping: Bool)?
        /// Whether YAML read a top-level `secured` / `signature` key (with a string value).
        var sawSecured = false
        var sawSignature = false
        /// The decoded `secured` value's characters (base64 and one `;`), if known.
        var blob: Range<Int>?

        init(b: UnsafeBufferPointer<UInt8>, frames: UnsafeMutablePointer<Frame>, keys: UnsafeMutablePointer<Range<Int>>)
        {
            self.b = b
            self.frames = frames
            self.keys = keys
            frames[0] = Frame(indent: 0, isSequence: false, keyStart: 0)
        }

        /// Adds a key to the innermost mapping; false ("not sure") when the buffer is full.
        mutating func addKey(_ name: Range<Int>) -> Bool {
            guard keyCount < Self.keyCapacity else { return false }
            keys[keyCount] = name
            keyCount += 1
            return true
        }

        /// Every character is one libyaml reads as itself: printable ASCII, LF, CRLF, and
        /// the characters its reader allows beyond ASCII — U+00A0-U+D7FF, U+E000-U+FFFD and
        /// U+10000-U+10FFFF — less those it treats specially (NEL, U+2028/9 and U+FEFF are
        /// line breaks or a BOM to it). Tabs and lone CRs are left to the full check.
        func charactersArePlain(_ start: Int, _ end: Int) -> Bool {
            var i = start
            let raw = UnsafeRawPointer(b.baseAddress!)
            while i < end {
                // Sixteen bytes at a time (two words) while all are printable ASCII or LF, so
                // that line ends do not leave the fast loop; then eight while all are printable;
                // otherwise straight to the first byte that is not (the lowest flagged one).
                if i + 16 <= end {
                    let w0 = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
                    let w1 = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self).littleEndian
                    if Self.notPrintable(Self.lineFeedsAsPrintable(w0))
                        | Self.notPrintable(Self.lineFeedsAsPrintable(w1))
                        == 0
                    {
                        i += 16
                        continue
                    }
                    let f0 = Self.notPrintable(w0)
                    let f1 = Self.notPrintable(w1)
                    i += f0 != 0 ? f0.trailingZeroBitCount >> 3 : 8 + f1.trailingZeroBitCount >> 3
                } else if i + 8 <= end {
                    let f = Self.notPrintable(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
                    if f == 0 {
                        i += 8
                        continue
                    }
                    i += f.trailingZeroBitCount >> 3
                }
                let c = b[i]
                if c >= 0x20 && c < 0x7F {
                    i += 1
                    continue
                }
                switch c {
                case 0x0A: i += 1
                case 0x0D:
                    guard i + 1 < end, b[i + 1] == 0x0A else { return false }
                    i += 2
                case 0xC2:
                    guard i + 1 < end, b[i + 1] >= 0xA0 else { return false }
                    i += 2
                case 0xC3...0xDF: i += 2
                case 0xE2:
                    // U+2028 and U+2029 are line breaks to libyaml, not to the line rule.
                    guard i + 2 < end, !(b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9)) else {
                        return false
                    }
                    i += 3
                case 0xE0...0xEC, 0xEE: i += 3
                case 0xED:
                    guard i + 1 < end, b[i + 1] < 0xA0 else { return false }
                    i += 3
                case 0xEF:
                    guard i + 2 < end else { return false }
                    if b[i + 1] == 0xBB && b[i + 2] == 0xBF { return false }
                    if b[i + 1] == 0xBF && (b[i + 2] == 0xBE || b[i + 2] == 0xBF) { return false }
                    i += 3
                case 0xF0...0xF4:
                    // U+10000-U+10FFFF: libyaml's reader takes them all (emoji, mathematical
                    // letters). The record is valid UTF-8 by now, so this is a whole scalar.
                    i += 4
                default: return false
                }
            }
            return true
        }

        /// `w` with each LF byte made printable (0x2A), every other byte unchanged: the fast
        /// loop's test then passes line ends, which the byte loop would otherwise take one by one.
        @inline(__always)
        static func lineFeedsAsPrintable(_ w: UInt64) -> UInt64 {
            // Exactly the LF bytes get 0x80 in `lf` (no carry crosses a byte: each sum is at
            // most 0xFE); 0x80 >> 2 is 0x20, which turns 0x0A into 0x2A.
            let ones: UInt64 = 0x0101_0101_0101_0101
            let x = w ^ (ones &* 0x0A)
            let lf = ~(((x & (ones &* 0x7F)) &+ (ones &* 0x7F)) | x) & (ones &* 0x80)
            return w | (lf >> 2)
        }

        /// Zero exactly when all eight bytes of `w` (the first in the low bits) are printable
        /// ASCII (0x20-0x7E); otherwise its lowest set bit is in the first byte that is not.
        /// A byte of 0x80 or more sets its own top bit; the lowest byte below 0x20 sets it in
        /// `w - 0x20` (the bytes under it are printable, so no borrow reaches it, though its
        /// borrow may flag the bytes above it); 0x7F sets it in `w + 0x01`. When all are
        /// printable, neither sum carries or borrows.
        @inline(__always)
        static func notPrintable(_ w: UInt64) -> UInt64 {
            let ones: UInt64 = 0x0101_0101_0101_0101
            return (w | (w &- ones &* 0x20) | (w &+ ones)) & (ones &* 0x80)
        }

        mutating func line(_ s: Int, _ e: Int) -> Bool {
            var i = s
            while i < e && b[i] == 0x20 { i += 1 }
            if i == e || b[i] == 0x23 { return true }  // blank or comment
            let column = i - s
            if b[i] == 0x2D && (i + 1 == e || b[i + 1] == 0x20) {
                guard structure(column, .sequenceEntry) else { return false }
                var j = i + 1
                while j < e && b[j] == 0x20 { j += 1 }
                if j == e || b[j] == 0x23 {
                    pending = (column, false)
                    return true
                }
                if b[j] == 0x2D && (j + 1 == e || b[j + 1] == 0x20) { return false }  // "- - x"
                if let key = key(j, e) {
                    // "- key: value": a mapping whose keys sit at this column.
                    guard push(Frame(indent: j - s, isSequence: false, keyStart: keyCount)), addKey(key.name) else {
                        return false
                    }
                    return value(key.colon + 1, e, mappingIndent: j - s, topLevelKey: nil)
                }
                return b[j] == 0x5B ? flowSequence(j, e) : scalar(j, e) != nil
            }
            guard let key = key(i, e) else { return false }
            guard structure(column, .mappingKey) else { return false }
            let top = frames[frameCount - 1]
            if keyCount - top.keyStart > 64 { return false }
            for k in top.keyStart..<keyCount where sameBytes(keys[k], key.name) { return false }
            guard addKey(key.name) else { return false }
            var topLevelKey: UInt8?
            if frameCount == 1 {
                let isSecured = sameBytes(key.name, "secured")
                let isSignature = sameBytes(key.name, "signature")
                if isSecured || isSignature {
                    // A quoted `secured`/`signature` key is not a top-level line.
                    guard !key.quoted else { return false }
                    topLevelKey = isSecured ? 1 : 2
                }
            }
            return value(key.colon + 1, e, mappingIndent: column, topLevelKey: topLevelKey)
        }

        /// Opens a block collection; false ("not sure") when the nesting nears the limit of SPEC
        /// section 1 (each frame is one level, and a one-line flow sequence may add one more):
        /// libyaml's event stream then decides, and finds a front matter too deep.
        mutating func push(_ frame: Frame) -> Bool {
            guard frameCount < Self.frameCapacity - 1 else { return false }
            frames[frameCount] = frame
            frameCount += 1
            return true
        }

        /// Places a line that starts a sequence entry or a mapping key at `column`.
        mutating func structure(_ column: Int, _ kind: Kind) -> Bool {
            if let open = pending {
                pending = nil
                if column > open.indent {
                    return push(Frame(indent: column, isSequence: kind == .sequenceEntry, keyStart: keyCount))
                }
                if column == open.indent && kind == .sequenceEntry && open.fromMapping {
                    // "key:" then "- item" at the key's own column.
                    return push(Frame(indent: column, isSequence: true, keyStart: keyCount))
                }
            }
            while frameCount > 1 {
                let top = frames[frameCount - 1]
                guard top.indent > column || (top.indent == column && top.isSequence && kind == .mappingKey) else {
                    break
                }
                frameCount -= 1
                keyCount = top.keyStart
            }
            let top = frames[frameCount - 1]
            return top.indent == column && top.isSequence == (kind == .sequenceEntry)
        }

        /// A key YAML reads as a plain string, then `:` and a space or the line end.
        func key(_ i: Int, _ e: Int) -> (name: Range<Int>, colon: Int, quoted: Bool)? {
            let c = b[i]
            if c == 0x22 || c == 0x27 {
                var j = i + 1
                while j < e && b[j] != c {
                    // No escapes, no doubled quotes, ASCII only: the key's bytes are its value.
                    if b[j] == 0x5C || b[j] >= 0x80 { return nil }
                    j += 1
                }
                guard j < e, j - i <= 256, j + 1 < e, b[j + 1] == 0x3A, j + 2 == e || b[j + 2] == 0x20 else {
                    return nil
                }
                return ((i + 1)..<j, j + 1, true)
            }
            // The line rule's key, less those starting with a digit: YAML 1.1 may read one as a
            // number or a date (`2024:`, `1_000:`), whose equality is not byte equality.
            guard !Self.isDigit(c), let j = LineLexer.keyColon(b, from: i, to: e), j - i <= 256 else { return nil }
            guard !Self.resolvesToNonString(b, i..<j) else { return nil }
            return (i..<j, j, false)
        }

        /// The value after `key:`: none (a nested block may follow), or a scalar ending the line.
        mutating func value(_ start: Int, _ e: Int, mappingIndent: Int, topLevelKey: UInt8?) -> Bool {
            var j = start
            while j < e && b[j] == 0x20 { j += 1 }
            if j == e || b[j] == 0x23 {
                if topLevelKey != nil { return false }
                pending = (mappingIndent, true)
                return true
            }
            if b[j] == 0x5B {
                // A flow sequence is not a string: a `secured`/`signature` holding one is left to libyaml.
                return topLevelKey == nil && flowSequence(j, e)
            }
            guard let scalar = scalar(j, e) else { return false }
            if let field = topLevelKey {
                // Only a quoted value without escapes has its bytes as its YAML value. It ends at
                // its first closing quote, which is where a literal value (SPEC section 2, base64
                // characters only) ends, so YAML and the line rule read the same value; if the
                // line holds no literal value, SR004/SR009 report it and SR002 has nothing to compare.
                guard scalar.quoted, !scalar.escaped else { return false }
                if field == 1 { sawSecured = true } else { sawSignature = true }
            }
            return true
        }

        /// A scalar that ends on this line (then only spaces or a comment).
        func scalar(_ i: Int, _ e: Int) -> (content: Range<Int>, quoted: Bool, escaped: Bool)? {
            let c = b[i]
            if c != 0x22 && c != 0x27 {
                // "-x" is a plain scalar ("- x" is a sequence entry, handled by the caller).
                var j = i + 1
                if Self.isIndicator(c) && !(c == 0x2D && j < e && b[j] != 0x20) { return nil }
                while j < e {
                    if b[j] == 0x3A && (j + 1 == e || b[j + 1] == 0x20) { return nil }
                    if b[j] == 0x23 && b[j - 1] == 0x20 { break }
                    j += 1
                }
                return (i..<j, false, false)
            }
            let q: (content: Range<Int>, after: Int, escaped: Bool)
            if let blob, blob.lowerBound == i + 1, blob.upperBound < e, b[blob.upperBound] == c {
                // The decoded blob: no quote or backslash inside, and its own quote closes it.
                q = (blob, blob.upperBound + 1, false)
            } else {
                guard let quoted = LineLexer.quoted(b, at: i, end: e) else { return nil }  // not closed on this line
                q = quoted
            }
            var j = q.after
            if j == e { return (q.content, true, q.escaped) }
            guard b[j] == 0x20 else { return nil }
            while j < e && b[j] == 0x20 { j += 1 }
            guard j == e || b[j] == 0x23 else { return nil }
            return (q.content, true, q.escaped)
        }

        /// A flow sequence on one line, `[a, b c, "d", 'e']`, then only spaces or a comment:
        /// items are plain scalars without flow indicators or colons, or quoted scalars
        /// without escapes. Anything else (nesting, a trailing comma, a colon) is "not sure".
        func flowSequence(_ i: Int, _ e: Int) -> Bool {
            var j = i + 1
            func skipSpaces() { while j < e && b[j] == 0x20 { j += 1 } }
            skipSpaces()
            if j < e && b[j] == 0x5D {
                j += 1
            } else {
                while true {
                    guard j < e else { return false }
                    let c = b[j]
                    if c == 0x22 || c == 0x27 {
                        guard let q = LineLexer.quoted(b, at: j, end: e), !q.escaped else { return false }
                        j = q.after
                    } else {
                        guard !Self.isIndicator(c) else { return false }
                        while j < e && b[j] != 0x2C && b[j] != 0x5D {
                            switch b[j] {
                            case 0x5B, 0x7B, 0x7D, 0x3A: return false
                            case 0x23 where b[j - 1] == 0x20: return false
                            default: j += 1
                            }
                        }
                    }
                    skipSpaces()
                    guard j < e else { return false }
                    if b[j] == 0x5D {
                        j += 1
                        break
                    }
                    guard b[j] == 0x2C else { return false }
                    j += 1
                    skipSpaces()
                    if j < e && b[j] == 0x5D { return false }  // a trailing comma
                }
            }
            if j == e { return true }
            guard b[j] == 0x20 else { return false }
            skipSpaces()
            return j == e || b[j] == 0x23
        }

        func sameBytes(_ a: Range<Int>, _ other: Range<Int>) -> Bool {
            guard a.count == other.count else { return false }
            guard let base = b.baseAddress, a.count > 0 else { return true }
            // The first byte before a call: most keys of one mapping differ there already.
            guard base[a.lowerBound] == base[other.lowerBound] else { return false }
            return memcmp(base + a.lowerBound, base + other.lowerBound, a.count) == 0
        }

        func sameBytes(_ a: Range<Int>, _ text: StaticString) -> Bool {
            guard a.count == text.utf8CodeUnitCount else { return false }
            var k = 0
            for i in a {
                if b[i] != text.utf8Start[k] { return false }
                k += 1
            }
            return true
        }

        static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

        /// Characters that start something other than a plain scalar (YAML 1.1 indicators).
        static func isIndicator(_ c: UInt8) -> Bool {
            switch c {
            case 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22,
                0x25, 0x40, 0x60:
                return true
            default: return false
            }
        }

        /// Plain keys starting with a letter or `_` that YAML 1.1 resolves to a bool or null
        /// (numbers, timestamps and merge keys start otherwise).
        static func resolvesToNonString(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>) -> Bool {
            guard r.count <= 5 else { return false }
            // Each of the words starts with one of y n t f o (either case).
            switch b[r.lowerBound] | 0x20 {
            case 0x79, 0x6E, 0x74, 0x66, 0x6F: break
            default: return false
            }
            var lower: UInt64 = 0
            var uppers = 0
            for (k, i) in r.enumerated() {
                lower |= UInt64(b[i] | 0x20) << UInt64(8 * k)
                if b[i] >= 0x41 && b[i] <= 0x5A { uppers += 1 }
            }
            guard nonStringWords.contains(lower) else { return false }
            // YAML 1.1 spells these all lower case, capitalised, or all upper case; a single
            // letter (y, n) is taken either way.
            let firstUpper = b[r.lowerBound] >= 0x41 && b[r.lowerBound] <= 0x5A
            return uppers == 0 || uppers == r.count || (uppers == 1 && firstUpper)
        }

        /// y n yes no true false on off null, lower case, packed little-endian.
        static let nonStringWords: [UInt64] = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"].map {
            var packed: UInt64 = 0
            for (k, c) in $0.utf8.enumerated() { packed |= UInt64(c) << UInt64(8 * k) }
            return packed
        }
    }
}
