/// A fast, conservative SR002 check for the common shape of front matter.
///
/// Real front matter is nearly always simple block YAML: `key: value` lines, nested
/// mappings and `- ` lists at any depth, values quoted on one line or plain (in any script,
/// emoji included), `tags: [a, b]`. For that subset this
/// check decides, in one pass over the bytes and without building a YAML tree, what
/// ``FrontMatterValidator`` would decide with libyaml: the text is a YAML mapping, no
/// mapping repeats a key, and YAML agrees with the line rule about `secured` and
/// `signature`.
///
/// It answers only "certainly valid" (`true`) or "not sure" (`false`). Anything outside
/// the subset — flow collections other than one-line sequences of scalars, block scalars, anchors, aliases, tags, multi-line
/// scalars, escapes it does not know, tabs, characters libyaml treats specially, keys
/// YAML would not read as plain strings — is "not sure", and the full libyaml check
/// decides (and words the error). So this check can make the audit faster, never more
/// lenient: a test and a fuzz target hold it to that against libyaml (and PyYAML).
public enum FastFrontMatter {
    struct Frame {
        var indent: Int
        var isSequence: Bool
        /// Where this mapping's keys start in the shared key list.
        var keyStart: Int
    }

    enum Kind { case sequenceEntry, mappingKey }

    /// Whether `record`'s front matter is certainly free of SR002.
    public static func isCertainlyValid(_ record: Record) -> Bool {
        isCertainlyValid(record, blobCharacters: nil)
    }

    /// ``isCertainlyValid(_:)``, told where the decoded `secured` value's characters are
    /// (``Record/BlobReading/valueRange``: base64 and one `;`, between the quotes of the
    /// top-level `secured` line). Those are printable ASCII, with no quote and no escape,
    /// so they are not read again: not for their characters, not for the closing quote.
    static func isCertainlyValid(_ record: Record, blobCharacters: Range<Int>?) -> Bool {
        // Extra `signature` lines are blanked by the full check: leave those to it.
        var signatureLines = 0
        var securedLines = 0
        for line in record.topLevelLines {
            if line.key == "signature" { signatureLines += 1 }
            if line.key == "secured" { securedLines += 1 }
        }
        guard signatureLines <= 1, securedLines <= 1 else { return false }
        // The open collections and their keys live in two fixed buffers on the stack (no
        // array to grow, check for uniqueness or retain on every line). The nesting limit
        // bounds the first; a front matter holding more keys open at once than the second
        // takes is left to libyaml.
        return withUnsafeTemporaryAllocation(of: Frame.self, capacity: Checker.frameCapacity) { frames in
            withUnsafeTemporaryAllocation(of: Range<Int>.self, capacity: Checker.keyCapacity) { keys in
                record.bytes.withUnsafeBufferPointer { buffer in
                    check(
                        record, buffer, frames.baseAddress!, keys.baseAddress!, blobCharacters, securedLines,
                        signatureLines)
                }
            }
        }
    }

    private static func check(
        _ record: Record, _ buffer: UnsafeBufferPointer<UInt8>, _ frames: UnsafeMutablePointer<Frame>,
        _ keys: UnsafeMutablePointer<Range<Int>>, _ blobCharacters: Range<Int>?, _ securedLines: Int,
        _ signatureLines: Int
    ) -> Bool {
        var checker = Checker(b: buffer, frames: frames, keys: keys)
        let start = record.openingLine.range.upperBound
        let end = record.closingLine.range.lowerBound
        if let blob = blobCharacters, start < blob.lowerBound, blob.upperBound < end {
            checker.blob = blob
            guard checker.charactersArePlain(start, blob.lowerBound),
                checker.charactersArePlain(blob.upperBound, end)
            else { return false }
        } else {
            guard checker.charactersArePlain(start, end) else { return false }
        }
        for line in record.frontMatterLines {
            guard checker.line(line.range.lowerBound, line.contentEnd) else { return false }
        }
        // YAML must see a `secured`/`signature` key exactly where the line rule does.
        return (securedLines == 1) == checker.sawSecured && (signatureLines == 1) == checker.sawSignature
    }
}
