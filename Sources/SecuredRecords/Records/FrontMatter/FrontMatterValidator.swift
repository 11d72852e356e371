#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks a record's front matter as YAML (SPEC section 1), for SR002.
///
/// The front matter must parse as a YAML 1.1 mapping with no key repeated in any
/// mapping (compared as YAML 1.1 reads keys), no top-level merge key, and YAML must agree
/// with the line rule about `secured` and `signature`: a value hidden in a multi-line
/// string, a quoted key or a flow mapping makes another parser read another record, so the
/// record is ambiguous. Most front matter is decided by ``FastFrontMatter`` in one pass; the
/// rest by `YAMLValidator` on libyaml's event stream (no node tree, memory bounded by the text).
public enum FrontMatterValidator {
    /// Validates `record`'s front matter.
    ///
    /// A second top-level `signature` line is not reported here: it is SR009, found by
    /// the signature checks (SPEC section 1).
    ///
    /// - Returns: whether the one-pass check decided it (`false`: libyaml's event stream did).
    /// - Throws: ``RecordError`` SR002 with the line.
    @discardableResult
    public static func validate(_ record: Record) throws(RecordError) -> Bool {
        try validate(record, blobCharacters: nil)
    }

    /// ``validate(_:)``, told where the record's decoded `secured` value is
    /// (``Record/BlobReading/valueRange``): its characters need no second reading.
    @discardableResult
    static func validate(_ record: Record, blobCharacters: Range<Int>?) throws(RecordError) -> Bool {
        // Most front matter is simple block YAML, decided in one pass; the rest goes to libyaml.
        if FastFrontMatter.isCertainlyValid(record, blobCharacters: blobCharacters) { return true }
        try validateWithLibYAML(record)
        return false
    }

    /// Refuses an edit of valid front matter that left it invalid (a column-0 line added to
    /// a mapping whose keys are indented, say), so that no tool writes a record it would
    /// itself report as SR002. The caller knows the original was valid.
    ///
    /// - Throws: `.refused`, naming the line and what YAML said.
    static func refuseIfBroken(_ edited: Record, by what: String) throws(RecordError) {
        do {
            try validate(edited)
        } catch {
            throw RecordError(
                .refused, file: edited.file, line: error.line,
                reason:
                    "\(what) would leave front matter that is not valid YAML (\(error.reason)); top-level keys must start in column 0, as 'secured' and 'signature' lines do"
            )
        }
    }

    /// The full check on libyaml's event stream, which also words every error.
    public static func validateWithLibYAML(_ record: Record) throws(RecordError) {
        let start = record.openingLine.range.upperBound
        let end = record.closingLine.range.lowerBound
        // Blank out extra top-level `signature` lines (keeping line numbers), so that
        // YAML's duplicate-key error does not hide the SR009 they are.
        var text = Array(record.bytes[start..<end])
        for extra in record.topLevelLines(forKey: "signature").dropFirst() {
            for i in (extra.line.range.lowerBound - start)..<(extra.line.contentEnd - start) { text[i] = 0x20 }
        }
        let firstLine = record.openingLine.number + 1
        let reading: YAMLValidator.Reading
        do {
            reading = try text.withUnsafeBufferPointer { (b) throws(YAMLValidator.Problem) in try YAMLValidator.read(b)
            }
        } catch {
            throw RecordError(
                .sr002AmbiguousFrontMatter, file: record.file, line: error.line.map { $0 + firstLine },
                field: error.field, reason: error.reason)
        }
        try checkLineRule(record, reading: reading, firstLine: firstLine)
    }

    /// YAML must see `secured` and `signature` exactly where, and as, the line rule does.
    private static func checkLineRule(
        _ record: Record, reading: YAMLValidator.Reading, firstLine: Int
    ) throws(RecordError) {
        func fail(_ line: Int?, _ field: String, _ reason: String) -> RecordError {
            RecordError(.sr002AmbiguousFrontMatter, file: record.file, line: line, field: field, reason: reason)
        }
        for field in ["secured", "signature"] {
            let lines = record.topLevelLines(forKey: field)
            let yaml = reading.fields.filter { $0.name == field }.map(\.value)
            if field == "secured" && lines.count > 1 {
                throw fail(lines[1].line.number, field, "'secured' appears on two top-level lines")
            }
            guard let topLine = lines.first else {
                if let seen = yaml.first {
                    throw fail(
                        seen.keyLine + firstLine, field,
                        "YAML reads a '\(field)' key that is not on a top-level line of its own (quoted key or flow mapping)"
                    )
                }
                continue
            }
            guard let value = yaml.first(where: { $0.keyLine + firstLine == topLine.line.number }) ?? yaml.first
            else {
                throw fail(
                    topLine.line.number, field,
                    "this '\(field):' line is not a key for YAML (it sits inside another value, such as a multi-line string)"
                )
            }
            // Only a well-formed literal can be compared; a malformed one is SR004/SR009.
            guard case .success(let (range, _)) = LiteralValue.valueRange(field: field, of: topLine, in: record)
            else { continue }
            let same = value.string.map { string in
                string.count == range.count
                    && string.withUnsafeBytes { a in
                        record.bytes.withUnsafeBytes { b in
                            memcmp(a.baseAddress!, b.baseAddress! + range.lowerBound, range.count) == 0
                        }
                    }
            }
            guard same == true else {
                throw fail(
                    topLine.line.number, field,
                    "YAML reads a different '\(field)' value than the line holds (a continuation line or a non-string value)"
                )
            }
        }
    }

    /// Most YAML aliases (`*name`) a front matter may use (SPEC section 1 leaves this open:
    /// a limit is what keeps a hostile record from hanging the audit).
    public static let maximumAliases = 16

    /// How deep a front matter's collections may nest (SPEC section 1, resource limits): flow
    /// and block nesting counted together, the top-level mapping being level 1.
    public static let maximumDepth = 64
}
