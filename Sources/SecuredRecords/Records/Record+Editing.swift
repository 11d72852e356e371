extension Record {
    /// A copy with the bytes in `range` replaced, re-parsed.
    ///
    /// - Throws: ``RecordError`` if the result is no longer a record (the edits of this
    ///   library never cause that).
    func splicing(_ range: Range<Int>, with replacement: [UInt8]) throws(RecordError) -> Record {
        var out = bytes
        out.replaceSubrange(range, with: replacement)
        return try Record(parsingUTF8: out, file: file)
    }

    /// A copy with one top-level line replaced by `key: value` in the record's own line style.
    ///
    /// - Parameters:
    ///   - line: the line to replace.
    ///   - content: the new line's content, without terminator.
    /// - Returns: the edited record; every other byte is unchanged.
    /// - Throws: ``RecordError``.
    public func replacingTopLevelLine(_ line: TopLevelLine, with content: String) throws(RecordError) -> Record {
        try splicing(line.line.range, with: Array(content.utf8) + lineTerminator.bytes)
    }

    /// A copy with a new front-matter line inserted before the line that starts at `offset`.
    ///
    /// - Parameters:
    ///   - content: the new line's content, without terminator (the record's own is added).
    ///   - offset: the byte offset of an existing line's start.
    /// - Throws: ``RecordError``.
    public func insertingLine(_ content: String, at offset: Int) throws(RecordError) -> Record {
        try splicing(offset..<offset, with: Array(content.utf8) + lineTerminator.bytes)
    }

    /// A copy without the given top-level line (its terminator included).
    ///
    /// - Throws: ``RecordError``.
    public func removingTopLevelLine(_ line: TopLevelLine) throws(RecordError) -> Record {
        try splicing(line.line.range, with: [])
    }

    /// A copy whose body is `newBody`.
    ///
    /// If the closing `---` ends the file without a terminator and the new body is not
    /// empty, the record's own terminator is added to it first, so the body stays a body.
    ///
    /// - Throws: ``RecordError``.
    public func replacingBody(with newBody: some Collection<UInt8>) throws(RecordError) -> Record {
        var replacement: [UInt8] = []
        if !closingLine.hasTerminator && !newBody.isEmpty { replacement += lineTerminator.bytes }
        replacement += newBody
        return try splicing(closingLine.range.upperBound..<bytes.count, with: replacement)
    }
}

extension Record {
    /// Refuses a record whose `field` line, just written, would not read back as a literal
    /// value: an indented line after it makes YAML continue the value (SPEC section 2), so
    /// no tool writes a `secured` or `signature` it would itself report as SR004 / SR009.
    ///
    /// - Parameters:
    ///   - inserted: whether the line was inserted (not replaced), so that the line named is
    ///     the one in the file as it stands.
    /// - Throws: `.refused`, naming the line that continues it.
    func refuseUnlessLiteral(_ field: String, by what: String, inserted: Bool) throws(RecordError) {
        guard let line = topLevelLines(forKey: field).first,
            case .failure(let problem) = LiteralValue.valueRange(field: field, of: line, in: self)
        else { return }
        let shown = problem.line.map { inserted && $0 > line.line.number ? $0 - 1 : $0 }
        throw RecordError(
            .refused, file: file, line: shown ?? line.line.number, field: field,
            reason:
                "\(what) would write a '\(field)' line that does not read back literally (\(problem.reason)); fix the indented line first"
        )
    }
}
