#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The line rule's lexical pieces (SPEC section 1) — its keys and one-line quoted scalars —
/// read the same way by ``Record``, the one-pass YAML check (``FastFrontMatter``) and
/// ``LiteralValue``. (Aliases are counted from libyaml's events, ``YAMLValidator``.)
enum LineLexer {
    /// Whether `c` may start a line-rule key: `[A-Za-z0-9_]`.
    @inline(__always)
    static func isKeyStart(_ c: UInt8) -> Bool {
        // One bit a byte, in two words for 0x00-0x3F and 0x40-0x7F: no table to load.
        inSet(c, low: 0x03FF_0000_0000_0000, high: 0x07FF_FFFE_87FF_FFFE)
    }

    /// Whether `c` may continue a line-rule key: `[A-Za-z0-9_.-]`.
    @inline(__always)
    static func isKeyCharacter(_ c: UInt8) -> Bool {
        inSet(c, low: 0x03FF_6000_0000_0000, high: 0x07FF_FFFE_87FF_FFFE)
    }

    /// Whether bit `c` is set in `low` (bytes 0x00-0x3F) or `high` (0x40-0x7F); bytes from
    /// 0x80 are in no set.
    @inline(__always)
    private static func inSet(_ c: UInt8, low: UInt64, high: UInt64) -> Bool {
        guard c < 0x80 else { return false }
        return ((c < 0x40 ? low : high) >> UInt64(c & 0x3F)) & 1 != 0
    }

    /// A line-rule key at `i`: `KEY:` followed by a space or the end of the line (`e`).
    ///
    /// - Returns: the index of the colon, or `nil` when the bytes from `i` are not such a key.
    static func keyColon(_ b: UnsafeBufferPointer<UInt8>, from i: Int, to e: Int) -> Int? {
        guard i < e, isKeyStart(b[i]) else { return nil }
        var j = i + 1
        while j < e && isKeyCharacter(b[j]) { j += 1 }
        guard j < e, b[j] == 0x3A, j + 1 == e || b[j + 1] == 0x20 else { return nil }
        return j
    }

    /// A quoted scalar that closes on its own line: `b[i]` is the opening `"` or `'`.
    ///
    /// In double quotes a backslash escapes the next character (only escapes libyaml reads
    /// as one character, short of `\x`, `\u` and `\U`, are taken); in single quotes `''` is
    /// a quote. Anything else (an unknown escape, no closing quote on the line) is `nil`.
    ///
    /// - Returns: the content's range (between the quotes), the index after the closing
    ///   quote, and whether the content holds an escape (so its bytes are not its value).
    static func quoted(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end e: Int) -> (
        content: Range<Int>, after: Int, escaped: Bool
    )? {
        let quote = b[i]
        var j = find(quote, b, i + 1, e)
        var escaped = false
        if quote == 0x22 {
            if find(0x5C, b, i + 1, j) < j {
                // Escapes: walk the value again, character by character.
                j = i + 1
                while j < e && b[j] != 0x22 {
                    if b[j] == 0x5C {
                        guard j + 1 < e, isSimpleEscape(b[j + 1]) else { return nil }
                        escaped = true
                        j += 1
                    }
                    j += 1
                }
            }
        } else {
            while j < e && j + 1 < e && b[j + 1] == 0x27 {
                escaped = true
                j = find(0x27, b, j + 2, e)
            }
        }
        guard j < e else { return nil }
        return ((i + 1)..<j, j + 1, escaped)
    }

    /// The index of the first `byte` in `from..<to`, or `to`.
    static func find(_ byte: UInt8, _ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        guard from < to, let base = b.baseAddress, let hit = memchr(base + from, Int32(byte), to - from) else {
            return to
        }
        return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
    }

    /// Escapes libyaml reads in double-quoted scalars as one character, short of \x, \u and \U.
    static func isSimpleEscape(_ c: UInt8) -> Bool {
        switch c {
        case 0x30, 0x61, 0x62, 0x74, 0x6E, 0x76, 0x66, 0x72, 0x65, 0x20, 0x22, 0x2F, 0x5C, 0x4E, 0x5F, 0x4C,
            0x50:
            return true
        default: return false
        }
    }
}
