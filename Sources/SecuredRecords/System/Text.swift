/// Substring search and replacement without the standard library's `_StringProcessing`: its
/// `contains(_:)` of a string, `replacing(_:with:)` and `trimmingPrefix(while:)` link the regex
/// engine and the Unicode name tables into the static binary (about 1.4 MB), whatever the
/// argument. Compared by `Character`, as those are (so "e" is not found in "e\u{301}").
extension StringProtocol {
    /// Whether `part` occurs in the text (an empty `part` always does, at its start).
    public func includes(_ part: some StringProtocol) -> Bool {
        firstIndex(of: part) != nil
    }

    /// The text with each occurrence of `target`, left to right and not overlapping, replaced
    /// by `replacement`, at most `maxReplacements` of them.
    public func replacingEach(
        _ target: some StringProtocol, with replacement: some StringProtocol, maxReplacements: Int = .max
    ) -> String {
        guard !target.isEmpty else { return String(self) }
        var result = ""
        var rest = self[...]
        var replaced = 0
        while replaced < maxReplacements, let found = rest.firstIndex(of: target) {
            result.append(contentsOf: rest[..<found])
            result.append(contentsOf: replacement)
            rest = rest[rest.index(found, offsetBy: target.count)...]
            replaced += 1
        }
        result.append(contentsOf: rest)
        return result
    }

    /// The index where `part` first starts, comparing `Character`s.
    private func firstIndex(of part: some StringProtocol) -> Index? {
        var start = startIndex
        while true {
            if self[start...].starts(with: part) { return start }
            guard start < endIndex else { return nil }
            formIndex(after: &start)
        }
    }
}
