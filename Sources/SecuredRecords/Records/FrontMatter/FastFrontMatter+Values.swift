extension FastFrontMatter.Checker {
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

    /// Characters that start something other than a plain scalar (YAML 1.1 indicators).
    static func isIndicator(_ c: UInt8) -> Bool {
        switch c {
        case 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22,
            0x25, 0x40, 0x60:
            return true
        default: return false
        }
    }
}
