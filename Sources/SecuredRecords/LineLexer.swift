/// The line rule's lexical pieces (SPEC section 1), read the same way by ``Record``, the
/// one-pass YAML check (``FastFrontMatter``) and ``LiteralValue``.
enum LineLexer {
    /// Whether `c` may start a line-rule key: `[A-Za-z0-9_]`.
    @inline(__always)
    static func isKeyStart(_ c: UInt8) -> Bool { keyTable[Int(c)] == 2 }

    /// Whether `c` may continue a line-rule key: `[A-Za-z0-9_.-]`.
    @inline(__always)
    static func isKeyCharacter(_ c: UInt8) -> Bool { keyTable[Int(c)] != 0 }

    /// 2: may start and continue a key; 1: may only continue one; 0: neither.
    private static let keyTable: [UInt8] = (0...255).map { c in
        let start = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
        return start ? 2 : (c == 0x2E || c == 0x2D ? 1 : 0)
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
}
