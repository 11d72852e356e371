import SecuredCrypto

extension Record {
    /// The record's `secured` blob as the line rule reads it (SPEC section 2).
    public struct BlobReading: Sendable {
        /// The line of the `secured` field.
        public var line: Int
        /// The blob, when it is well-formed.
        public var value: SealedValue?
        /// What is wrong with its form (SR004–SR007), in code order; empty when `value` is set.
        public var findings: [RecordError]
        /// Where the decoded value's characters are in the record's bytes, when `value` is
        /// set: only base64 characters and one `;`, so no quote, escape, line break or
        /// character YAML treats specially (the one-pass YAML check need not read them again).
        var valueRange: Range<Int>? = nil
    }

    /// Reads the `secured` blob: the one accessor the auditor, the sealer and inspect use.
    ///
    /// - Returns: the reading, or `nil` when the record has no top-level `secured` line.
    public func readBlob() -> BlobReading? {
        guard let line = securedLine else { return nil }
        let number = line.line.number
        // The common case first: a quoted value with no continuation that decodes as a blob
        // is written literally (the decoder takes base64 and one ';' only).
        if continuationLine(after: line) == nil, let range = LiteralValue.quotedContent(of: line, in: self),
            let value = bytes.withUnsafeBytes({
                SealedValue.parse(utf8: UnsafeRawBufferPointer(rebasing: $0[range])).value
            })
        {
            return BlobReading(line: number, value: value, findings: [], valueRange: range)
        }
        switch LiteralValue.valueRange(field: "secured", of: line, in: self) {
        case .failure(let problem):
            let finding = RecordError(
                .sr004SecuredNotLiteral, file: file, line: number, field: "secured",
                reason: "'secured' is not B64;B64 written literally: \(problem.reason)")
            return BlobReading(line: number, value: nil, findings: [finding])
        case .success(let (range, _)):
            let parsed = bytes.withUnsafeBytes { SealedValue.parse(utf8: UnsafeRawBufferPointer(rebasing: $0[range])) }
            let findings = parsed.defects.map { RecordError($0, file: file, line: number) }
            return BlobReading(
                line: number, value: parsed.value, findings: findings, valueRange: parsed.value == nil ? nil : range)
        }
    }

    /// The well-formed blob, or the first finding about it.
    ///
    /// - Throws: SR003 (no `secured`) or the first of SR004–SR007.
    public func blob() throws(RecordError) -> SealedValue {
        guard let reading = readBlob() else {
            throw RecordError(
                .sr003SecuredMissing, file: file, field: "secured", reason: "record has no 'secured' field")
        }
        guard let value = reading.value else { throw reading.findings[0] }
        return value
    }
}

extension RecordError {
    /// The finding for a blob defect: the one place a ``SealedValueError`` gets its SR code.
    init(_ defect: SealedValueError, file: String, line: Int?) {
        let code: Code
        switch defect {
        case .notLiteral: code = .sr004SecuredNotLiteral
        case .nonCanonicalBase64: code = .sr005NonCanonicalBase64
        case .invalidIVLength: code = .sr006BadIVLength
        case .invalidCiphertextLength: code = .sr007BadCiphertextLength
        }
        self.init(code, file: file, line: line, field: "secured", reason: "'secured': \(defect.description)")
    }
}
