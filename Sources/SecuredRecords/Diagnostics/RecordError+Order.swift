extension RecordError {
    /// File, then line (findings without a line first), then code.
    public static func reportOrder(_ a: RecordError, _ b: RecordError) -> Bool {
        if a.file != b.file { return FilePath.precedes(a.file, b.file) }
        if a.line != b.line { return (a.line ?? 0) < (b.line ?? 0) }
        if a.code != b.code { return a.code < b.code }
        return a.reason < b.reason
    }
}
