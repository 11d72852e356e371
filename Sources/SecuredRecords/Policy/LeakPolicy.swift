/// A policy's `leaks` field: what `secured leaks` searches when given no path, the baseline it
/// applies, and whether it searches git history, so that local runs, the pre-commit hook and
/// CI agree (SPEC section 8.4).
///
/// ```yaml
/// leaks:
///   paths: [_site]            # the built site (default: only the corpus's own files)
///   baseline: .secured-leaks  # accepted findings (secured leaks --write-baseline)
///   history: true             # also every git blob (SR021)
/// ```
///
/// Paths are relative to the policy's folder, and kept relative to the current folder when
/// below it.
public struct LeakPolicy: Sendable, Equatable {
    /// Files and folders to search when the command line names none.
    public var paths: [String] = []
    /// The baseline file, if any.
    public var baseline: String?
    /// Whether git history is searched too.
    public var history = false
    /// The line of the `leaks` field (`nil`: the policy has none).
    public var line: Int?

    /// No paths, no baseline, no history.
    public init() {}

    /// Reads the `leaks` mapping given on `line`.
    init(_ node: PolicyNode, line: Int, reader: FieldReader, folder: String, cwd: String) throws(PolicyError) {
        self.line = line
        if reader.isNull(node) { return }
        guard case .mapping(let fields, _) = node else {
            throw reader.fail(node.line, "'leaks' is a mapping of paths, baseline and history")
        }
        func place(_ text: String) -> String { FilePath.shortened(FilePath.absolute(text, from: folder), cwd: cwd) }
        var seen: Set<String> = []
        for (key, keyLine, value) in fields {
            guard seen.insert(key).inserted else { throw reader.fail(keyLine, "'leaks.\(key)' is given twice") }
            switch key {
            case "paths":
                paths = try reader.strings(value, "leaks.paths").map { (text, itemLine) throws(PolicyError) in
                    guard !text.isEmpty else { throw reader.fail(itemLine, "an empty path in 'leaks.paths'") }
                    return place(text)
                }
            case "baseline":
                guard case .scalar(let text, _, _) = value, !text.isEmpty else {
                    throw reader.fail(value.line, "'leaks.baseline' is one path")
                }
                baseline = place(text)
            case "history":
                guard case .scalar(let text, _, true) = value, ["true", "false"].contains(text.lowercased()) else {
                    throw reader.fail(value.line, "'leaks.history' is true or false")
                }
                history = text.lowercased() == "true"
            default:
                throw reader.fail(keyLine, "unknown field 'leaks.\(key)' (the fields are paths, baseline, history)")
            }
        }
    }
}
