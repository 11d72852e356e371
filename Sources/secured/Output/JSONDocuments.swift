import ArgumentParser
import SecuredRecords

/// A finding in JSON documents.
struct JSONFinding: Encodable {
    var code: String
    var severity: String
    var file: String
    var line: Int?
    var field: String?
    var message: String
    /// How to fix it (``RecordError/hint``), the text output's `hint:` line.
    var hint: String?
    /// A leak's sealed record, run length in words, fingerprint, and git blob and commit.
    var record: String?
    var words: Int?
    var fingerprint: String?
    var blob: String?
    var commit: String?

    init(_ f: RecordError) {
        code = f.code.rawValue
        severity = f.severity.rawValue
        file = FilePath.display(f.file)
        line = f.line
        field = f.field
        message = f.reason
        hint = Hints.hint(f)
        record = f.leak.map { FilePath.display($0.record) }
        words = f.leak?.words
        fingerprint = f.leak?.fingerprint
        blob = f.leak?.blob
        commit = f.leak?.commit
    }
}

/// A note in JSON documents.
struct JSONNote: Encodable {
    var kind: String
    var path: String?
    var line: Int?
    var message: String

    init(_ n: Note) {
        kind = n.kind.rawValue
        path = n.path.map(FilePath.display)
        line = n.line
        message = n.advisedMessage
    }
}
