import SecuredRecords

/// The record parser and the SR002 check on arbitrary bytes.
///
/// Properties: parsing never crashes; a parsed record's bytes are the input (lossless); the
/// one-pass YAML check never accepts what libyaml rejects (nor does it as the audit calls it,
/// told where a decoded blob is); the full check and the auditor's
/// literal parsing never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let record = try? Record(parsing: bytes, file: "fuzz.md") else { return 0 }
    precondition(record.bytes == bytes, "parsing changed the bytes")
    precondition(record.closingLine.range.upperBound + record.body.count == bytes.count, "body does not end the file")
    if FastFrontMatter.isCertainlyValid(record) {
        do {
            try FrontMatterValidator.validateWithLibYAML(record)
        } catch {
            preconditionFailure("fast check accepted front matter libyaml rejects: \(error)")
        }
    }
    _ = try? FrontMatterValidator.validate(record)
    // The audit's path tells the one-pass check where a decoded blob is: no more lenient either.
    if RecordChecker(keys: KeyRing()).check(bytes: bytes, file: "fuzz.md").onePass == true {
        do {
            try FrontMatterValidator.validateWithLibYAML(record)
        } catch {
            preconditionFailure("the audit's one-pass check accepted front matter libyaml rejects: \(error)")
        }
    }
    for field in ["secured", "signature"] {
        for line in record.topLevelLines(forKey: field) {
            _ = LiteralValue.parse(field: field, of: line, in: record)
        }
    }
    _ = RecordSigner.signature(of: record)
    _ = Record.firstNonUTF8Line(bytes)
    return 0
}
