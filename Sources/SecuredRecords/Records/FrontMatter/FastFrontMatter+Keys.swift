#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension FastFrontMatter.Checker {
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
