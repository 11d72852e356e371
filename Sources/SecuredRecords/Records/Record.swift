#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A secured article record (SPEC section 1), parsed for structure and edited losslessly.
///
/// Parsing finds the front matter, its lines and top-level lines, and the body; it never
/// re-serialises anything. Every edit splices bytes and leaves all others untouched, so
/// `Record(parsing: bytes).bytes == bytes` and an edit shows up as a one-line diff.
///
/// ```swift
/// let record = try Record(parsing: bytes, file: "posts/a.md")
/// record.securedLine?.line.number          // where `secured` is
/// let edited = try record.removingTopLevelLine(record.signatureLine!)
/// ```
///
/// YAML checks (SR002) are separate: ``FrontMatterValidator``.
public struct Record: Sendable {
    /// The line terminators a record may use.
    public enum LineTerminator: String, Sendable {
        case lf = "\n"
        case crlf = "\r\n"

        /// The terminator's bytes.
        public var bytes: [UInt8] { self == .lf ? [0x0A] : [0x0D, 0x0A] }
    }

    /// One line of the front matter, or a delimiter line.
    public struct Line: Sendable, Equatable {
        /// 1-based line number in the file.
        public var number: Int
        /// Byte range of the whole line, terminator included.
        public var range: Range<Int>
        /// Byte offset where the content ends (the terminator starts).
        public var contentEnd: Int

        /// Byte range of the content, terminator excluded.
        public var contentRange: Range<Int> { range.lowerBound..<contentEnd }
        /// Whether the line has a terminator (only the closing `---` at the end of a file may lack one).
        public var hasTerminator: Bool { contentEnd < range.upperBound }
    }

    /// A top-level line: column-0 `KEY:` followed by a space or the end of the line.
    public struct TopLevelLine: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The line.
        public var line: Line
        /// Byte range of everything after the colon, up to the terminator.
        public var afterColon: Range<Int>
    }

    /// The record's bytes, exactly as read.
    public let bytes: [UInt8]
    /// The file name used in messages.
    public let file: String
    /// Whether the file starts with a UTF-8 byte-order mark (kept by every edit).
    public let hasBOM: Bool
    /// The terminator of the opening `---` line: the record's own style.
    public let lineTerminator: LineTerminator
    /// The opening `---` line.
    public let openingLine: Line
    /// The front-matter lines between the delimiters.
    public let frontMatterLines: FrontMatterLines
    /// The closing `---` line.
    public let closingLine: Line
    /// Every top-level line, in order.
    public let topLevelLines: [TopLevelLine]

    /// Largest record read by default (SPEC section 1).
    public static let defaultSizeLimit = 16 * 1024 * 1024

    /// Parses `bytes` as a record.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - file: the name used in messages.
    /// - Throws: ``RecordError`` SR017 (the file is not valid UTF-8: checked before anything
    ///   else, SPEC section 1) or SR001 (no front matter or not terminated).
    public init(parsing bytes: [UInt8], file: String) throws(RecordError) {
        if let line = Self.firstNonUTF8Line(bytes) {
            throw RecordError(
                .sr017Unreadable, file: file, line: line,
                reason: "file is not valid UTF-8 (first bad byte on this line)")
        }
        try self.init(parsingUTF8: bytes, file: file)
    }

    /// Parses bytes known to be UTF-8 up to the body: the record's own edits, whose new body
    /// may be decrypted content that is not UTF-8 (SR013 is a warning, not a reason to refuse).
    init(parsingUTF8 bytes: [UInt8], file: String) throws(RecordError) {
        self.bytes = bytes
        self.file = file
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        hasBOM = start == 3

        // A record's offsets fit in 32 bits: larger files are refused, whatever the size limit.
        guard bytes.count < Int(UInt32.max) else {
            throw RecordError(.sr017Unreadable, file: file, reason: "file is larger than 4 GiB")
        }
        var starts: [UInt32] = []
        starts.reserveCapacity(64)  // most front matters: one allocation, not seven doublings
        var offset = start
        var number = 0
        var opening: Line?
        var closing: Line?
        bytes.withUnsafeBufferPointer { buf in
            while offset < buf.count {
                number += 1
                var end = buf.count
                if let base = buf.baseAddress, let hit = memchr(base + offset, 0x0A, buf.count - offset) {
                    end = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                }
                let lineEnd = end < buf.count ? end + 1 : end
                let contentEnd = (end < buf.count && end > offset && buf[end - 1] == 0x0D) ? end - 1 : end
                let line = Line(number: number, range: offset..<lineEnd, contentEnd: contentEnd)
                let isDelimiter =
                    contentEnd - offset == 3 && buf[offset] == 0x2D && buf[offset + 1] == 0x2D
                    && buf[offset + 2] == 0x2D
                if opening == nil {
                    guard isDelimiter, line.hasTerminator else { return }
                    opening = line
                } else if isDelimiter {
                    closing = line
                    starts.append(UInt32(truncatingIfNeeded: offset))
                    return
                } else {
                    starts.append(UInt32(truncatingIfNeeded: offset))
                }
                offset = lineEnd
            }
        }
        guard let opening else {
            throw RecordError(
                .sr001NoFrontMatter, file: file, line: 1,
                reason: "no front matter: the first line is not '---'")
        }
        guard let closing else {
            throw RecordError(
                .sr001NoFrontMatter, file: file, line: opening.number,
                reason: "front matter is not terminated: no closing '---' line")
        }
        openingLine = opening
        closingLine = closing
        let lines = FrontMatterLines(starts: starts, bytes: bytes, firstNumber: opening.number + 1)
        frontMatterLines = lines
        lineTerminator = bytes[opening.contentEnd] == 0x0D ? .crlf : .lf

        topLevelLines = lines.compactMap { Self.topLevel(line: $0, in: bytes) }
    }

    /// The body: every byte after the closing `---` line's terminator.
    public var body: ArraySlice<UInt8> { bytes[closingLine.range.upperBound...] }

    /// Whether the body holds nothing but spaces, tabs and line terminators.
    public var isBodyBlank: Bool { Self.isBlank(body) }

    /// The top-level lines with this key.
    public func topLevelLines(forKey key: String) -> [TopLevelLine] {
        topLevelLines.filter { $0.key == key }
    }

    /// The first top-level `secured` line.
    public var securedLine: TopLevelLine? { topLevelLines.first { $0.key == "secured" } }

    /// The first top-level `signature` line.
    public var signatureLine: TopLevelLine? { topLevelLines.first { $0.key == "signature" } }

    /// The line that continues a top-level line's value, if YAML would read one: the next
    /// line that is not blank starts with a space or tab and is not a comment.
    ///
    /// - Returns: its 1-based number, or `nil`.
    public func continuationLine(after line: TopLevelLine) -> Int? {
        var index = line.line.number - openingLine.number
        while index < frontMatterLines.count {
            let next = frontMatterLines[index]
            var i = next.range.lowerBound
            while i < next.contentEnd && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
            if i == next.contentEnd {
                index += 1
                continue
            }
            let indented = i > next.range.lowerBound
            return indented && bytes[i] != 0x23 ? next.number : nil
        }
        return nil
    }

    // MARK: - Helpers

    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A: i += 1
            case 0x0D:
                guard i + 1 < bytes.endIndex, bytes[i + 1] == 0x0A else { return false }
                i += 2
            default: return false
            }
        }
        return true
    }

    /// The 1-based line holding the first byte that is not well-formed UTF-8, or `nil`.
    public static func firstNonUTF8Line(_ bytes: [UInt8]) -> Int? {
        if UTF8Validation.isValid(bytes[...]) { return nil }
        var start = 0
        var line = 1
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            if !UTF8Validation.isValid(bytes[start..<end]) { return line }
            start = end
            line += 1
        }
        return line
    }

    private static func topLevel(line: Line, in bytes: [UInt8]) -> TopLevelLine? {
        let found = bytes.withUnsafeBufferPointer {
            LineLexer.keyColon($0, from: line.range.lowerBound, to: line.contentEnd)
        }
        guard let colon = found else { return nil }
        let key = String(decoding: bytes[line.range.lowerBound..<colon], as: UTF8.self)
        return TopLevelLine(key: key, line: line, afterColon: (colon + 1)..<line.contentEnd)
    }
}
