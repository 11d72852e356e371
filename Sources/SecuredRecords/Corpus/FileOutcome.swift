/// What happened to one file of a per-file operation (seal, sign, verify, rotate).
public struct FileOutcome: Sendable {
    /// The file.
    public var file: String
    /// What happened, for people ("sealed and signed", "already signed", "valid").
    public var outcome: String
    /// The kind of outcome counted in the summary ("sealed", "signed", "unchanged");
    /// `"failed"` when ``error`` is set.
    public var kind: String
    /// The key used, when one was.
    public var keyID: String?
    /// The finding that stopped this file, if any.
    public var error: RecordError?

    /// A file the operation handled.
    ///
    /// - Parameters:
    ///   - file: the file.
    ///   - outcome: what happened, for people.
    ///   - kind: the kind counted in the summary (`outcome` when `nil`).
    ///   - keyID: the key used, if any.
    public init(file: String, outcome: String, kind: String? = nil, keyID: String? = nil) {
        self.file = file
        self.outcome = outcome
        self.kind = kind ?? outcome
        self.keyID = keyID
    }

    /// A file the operation refused.
    ///
    /// - Parameter error: the finding that stopped it.
    public init(failed error: RecordError) {
        file = error.file
        outcome = "failed"
        kind = "failed"
        self.error = error
    }
}
