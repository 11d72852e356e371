/// The value of a `secured` or `signature` line, as SPEC sections 2 and 4 allow it to be
/// written: after the colon one or more spaces, then the value in double quotes, single
/// quotes or none, then optional trailing spaces. No escapes, comments or continuation.
public struct LiteralValue: Sendable, Equatable {
    /// The value without its quotes.
    public var value: String
    /// The quote character used, if any.
    public var quote: Character?

    /// Why a line's value is not a literal value.
    public struct Problem: Error, Sendable, Equatable {
        /// What is wrong, in words.
        public var reason: String
        /// The line to blame when it is not the field's own (a continuation line).
        public var line: Int?

        /// A problem, and the line to blame when it is not the field's own.
        public init(reason: String, line: Int? = nil) {
            self.reason = reason
            self.line = line
        }
    }

    /// Finds the value in the bytes after the colon, without copying them.
    ///
    /// - Returns: the value's byte range (indices of `utf8`) and its quote, or the ``Problem``.
    static func parse(
        _ utf8: ArraySlice<UInt8>, allowed: Alphabet, alphabetName: String
    ) -> Result<(Range<Int>, UInt8?), Problem> {
        func fail(_ reason: String) -> Result<(Range<Int>, UInt8?), Problem> { .failure(Problem(reason: reason)) }
        let base = utf8.startIndex
        let count = utf8.endIndex
        var i = base
        guard i < count, utf8[i] == 0x20 else { return fail("no space and value after the colon") }
        while i < count, utf8[i] == 0x20 { i += 1 }
        guard i < count else { return fail("the value is empty") }
        var quote: UInt8?
        if utf8[i] == 0x22 || utf8[i] == 0x27 {
            quote = utf8[i]
            i += 1
        }
        let start = i
        let closing = quote ?? 0
        i = utf8.withUnsafeBufferPointer { b in
            allowed.table.withUnsafeBufferPointer { table in
                // Indices of `b` are offsets from `base`. Quotes are never in an alphabet.
                var k = i - base
                while k < b.count && table[Int(b[k])] { k += 1 }
                return k + base
            }
        }
        if i < count {
            let c = utf8[i]
            if c != 0x20 && c != 0x09 && c != closing {
                let shown = c >= 0x21 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : hexByte(c)
                return fail("character \(shown) at column \(i - base + 1) is not \(alphabetName)")
            }
        }
        let end = i
        if quote != nil {
            guard i < count, utf8[i] == closing else {
                return fail(i < count ? "whitespace inside the quoted value" : "the closing quote is missing")
            }
            i += 1
        }
        while i < count, utf8[i] == 0x20 { i += 1 }
        guard i == count else {
            if utf8[i] == 0x23 { return fail("a comment after the value") }
            return fail("unexpected text after the value")
        }
        return .success((start..<end, quote))
    }

    private static func hexByte(_ c: UInt8) -> String {
        "0x" + String(c, radix: 16, uppercase: false)
    }

    /// Parses the value of a `secured` or `signature` top-level line.
    ///
    /// - Returns: the value, or the ``Problem`` with how it is written.
    public static func parse(field: String, of line: Record.TopLevelLine, in record: Record) -> Result<
        LiteralValue, Problem
    > {
        valueRange(field: field, of: line, in: record).map { range, quote in
            LiteralValue(
                value: String(decoding: record.bytes[range], as: UTF8.self),
                quote: quote.map { Character(Unicode.Scalar($0)) })
        }
    }

    /// Where the value of a `secured` or `signature` top-level line sits in the record's bytes.
    ///
    /// A value that YAML continues onto an indented next line is not written literally
    /// (SPEC section 2), whatever its first line holds.
    static func valueRange(field: String, of line: Record.TopLevelLine, in record: Record) -> Result<
        (Range<Int>, UInt8?), Problem
    > {
        if let next = record.continuationLine(after: line) {
            return .failure(
                Problem(reason: "the value is continued on line \(next) (an indented continuation line)", line: next))
        }
        let text = record.bytes[line.afterColon]
        if field == "secured" {
            return parse(text, allowed: blobAlphabet, alphabetName: "base64 or ';'")
        }
        return parse(text, allowed: signatureAlphabet, alphabetName: "allowed in a signature")
    }

    /// The content of a quoted value (`key: "…"` then only spaces), found with two scans
    /// for the quote and no check of its characters: a shortcut for callers that check
    /// them anyway (the blob decoder rejects anything but base64 and one `;`).
    static func quotedContent(of line: Record.TopLevelLine, in record: Record) -> Range<Int>? {
        record.bytes.withUnsafeBufferPointer { b in
            var i = line.afterColon.lowerBound
            let end = line.afterColon.upperBound
            guard i < end, b[i] == 0x20 else { return nil }
            while i < end && b[i] == 0x20 { i += 1 }
            guard i < end, b[i] == 0x22 || b[i] == 0x27, let q = LineLexer.quoted(b, at: i, end: end), !q.escaped
            else { return nil }
            var j = q.after
            while j < end && b[j] == 0x20 { j += 1 }
            return j == end ? q.content : nil
        }
    }

    /// A set of bytes as a 256-entry table (one load per byte, no closure call).
    struct Alphabet {
        let table: [Bool]

        init(_ member: (UInt8) -> Bool) {
            table = (0...255).map { member(UInt8($0)) }
        }
    }

    static let blobAlphabet = Alphabet(isBlobCharacter)
    static let signatureAlphabet = Alphabet(isSignatureCharacter)

    /// Characters of a `secured` value: base64 and `;`.
    public static func isBlobCharacter(_ c: UInt8) -> Bool {
        c == 0x3B || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            || c == 0x2B || c == 0x2F || c == 0x3D
    }

    /// Characters of a `signature` value: base64, `;` and the key-id characters `._-`.
    public static func isSignatureCharacter(_ c: UInt8) -> Bool {
        isBlobCharacter(c) || c == 0x2E || c == 0x5F || c == 0x2D
    }
}
