/// Finds secret key material in a file of any shape, as the pre-commit hook looks for it
/// (`StagedCheck.secretKeys(in:)`): a field `enc`, `mac` or `sign` (any case, optionally
/// quoted) followed by `:` and a value that looks like key bytes — 20 to 100 characters of
/// base64 (or hex), mixing at least two of upper case, lower case and digits or `+` `/`,
/// optionally quoted or tagged. The field may start a line (after blanks, a `-`, a byte-order
/// mark) or follow `{`, `,`, `[`, a quote or a blank, so a key file, a YAML document, a flow
/// mapping, JSON and a key pasted into prose are all found, whatever else the file holds (an
/// unknown field, a bad id, a Latin-1 comment, any size). UTF-16 and UTF-32 (with a
/// byte-order mark, or UTF-16 whose first bytes show it) are read as the characters they
/// encode. Text that only names a field (`enc: <base64 of 32 bytes>`, `mac: optional`) is not
/// key material.
///
/// Bytes are fed as they come (``feed(_:)``), so a file is never held whole.
///
/// ```swift
/// var scanner = KeyMaterialScanner()
/// scanner.feed(bytes)
/// scanner.finish()
/// scanner.fields  // ["enc", "mac"]
/// ```
public struct KeyMaterialScanner: Sendable {
    /// The fields found, lowercased (`enc`, `mac`, `sign`).
    public private(set) var fields: Set<String> = []

    private enum Encoding { case bytes, utf16LE, utf16BE, utf32LE, utf32BE }
    private var encoding: Encoding?
    /// The first bytes, until the encoding is known; then the bytes of a code unit cut by
    /// the end of a chunk.
    private var pending: [UInt8] = []
    /// Text (one byte per character, 0x80 for any character outside ASCII) not yet scanned
    /// to its end: at most one field being read.
    private var window: [UInt8] = []
    /// The character before ``window``, if any (a field must follow a boundary).
    private var previous: UInt8?

    /// A scanner that has seen nothing yet.
    public init() {}

    /// The fields of key material in `bytes`.
    public static func fields(in bytes: some Collection<UInt8>) -> Set<String> {
        var scanner = KeyMaterialScanner()
        scanner.feed(bytes)
        scanner.finish()
        return scanner.fields
    }

    /// Reads the next bytes of the file.
    public mutating func feed(_ bytes: some Collection<UInt8>) {
        pending.append(contentsOf: bytes)
        if encoding == nil {
            guard pending.count >= 64 else { return }
            encoding = Self.encoding(of: pending)
        }
        decodePending()
        scan(final: false)
    }

    /// Reads the end of the file.
    public mutating func finish() {
        if encoding == nil { encoding = Self.encoding(of: pending) }
        decodePending()
        pending = []
        scan(final: true)
        window = []
    }

    private static func encoding(of head: [UInt8]) -> Encoding {
        if head.starts(with: [0xFF, 0xFE, 0, 0]) { return .utf32LE }
        if head.starts(with: [0, 0, 0xFE, 0xFF]) { return .utf32BE }
        if head.starts(with: [0xFF, 0xFE]) { return .utf16LE }
        if head.starts(with: [0xFE, 0xFF]) { return .utf16BE }
        // No mark: UTF-16 of mostly ASCII text has a zero in every other byte.
        let pairs = head.count / 2
        guard pairs >= 2 else { return .bytes }
        var evenZeros = 0
        var oddZeros = 0
        for k in 0..<pairs {
            if head[2 * k] == 0 { evenZeros += 1 }
            if head[2 * k + 1] == 0 { oddZeros += 1 }
        }
        if oddZeros * 10 >= pairs * 9 && evenZeros * 10 <= pairs { return .utf16LE }
        if evenZeros * 10 >= pairs * 9 && oddZeros * 10 <= pairs { return .utf16BE }
        return .bytes
    }

    private mutating func decodePending() {
        guard let encoding else { return }
        let width: Int
        switch encoding {
        case .bytes:
            window.append(contentsOf: pending)
            pending = []
            return
        case .utf16LE, .utf16BE: width = 2
        case .utf32LE, .utf32BE: width = 4
        }
        let whole = pending.count - pending.count % width
        var k = 0
        while k < whole {
            var unit: UInt32 = 0
            for j in 0..<width {
                let byte = UInt32(pending[k + j])
                switch encoding {
                case .utf16LE, .utf32LE: unit |= byte << (8 * UInt32(j))
                default: unit = unit << 8 | byte
                }
            }
            // The byte-order mark reads as one non-ASCII character, a boundary.
            window.append(unit < 0x80 ? UInt8(unit) : 0x80)
            k += width
        }
        pending.removeFirst(whole)
    }

    private enum Match {
        case found(String)
        case none
        case needMore
    }

    private mutating func scan(final: Bool) {
        var i = 0
        while i < window.count {
            let c = window[i] | 0x20
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "m") || c == UInt8(ascii: "s"),
                Self.isBoundary(i == 0 ? previous : window[i - 1])
            {
                switch Self.match(window, at: i, final: final) {
                case .found(let field): fields.insert(field)
                case .none: break
                case .needMore:
                    if i > 0 { previous = window[i - 1] }
                    window.removeFirst(i)
                    return
                }
            }
            i += 1
        }
        if let last = window.last { previous = last }
        window.removeAll(keepingCapacity: true)
    }

    /// Whether a field may start after `c` (the start of the text when `nil`).
    private static func isBoundary(_ c: UInt8?) -> Bool {
        guard let c else { return true }
        return !(isAlphanumeric(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-") || c == UInt8(ascii: "."))
    }

    private static func isAlphanumeric(_ c: UInt8) -> Bool {
        (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c)
    }

    private static let names: [(String, [UInt8])] = [
        ("enc", Array("enc".utf8)), ("mac", Array("mac".utf8)), ("sign", Array("sign".utf8)),
    ]

    /// The field at `start`, if a key-like value follows it.
    private static func match(_ text: [UInt8], at start: Int, final: Bool) -> Match {
        var reader = Reader(text: text, position: start, final: final)
        guard let (field, name) = names.first(where: { $0.1.first == text[start] | 0x20 }) else { return .none }
        for byte in name {
            guard let c = reader.next() else { return reader.end }
            guard c | 0x20 == byte else { return .none }
        }
        if let c = reader.peek(), c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { reader.skip() }
        guard reader.skipBlanks() else { return reader.end }
        guard let colon = reader.next() else { return reader.end }
        guard colon == UInt8(ascii: ":") else { return .none }
        // The value may follow on the next line, indented (YAML allows it).
        guard reader.skipBlanks(lineBreaks: true) else { return reader.end }
        if reader.peek() == UInt8(ascii: "!") {  // a YAML tag: !!binary
            guard reader.skipWord(), reader.skipBlanks() else { return reader.end }
        }
        if let c = reader.peek(), c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") { reader.skip() }
        return reader.keyLikeValue(field: field)
    }

    /// Reads forward in the text; at its end, answers ``Match/needMore`` unless the text is
    /// all there.
    private struct Reader {
        let text: [UInt8]
        var position: Int
        let final: Bool

        var end: Match { final ? .none : .needMore }

        func peek() -> UInt8? { position < text.count ? text[position] : nil }
        mutating func skip() { position += 1 }
        mutating func next() -> UInt8? {
            guard let c = peek() else { return nil }
            position += 1
            return c
        }

        /// Skips up to 32 blanks (line breaks too, with `lineBreaks`); false when the text
        /// ends first.
        mutating func skipBlanks(lineBreaks: Bool = false) -> Bool {
            for _ in 0...32 {
                guard let c = peek() else { return false }
                guard c == 0x20 || c == 0x09 || (lineBreaks && (c == 0x0A || c == 0x0D)) else { return true }
                position += 1
            }
            return true
        }

        /// Skips up to 32 characters that are not blanks; false when the text ends first.
        mutating func skipWord() -> Bool {
            for _ in 0...32 {
                guard let c = peek() else { return false }
                guard c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D else { return true }
                position += 1
            }
            return true
        }

        mutating func keyLikeValue(field: String) -> Match {
            var count = 0
            var upper = false
            var lower = false
            var other = false
            while let c = peek(),
                KeyMaterialScanner.isAlphanumeric(c) || c == 0x2B || c == 0x2F || c == 0x2D || c == 0x5F
            {
                if (0x41...0x5A).contains(c) { upper = true }
                if (0x61...0x7A).contains(c) { lower = true }
                if (0x30...0x39).contains(c) || c == 0x2B || c == 0x2F { other = true }
                count += 1
                position += 1
                if count > 100 { return .none }
            }
            var padding = 0
            while peek() == UInt8(ascii: "=") && padding < 3 {
                padding += 1
                position += 1
            }
            if peek() == nil && !final { return .needMore }
            guard count >= 20, padding <= 2, [upper, lower, other].filter({ $0 }).count >= 2 else { return .none }
            return .found(field)
        }
    }
}
