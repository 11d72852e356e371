/// A scanned text after the first decoding step of the leak audit (SPEC 1.3 section 10):
/// UTF-8 read into Unicode scalars (a byte that is not UTF-8 becomes U+FFFD, a separator),
/// HTML and XML character references decoded up to two levels deep (`&amp;lt;` is `<`),
/// JSON and JavaScript string escapes decoded (`\n`, `\"`, `\u00e9`, surrogate pairs, `\x20`,
/// `\u{1F600}`); a numeric reference's `;` may be missing (`&#32`), as browsers accept.
///
/// Markup is left for ``LeakWords``: a `<` decoded from `&lt;` (escaped HTML in a feed) is
/// then a tag like any other where the ``Kind`` has tags. Lines are those of the raw text: a decoded `\n` does not
/// start a new line.
struct LeakText {
    /// The decoded scalars.
    private(set) var scalars: [UInt32] = []
    /// For each raw line after the first, the index of its first decoded scalar.
    private var lineStarts: [Int] = []

    /// How the text is read (tags, Markdown links).
    let kind: Kind

    /// Decodes `bytes`, a text of the given kind.
    init(_ bytes: UnsafeBufferPointer<UInt8>, kind: Kind) {
        self.kind = kind
        scalars.reserveCapacity(bytes.count)
        let quotes: (UInt8, UInt8, UInt8) = kind == .script ? (0x22, 0x27, 0x60) : (0xFF, 0xFF, 0xFF)
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b == 0x26, let (value, next) = Self.reference(bytes, at: i) {
                scalars.append(value)
                i = next
            } else if b == 0x5C, let (value, next) = Self.escape(bytes, at: i) {
                scalars.append(value)
                i = next
            } else if b < 0x80 {
                let isQuote = b == quotes.0 || b == quotes.1 || b == quotes.2
                scalars.append(isQuote ? Self.stringBoundary : UInt32(b))
                i += 1
                if b == 0x0A { lineStarts.append(scalars.count) }
            } else {
                let (value, length) = Self.utf8(bytes, at: i)
                scalars.append(value)
                i += length
            }
        }
    }

    /// The 1-based raw line of the decoded scalar at `index`.
    func line(at index: Int) -> Int {
        var low = 0
        var high = lineStarts.count
        while low < high {
            let mid = (low + high) / 2
            if lineStarts[mid] <= index { low = mid + 1 } else { high = mid }
        }
        return low + 1
    }

    static let replacement: UInt32 = 0xFFFD

    /// One UTF-8 sequence at `i` (not ASCII): its scalar and length; U+FFFD and 1 when it is
    /// not valid UTF-8.
    static func utf8(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        let length: Int
        var value: UInt32
        let minimum: UInt32
        switch b0 {
        case 0xC2...0xDF: (length, value, minimum) = (2, b0 & 0x1F, 0x80)
        case 0xE0...0xEF: (length, value, minimum) = (3, b0 & 0x0F, 0x800)
        case 0xF0...0xF4: (length, value, minimum) = (4, b0 & 0x07, 0x10000)
        default: return (replacement, 1)
        }
        guard i + length <= bytes.count else { return (replacement, 1) }
        for k in 1..<length {
            let b = UInt32(bytes[i + k])
            guard b & 0xC0 == 0x80 else { return (replacement, 1) }
            value = value << 6 | (b & 0x3F)
        }
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            return (replacement, 1)
        }
        return (value, length)
    }

    /// A character reference at `i` (an `&`), decoded up to two levels: its scalar and the
    /// index after it; `nil` when there is none (the `&` is then an ordinary character).
    static func reference(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        guard let (value, next) = oneReference(bytes, at: i) else { return nil }
        // `&amp;` followed by a reference's name: the second level (`&amp;lt;` is `<`).
        if value == 0x26, let (inner, after) = oneReference(bytes, at: next - 1) {
            return (inner, after)
        }
        return (value, next)
    }

    /// One level: `&name;`, `&#N;` or `&#xH;` whose name starts at `i + 1` (`i` is the `&`,
    /// or for the second level the `;` of the `&amp;` just read, standing for it).
    private static func oneReference(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        var j = i + 1
        let n = bytes.count
        guard j < n else { return nil }
        if bytes[j] == 0x23 {  // '#'
            j += 1
            var radix: UInt32 = 10
            if j < n && (bytes[j] | 0x20) == 0x78 {
                radix = 16
                j += 1
            }
            var value: UInt32 = 0
            var digits = 0
            while j < n, let d = digit(bytes[j], radix: radix), digits < 8 {
                value = value * radix + d
                digits += 1
                j += 1
            }
            guard digits > 0 else { return nil }
            let valid = value > 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
            // The `;` may be missing, as browsers accept (`&#32`).
            return (valid ? value : replacement, j < n && bytes[j] == 0x3B ? j + 1 : j)
        }
        var name: [UInt8] = []
        while j < n, name.count <= HTMLEntities.longestName, isAlphanumeric(bytes[j]) {
            name.append(bytes[j])
            j += 1
        }
        guard !name.isEmpty, j < n, bytes[j] == 0x3B,
            let value = HTMLEntities.named[String(decoding: name, as: UTF8.self)]
        else { return nil }
        return (value, j + 1)
    }

    /// A JSON or JavaScript string escape at `i` (a backslash): its scalar and the index after
    /// it; `nil` when the backslash starts none.
    static func escape(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int)? {
        guard i + 1 < bytes.count else { return nil }
        switch bytes[i + 1] {
        case 0x6E, 0x72, 0x74, 0x62, 0x66: return (0x20, i + 2)  // \n \r \t \b \f: white space
        case 0x22, 0x27, 0x2F, 0x5C: return (UInt32(bytes[i + 1]), i + 2)
        case 0x78:  // JavaScript's \xHH
            guard i + 3 < bytes.count, let high = digit(bytes[i + 2], radix: 16),
                let low = digit(bytes[i + 3], radix: 16)
            else { return nil }
            let value = high << 4 | low
            return (value == 0 ? replacement : value, i + 4)
        case 0x75 where i + 2 < bytes.count && bytes[i + 2] == 0x7B:  // JavaScript's \u{H…}
            var value: UInt32 = 0
            var j = i + 3
            while j < bytes.count, j < i + 9, let d = digit(bytes[j], radix: 16) {
                value = value << 4 | d
                j += 1
            }
            guard j > i + 3, j < bytes.count, bytes[j] == 0x7D else { return nil }
            let valid = value > 0 && value <= 0x10FFFF && !(0xD800...0xDFFF).contains(value)
            return (valid ? value : replacement, j + 1)
        case 0x75:
            guard let high = hex4(bytes, at: i + 2) else { return nil }
            if (0xD800...0xDBFF).contains(high) {
                if i + 7 < bytes.count, bytes[i + 6] == 0x5C, bytes[i + 7] == 0x75,
                    let low = hex4(bytes, at: i + 8), (0xDC00...0xDFFF).contains(low)
                {
                    return (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), i + 12)
                }
                return (replacement, i + 6)
            }
            return ((0xDC00...0xDFFF).contains(high) || high == 0 ? replacement : high, i + 6)
        default: return nil
        }
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> UInt32? {
        guard i + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for k in 0..<4 {
            guard let d = digit(bytes[i + k], radix: 16) else { return nil }
            value = value << 4 | d
        }
        return value
    }

    private static func digit(_ b: UInt8, radix: UInt32) -> UInt32? {
        switch b {
        case 0x30...0x39: return UInt32(b - 0x30)
        case 0x61...0x66 where radix == 16: return UInt32(b - 0x61 + 10)
        case 0x41...0x46 where radix == 16: return UInt32(b - 0x41 + 10)
        default: return nil
        }
    }

    private static func isAlphanumeric(_ b: UInt8) -> Bool {
        (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
    }
}
