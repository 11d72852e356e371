import Yams

/// Checks a record's front matter as YAML (SPEC section 1), for SR002.
///
/// The front matter must parse as a YAML 1.1 mapping with no key repeated in any
/// mapping (Yams, over libyaml, rejects repeats at every depth), no top-level merge key,
/// and YAML must agree with the line rule about `secured` and `signature`: a value
/// hidden in a multi-line string, a quoted key or a continuation line makes another
/// parser read another record, so the record is ambiguous.
public enum FrontMatterValidator {
    /// Validates `record`'s front matter.
    ///
    /// A second top-level `signature` line is not reported here: it is SR009, found by
    /// the signature checks (SPEC section 1).
    ///
    /// - Throws: ``RecordError`` SR002 with the line.
    public static func validate(_ record: Record) throws(RecordError) {
        // Most front matter is simple block YAML, decided in one pass; the rest goes to libyaml.
        if FastFrontMatter.isCertainlyValid(record) { return }
        try validateWithLibYAML(record)
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

    /// The full check with libyaml (through Yams), which also words every error.
    public static func validateWithLibYAML(_ record: Record) throws(RecordError) {
        // Blank out extra top-level `signature` lines (keeping line numbers), so that
        // YAML's duplicate-key error does not hide the SR009 they are.
        let signatureLines = record.topLevelLines(forKey: "signature")
        var text: String
        if signatureLines.count > 1 {
            var bytes = Array(record.bytes[record.openingLine.range.upperBound..<record.closingLine.range.lowerBound])
            let base = record.openingLine.range.upperBound
            for extra in signatureLines.dropFirst() {
                for i in (extra.line.range.lowerBound - base)..<(extra.line.contentEnd - base) { bytes[i] = 0x20 }
            }
            text = String(decoding: bytes, as: UTF8.self)
        } else {
            text = record.frontMatterText
        }
        let firstLine = record.openingLine.number + 1

        func fail(_ line: Int?, _ field: String?, _ reason: String) -> RecordError {
            RecordError(.sr002AmbiguousFrontMatter, file: record.file, line: line, field: field, reason: reason)
        }

        // Aliases can nest into an exponential tree ("billion laughs"); libyaml shares the
        // nodes, but comparing keys walks them all. Real front matter uses none.
        if let (count, line) = aliasTokens(in: text), count > maximumAliases {
            throw fail(
                line + firstLine - 1, nil,
                "front matter uses more than \(maximumAliases) YAML aliases ('*name'); not expanded, as an alias bomb would take exponential time"
            )
        }

        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw fail(
                yamlErrorLine(error).map { $0 + firstLine - 1 }, nil,
                "front matter is not valid YAML: \(summary(error))")
        } catch {
            throw fail(nil, nil, "front matter is not valid YAML")
        }
        // An empty front matter (nothing but comments) is taken as an empty mapping.
        guard let root else {
            if let problem = checkLineRule(record, mapping: nil, fail: fail) { throw problem }
            return
        }
        guard case .mapping(let mapping) = root else {
            throw fail(firstLine, nil, "front matter is a YAML \(kind(root)), not a mapping")
        }
        for (key, _) in mapping where key.scalar?.string == "<<" && key.scalar?.style == .plain {
            throw fail(line(of: key, firstLine), "<<", "front matter has a top-level YAML merge key ('<<')")
        }
        if let problem = checkLineRule(record, mapping: mapping, fail: fail) { throw problem }
    }

    private static func checkLineRule(
        _ record: Record, mapping: Node.Mapping?, fail: (Int?, String?, String) -> RecordError
    ) -> RecordError? {
        let firstLine = record.openingLine.number + 1
        for field in ["secured", "signature"] {
            let lines = record.topLevelLines(forKey: field)
            var yamlPairs: [(key: Node, value: Node)] = []
            for (key, value) in mapping ?? Node.Mapping([]) {
                if case .scalar(let s) = key, s.string == field, key.tag.rawValue == Tag.Name.str.rawValue {
                    yamlPairs.append((key, value))
                }
            }
            if field == "secured" && lines.count > 1 {
                return fail(lines[1].line.number, field, "'secured' appears on two top-level lines")
            }
            guard let topLine = lines.first else {
                if let pair = yamlPairs.first {
                    return fail(
                        line(of: pair.key, firstLine), field,
                        "YAML reads a '\(field)' key that is not on a top-level line of its own (quoted key or flow mapping)"
                    )
                }
                continue
            }
            guard let value = yamlPairs.first?.value else {
                return fail(
                    topLine.line.number, field,
                    "this '\(field):' line is not a key for YAML (it sits inside another value, such as a multi-line string)"
                )
            }
            // Only a well-formed literal can be compared; a malformed one is SR004/SR009.
            guard case .success(let literal) = LiteralValue.parse(field: field, of: topLine, in: record)
            else { continue }
            let yamlValue: String? =
                value.tag.rawValue == Tag.Name.str.rawValue || value.scalar?.style != .plain
                ? value.scalar?.string : nil
            if yamlValue != literal.value {
                return fail(
                    topLine.line.number, field,
                    "YAML reads a different '\(field)' value than the line holds (a continuation line or a non-string value)"
                )
            }
        }
        return nil
    }

    /// Most YAML aliases (`*name`) a front matter may use (SPEC section 1 leaves this open:
    /// a limit is what keeps a hostile record from hanging the audit).
    public static let maximumAliases = 16

    /// How many tokens that YAML could read as aliases the text holds (an over-count: quoted
    /// scalars and comments are skipped, block scalars are not), and the 1-based line of the
    /// one past the limit; `nil` when there are none.
    static func aliasTokens(in text: String) -> (count: Int, line: Int)? {
        var count = 0
        var line = 1
        var limitLine = 1
        var quote: UInt8 = 0
        var previous: UInt8 = 0x0A
        var iterator = text.utf8.makeIterator()
        var pending: UInt8? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            defer { previous = c }
            if c == 0x0A { line += 1 }
            if quote != 0 {
                if quote == 0x22 && c == 0x5C {
                    if let escaped = iterator.next() { if escaped == 0x0A { line += 1 } }
                    continue
                }
                if c == quote {
                    if quote == 0x27, let next = iterator.next() {
                        if next == 0x27 { continue }
                        pending = next
                    }
                    quote = 0
                }
                continue
            }
            let atTokenStart = [0x0A, 0x20, 0x09, 0x5B, 0x7B, 0x2C, 0x3F, 0x3A, 0x2D].contains(previous)
            guard atTokenStart else { continue }
            switch c {
            case 0x22, 0x27: quote = c
            case 0x23:  // a comment, to the end of the line
                while let next = iterator.next() {
                    if next == 0x0A {
                        pending = next
                        break
                    }
                }
            case 0x2A:
                count += 1
                if count == maximumAliases + 1 { limitLine = line }
            default: break
            }
        }
        return count == 0 ? nil : (count, limitLine)
    }

    private static func line(of node: Node, _ firstLine: Int) -> Int? {
        node.mark.map { $0.line + firstLine - 1 }
    }

    private static func kind(_ node: Node) -> String {
        switch node {
        case .scalar: return "scalar"
        case .sequence: return "sequence"
        case .mapping: return "mapping"
        case .alias: return "alias"
        }
    }

    private static func yamlErrorLine(_ error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        case .duplicatedKeysInMapping(_, let context):
            return context.mark.line
        default:
            return nil
        }
    }

    private static func summary(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return
                "a key is repeated in one mapping (\(duplicates.map { "'\($0)'" }.joined(separator: ", ")); line of its first occurrence)"
        default:
            return "\(error)"
        }
    }
}
