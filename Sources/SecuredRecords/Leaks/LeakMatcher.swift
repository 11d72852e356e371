/// A run of a sealed record's words found in a scanned text.
struct LeakRun: Sendable, Equatable {
    /// The record's number in the audit.
    var record: Int32
    /// The index, in the decoded text, of the run's first word.
    var start: Int
    /// Its length in words.
    var words: Int
    /// The hash of its first window (``LeakIndex/window`` words): the fingerprint's part that
    /// tells runs apart, holding no plaintext.
    var firstWindow: UInt64
}

/// Looks every window of a scanned text up in the index, one word at a time, and merges
/// consecutive windows of the same record into runs: a run of `k` words is `k - 7`
/// consecutive windows. Runs of fewer than `minimumWords` words are dropped.
struct LeakMatcher: LeakWordSink {
    let index: LeakIndex
    let minimumWords: Int
    /// The runs found, in the order they ended.
    private(set) var runs: [LeakRun] = []

    private var ring = InlineArray<8, UInt64>(repeating: 0)
    private var starts = InlineArray<8, Int>(repeating: 0)
    private var count = 0
    private var active: [LeakRun] = []
    private var hits: [Int32] = []
    private var next: [LeakRun] = []

    init(index: LeakIndex, minimumWords: Int) {
        self.index = index
        self.minimumWords = minimumWords
    }

    mutating func word(_ hash: UInt64, at position: Int) {
        let slot = count & (LeakIndex.window - 1)
        ring[slot] = hash
        starts[slot] = position
        count += 1
        guard count >= LeakIndex.window else { return }
        let oldest = count & (LeakIndex.window - 1)
        var h: UInt64 = 0
        for k in 0..<LeakIndex.window { h = h &* 0x100_0000_01b3 &+ ring[(oldest + k) & (LeakIndex.window - 1)] }
        let window = LeakWords.mix(h)
        // Most windows are in no sealed text: one look at the index's bits, nothing else.
        if active.isEmpty && !index.mayHold(window) { return }
        index.records(of: window, into: &hits)
        if hits.isEmpty && active.isEmpty { return }
        next.removeAll(keepingCapacity: true)
        for record in hits {
            if let k = active.firstIndex(where: { $0.record == record }) {
                var run = active[k]
                run.words += 1
                next.append(run)
            } else {
                next.append(
                    LeakRun(record: record, start: starts[oldest], words: LeakIndex.window, firstWindow: window))
            }
        }
        for run in active where !hits.contains(run.record) { close(run) }
        swap(&active, &next)
    }

    mutating func segmentEnd() {
        for run in active { close(run) }
        active.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func close(_ run: LeakRun) {
        if run.words >= minimumWords { runs.append(run) }
    }
}
