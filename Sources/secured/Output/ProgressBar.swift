import ArgumentParser
import SecuredRecords

/// A one-line progress bar on stderr, shown only on a terminal and for long runs.
final class ProgressBar: @unchecked Sendable {
    // @unchecked Sendable: update() is called from one thread at a time (between batches).
    private let start = Output.now()
    private let enabled: Bool
    private var shown = false

    init(total: Int, threshold: Int = 300) {
        enabled =
            Output.stderrIsTerminal && total > threshold && !GitHubText.isActive.load(ordering: .relaxed)
            && !Output.quiet.load(ordering: .relaxed)
    }

    func update(done: Int, total: Int) {
        guard enabled else { return }
        let elapsed = max(Output.now() - start, 0.001)
        let rate = Double(done) / elapsed
        let left = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total > 0 ? width * done / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        Output.writeAll(
            2, Array("\r[\(bar)] \(done)/\(total)  \(Int(rate)) records/s  \(Int(left.rounded()))s left ".utf8))
        shown = true
    }

    func finish() {
        if shown { Output.writeAll(2, Array("\r\u{1B}[K".utf8)) }
    }
}
