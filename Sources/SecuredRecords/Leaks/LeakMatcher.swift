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

/// Looks the windows of a scanned text up in the index, one word at a time, and merges
/// consecutive windows of the same record into runs: a run of `k` words is `k - 7`
/// consecutive windows. Runs of fewer than `minimumWords` words are dropped.
///
/// A run of `minimumWords` words holds `minimumWords - 7` windows, so while no run is open
/// only every `step`-th window (`minimumWords - 7`, at most 8) is looked up: every run long
/// enough holds one of them. A window found is followed back over the windows not looked up
/// to where its run begins; from there every window is looked up until no run is open. The
/// runs are those that looking up every window gives, less the ones shorter than the minimum.
struct LeakMatcher: LeakWordSink {
    let index: LeakIndex
    let minimumWords: Int
    /// The runs found, in the order they ended.
    private(set) var runs: [LeakRun] = []

    private let step: Int
    private var ring = InlineArray<8, UInt64>(repeating: 0)
    private var starts = InlineArray<8, Int>(repeating: 0)
    /// The last 8 windows' hashes and first words, by window number in the segment.
    private var windows = InlineArray<8, UInt64>(repeating: 0)
    private var windowStarts = InlineArray<8, Int>(repeating: 0)
    private var count = 0
    /// The number of the last window looked up (`-1`: none in this segment).
    private var looked = -1
    private var active: [LeakRun] = []
    private var hits: [Int32] = []
    private var earlier: [Int32] = []
    private var next: [LeakRun] = []

    init(index: LeakIndex, minimumWords: Int) {
        self.index = index
        self.minimumWords = minimumWords
        step = max(1, min(LeakIndex.window, minimumWords - LeakIndex.window + 1))
    }

    mutating func word(_ hash: UInt64, at position: Int) {
        let mask = LeakIndex.window - 1
        ring[count & mask] = hash
        starts[count & mask] = position
        count += 1
        guard count >= LeakIndex.window else { return }
        let oldest = count & mask
        var h: UInt64 = 0
        for k in 0..<LeakIndex.window { h = h &* 0x100_0000_01b3 &+ ring[(oldest + k) & mask] }
        let window = LeakWords.mix(h)
        let number = count - LeakIndex.window
        windows[number & mask] = window
        windowStarts[number & mask] = starts[oldest]
        if active.isEmpty {
            guard number % step == 0 else { return }
            let previous = looked
            looked = number
            // Most windows are in no sealed text: one look at the index's bits, nothing else.
            guard index.mayHold(window) else { return }
            index.records(of: window, into: &hits)
            for record in hits { active.append(begin(record, at: number, after: previous)) }
            return
        }
        looked = number
        if index.mayHold(window) { index.records(of: window, into: &hits) } else { hits.removeAll() }
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

    /// The run of `record` found at window `number`, begun at the earliest window after
    /// `previous` (the last looked up) from which every window holds the record.
    private mutating func begin(_ record: Int32, at number: Int, after previous: Int) -> LeakRun {
        let mask = LeakIndex.window - 1
        var first = number
        while first - 1 > previous && first - 1 > number - LeakIndex.window {
            let window = windows[(first - 1) & mask]
            guard index.mayHold(window) else { break }
            index.records(of: window, into: &earlier)
            guard earlier.contains(record) else { break }
            first -= 1
        }
        return LeakRun(
            record: record, start: windowStarts[first & mask], words: LeakIndex.window + number - first,
            firstWindow: windows[first & mask])
    }

    mutating func segmentEnd() {
        for run in active { close(run) }
        active.removeAll(keepingCapacity: true)
        count = 0
        looked = -1
    }

    private mutating func close(_ run: LeakRun) {
        if run.words >= minimumWords { runs.append(run) }
    }
}
