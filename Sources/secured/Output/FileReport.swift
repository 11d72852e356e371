import SecuredRecords

/// The JSON document of the per-file commands (seal, sign, verify, open, rotate): one entry
/// per file, with what happened or the finding that stopped it.
struct FileReport: Encodable {
    struct Entry: Encodable {
        var file: String
        var outcome: String
        var keyID: String?
        var error: JSONFinding?
    }

    var command: String
    var tool = "secured"
    var version = Secured.version
    var files: [Entry]
    var failed: Int
    var elapsedSeconds: Double

    init(_ report: BatchReport) {
        command = report.command
        files = report.outcomes.map {
            Entry(
                file: FilePath.display($0.file), outcome: $0.outcome, keyID: $0.keyID,
                error: $0.error.map(JSONFinding.init))
        }
        failed = report.failed
        elapsedSeconds = (report.elapsedSeconds * 1000).rounded() / 1000
    }
}

extension BatchReport {
    /// The summary line: "seal: 3 records: 2 sealed, 1 failed".
    func summary(_ label: String, order: [String]) -> String {
        let total = outcomes.count
        var parts = order.map { "\(counts[$0, default: 0]) \($0)" }
        for (kind, count) in counts.sorted(by: { $0.key < $1.key }) where !order.contains(kind) {
            parts.append("\(count) \(kind)")
        }
        return "\(label): \(total.counted("record")): \(parts.joined(separator: ", "))"
    }
}
