/// What YAML 1.1 reads a scalar as, for comparing mapping keys (SPEC section 1: keys are the
/// same when YAML 1.1 reads them as equal) and for the line rule (is a value a string?).
///
/// Plain scalars without a tag are resolved as YAML 1.1's resolver does (PyYAML's rules:
/// bool, float, int, merge, null, timestamp, value, else str), by hand, without regular
/// expressions; quoted and block scalars are strings; an explicit tag is taken as given.
/// A key's canonical form is its kind and its value: `title` and `"title"` are one key, so
/// are `0x10` and `16`, `~` and `null`, `yes` and `on`.
enum YAMLKey {
    static let tagPrefix = Array("tag:yaml.org,2002:".utf8)

    /// The canonical form of a scalar: a kind byte, then the value.
    static func canonical(
        _ v: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>?, style: YAMLEvent.Style
    ) -> [UInt8] {
        if let tag {
            let name = tag.starts(with: tagPrefix) ? Array(tag.dropFirst(tagPrefix.count)) : Array(tag)
            switch String(decoding: name, as: UTF8.self) {
            case "!", "str": return string(v)
            case "int": return int(v) ?? other(tag, v)
            case "float": return float(v) ?? other(tag, v)
            case "bool": return bool(v) ?? other(tag, v)
            case "null": return null(v) ?? other(tag, v)
            default: return other(tag, v)
            }
        }
        guard style == .plain else { return string(v) }
        return resolvePlain(v)
    }

    /// The kind bytes of canonical forms.
    enum Kind {
        static let str: UInt8 = 0x73, null: UInt8 = 0x6E, bool: UInt8 = 0x62, int: UInt8 = 0x69, bigInt: UInt8 = 0x49
        static let float: UInt8 = 0x66, timestamp: UInt8 = 0x74, merge: UInt8 = 0x6D, value: UInt8 = 0x76
        static let other: UInt8 = 0x78
    }

    static func string(_ v: UnsafeBufferPointer<UInt8>) -> [UInt8] { [Kind.str] + v }

    private static func other(_ tag: UnsafeBufferPointer<UInt8>, _ v: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        [Kind.other] + tag + [0] + v
    }

    /// YAML 1.1 implicit resolution of a plain scalar.
    static func resolvePlain(_ v: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        guard let first = v.first else { return [Kind.null] }
        switch first {
        case 0x2D, 0x2B, 0x2E, 0x30...0x39:  // - + . 0-9: numbers and timestamps
            if let f = float(v) { return f }
            if let i = int(v) { return i }
            if isTimestamp(v) { return [Kind.timestamp] + v }
        case 0x3C where v.count == 2 && v[1] == 0x3C: return [Kind.merge]
        case 0x3D where v.count == 1: return [Kind.value]
        case 0x7E, 0x6E, 0x4E:  // ~ n N
            if let n = null(v) { return n }
            if let b = bool(v) { return b }
        default:
            if let b = bool(v) { return b }
        }
        return string(v)
    }

    /// Up to 8 bytes packed little-endian into one word (longer: `nil`), for comparing short
    /// words without a loop over strings.
    static func packed(_ v: some Collection<UInt8>) -> UInt64? {
        guard v.count <= 8 else { return nil }
        var word: UInt64 = 0
        for (k, c) in v.enumerated() { word |= UInt64(c) << UInt64(8 * k) }
        return word | UInt64(v.count) << 60  // the length too, so "" and "\0" differ
    }

    private static func words(_ list: [String]) -> Set<UInt64> { Set(list.map { packed(Array($0.utf8))! }) }
    private static let nullWords = words(["~", "null", "Null", "NULL"])
    private static let trueWords = words(["yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"])
    private static let falseWords = words(["no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"])
    private static let nanWords = words([".nan", ".NaN", ".NAN"])
    private static let infWords = words([".inf", ".Inf", ".INF"])

    static func null(_ v: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        v.isEmpty || packed(v).map(nullWords.contains) == true ? [Kind.null] : nil
    }

    static func bool(_ v: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard v.count <= 5, let word = packed(v) else { return nil }
        if trueWords.contains(word) { return [Kind.bool, 1] }
        if falseWords.contains(word) { return [Kind.bool, 0] }
        return nil
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    /// `[-+]?` then binary `0b`, hex `0x`, octal `0…`, decimal, or base 60 `1:30`; `_` ignored.
    static func int(_ v: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var i = 0
        var negative = false
        if i < v.count && (v[i] == 0x2D || v[i] == 0x2B) {
            negative = v[i] == 0x2D
            i += 1
        }
        let digits = v[i...]
        guard let first = digits.first else { return nil }
        var value: UInt64 = 0
        var overflow = false
        func add(_ d: UInt64, base: UInt64) {
            let (m, o1) = value.multipliedReportingOverflow(by: base)
            let (s, o2) = m.addingReportingOverflow(d)
            value = s
            overflow = overflow || o1 || o2
        }
        func run(_ body: ArraySlice<UInt8>, base: UInt64, _ digit: (UInt8) -> UInt64?) -> Bool {
            guard !body.isEmpty else { return false }
            for c in body where c != 0x5F {
                guard let d = digit(c) else { return false }
                add(d, base: base)
            }
            return true
        }
        let body = Array(digits)
        if body.count >= 2 && first == 0x30 && body[1] == 0x62 {
            guard run(body[2...], base: 2, { $0 == 0x30 || $0 == 0x31 ? UInt64($0 - 0x30) : nil }) else { return nil }
        } else if body.count >= 2 && first == 0x30 && body[1] == 0x78 {
            guard
                run(
                    body[2...], base: 16,
                    { c in
                        switch c {
                        case 0x30...0x39: return UInt64(c - 0x30)
                        case 0x61...0x66: return UInt64(c - 0x61 + 10)
                        case 0x41...0x46: return UInt64(c - 0x41 + 10)
                        default: return nil
                        }
                    })
            else { return nil }
        } else if first == 0x30 {
            if body.count > 1 {
                guard run(body[1...], base: 8, { $0 >= 0x30 && $0 <= 0x37 ? UInt64($0 - 0x30) : nil }) else {
                    return nil
                }
            }
        } else if isDigit(first) {
            if body.contains(0x3A) {
                // Base 60: [1-9][0-9_]*(:[0-5]?[0-9])+
                let parts = body.split(separator: 0x3A, omittingEmptySubsequences: false)
                guard run(parts[0], base: 10, { isDigit($0) ? UInt64($0 - 0x30) : nil }) else { return nil }
                for part in parts.dropFirst() {
                    guard (1...2).contains(part.count), part.allSatisfy(isDigit),
                        part.count == 1 || part.first! <= 0x35
                    else { return nil }
                    var d: UInt64 = 0
                    for c in part { d = d * 10 + UInt64(c - 0x30) }
                    add(d, base: 60)
                }
            } else {
                guard run(body[...], base: 10, { isDigit($0) ? UInt64($0 - 0x30) : nil }) else { return nil }
            }
        } else {
            return nil
        }
        if overflow { return [Kind.bigInt] + v.filter { $0 != 0x5F } }
        if value == 0 { negative = false }
        return [Kind.int, negative ? 1 : 0] + withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// `[-+]?[0-9][0-9_]*\.[0-9_]*([eE][-+][0-9]+)?`, `\.[0-9_]+([eE][-+][0-9]+)?`, base 60
    /// with a fraction, `[-+]?\.inf`, `\.nan` (each in its three spellings).
    static func float(_ v: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        let s = Array(v)
        if packed(v).map(nanWords.contains) == true { return [Kind.float, 0x6E] }
        var i = 0
        var negative = false
        if i < s.count && (s[i] == 0x2D || s[i] == 0x2B) {
            negative = s[i] == 0x2D
            i += 1
        }
        let rest = Array(s[i...])
        if packed(rest).map(infWords.contains) == true {
            return [Kind.float, negative ? 0x2D : 0x2B, 0x69]
        }
        guard let dot = rest.firstIndex(of: 0x2E) else { return nil }
        let whole = rest[..<dot]
        var fraction = rest[(dot + 1)...]
        var exponent: ArraySlice<UInt8> = []
        if let e = fraction.firstIndex(where: { $0 == 0x65 || $0 == 0x45 }) {
            exponent = fraction[(e + 1)...]
            fraction = fraction[..<e]
            guard exponent.count >= 2, exponent.first == 0x2D || exponent.first == 0x2B,
                exponent.dropFirst().allSatisfy(isDigit)
            else { return nil }
        }
        guard fraction.allSatisfy({ isDigit($0) || $0 == 0x5F }) else { return nil }
        var value: Double = 0
        if whole.isEmpty {
            guard i == 0, !fraction.isEmpty, isDigit(fraction.first!) || fraction.first == 0x5F else { return nil }
        } else if whole.contains(0x3A) {
            guard exponent.isEmpty else { return nil }
            let parts = whole.split(separator: 0x3A, omittingEmptySubsequences: false)
            guard let head = parts.first, let h = head.first, isDigit(h), head.allSatisfy({ isDigit($0) || $0 == 0x5F })
            else { return nil }
            value = Double(String(decoding: head.filter { $0 != 0x5F }, as: UTF8.self)) ?? 0
            for part in parts.dropFirst() {
                guard (1...2).contains(part.count), part.allSatisfy(isDigit), part.count == 1 || part.first! <= 0x35
                else { return nil }
                value = value * 60 + (Double(String(decoding: part, as: UTF8.self)) ?? 0)
            }
            let f = Double("0." + String(decoding: fraction.filter { $0 != 0x5F }, as: UTF8.self)) ?? 0
            value += f
            return canonicalFloat(negative ? -value : value)
        } else {
            guard let h = whole.first, isDigit(h), whole.allSatisfy({ isDigit($0) || $0 == 0x5F }) else { return nil }
        }
        let w = String(decoding: whole.filter { $0 != 0x5F }, as: UTF8.self)
        let f = String(decoding: fraction.filter { $0 != 0x5F }, as: UTF8.self)
        var text = (w.isEmpty ? "0" : w) + "." + (f.isEmpty ? "0" : f)
        if !exponent.isEmpty { text += "e" + String(decoding: exponent, as: UTF8.self) }
        value = Double(text) ?? 0
        return canonicalFloat(negative ? -value : value)
    }

    private static func canonicalFloat(_ d: Double) -> [UInt8] {
        let normal = d == 0 ? 0 : d  // -0.0 and 0.0 are one value
        return [Kind.float, 0x3D] + withUnsafeBytes(of: normal.bitPattern.bigEndian) { Array($0) }
    }

    /// `YYYY-MM-DD`, or with a time: `YYYY-M-D(T|t|spaces)H:MM:SS(.fraction)?( *(Z|±H(:MM)?))?`.
    static func isTimestamp(_ v: UnsafeBufferPointer<UInt8>) -> Bool {
        let s = Array(v)
        var i = 0
        func digits(_ min: Int, _ max: Int) -> Bool {
            var n = 0
            while i < s.count && isDigit(s[i]) && n < max {
                i += 1
                n += 1
            }
            return n >= min
        }
        func byte(_ c: UInt8) -> Bool {
            guard i < s.count && s[i] == c else { return false }
            i += 1
            return true
        }
        guard digits(4, 4), byte(0x2D) else { return false }
        let dateStart = i
        if digits(2, 2), byte(0x2D), digits(2, 2), i == s.count { return true }
        i = dateStart
        guard digits(1, 2), byte(0x2D), digits(1, 2) else { return false }
        if i < s.count && (s[i] == 0x54 || s[i] == 0x74) {
            i += 1
        } else {
            let before = i
            while i < s.count && (s[i] == 0x20 || s[i] == 0x09) { i += 1 }
            guard i > before else { return false }
        }
        guard digits(1, 2), byte(0x3A), digits(2, 2), byte(0x3A), digits(2, 2) else { return false }
        if byte(0x2E) { _ = digits(0, Int.max) }
        while i < s.count && (s[i] == 0x20 || s[i] == 0x09) { i += 1 }
        if i == s.count { return true }
        if byte(0x5A) { return i == s.count }
        guard byte(0x2D) || byte(0x2B), digits(1, 2) else { return false }
        if byte(0x3A) { guard digits(2, 2) else { return false } }
        return i == s.count
    }
}
