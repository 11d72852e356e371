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

/// Looks every window of a scanned text up in the index, one word at a time, and chains
/// consecutive windows of the same record, public or not, into runs: a run of `k` words is
/// `k - 7` consecutive windows. What a run leaks is the stretch from its first window that
/// is not public to its last one (a public quote inside a run does not cut it); stretches of
/// fewer than `minimumWords` words are dropped.
struct LeakMatcher: LeakWordSink {
    let index: LeakIndex
    let minimumWords: Int
    /// The runs found, in the order they ended.
    private(set) var runs: [LeakRun] = []

    /// A run being read: the windows of its stretch that are not public.
    private struct Chain {
        var record: Int32
        /// The index, in the segment's words, of the first window not public (-1: none yet).
        var firstPrivate = -1
        /// The index of the last window not public.
        var lastPrivate = -1
        /// The scalar index of the first private window's first word, and its hash.
        var start = 0
        var firstWindow: UInt64 = 0
    }

    private var ring = [UInt64](repeating: 0, count: LeakIndex.window)
    private var starts = [Int](repeating: 0, count: LeakIndex.window)
    private var count = 0
    private var active: [Chain] = []
    private var hits: [Int32] = []
    private var next: [Chain] = []

    init(index: LeakIndex, minimumWords: Int) {
        self.index = index
        self.minimumWords = minimumWords
    }

    mutating func word(_ hash: UInt64, at position: Int) {
        let slot = count % LeakIndex.window
        ring[slot] = hash
        starts[slot] = position
        count += 1
        guard count >= LeakIndex.window else { return }
        let oldest = count % LeakIndex.window
        let window = LeakIndex.windowHash(ring, next: oldest)
        index.records(of: window, into: &hits)
        if hits.isEmpty && active.isEmpty { return }
        let isPublic = !hits.isEmpty && index.isPublic(window)
        let first = count - LeakIndex.window
        next.removeAll(keepingCapacity: true)
        for record in hits {
            var chain = active.first { $0.record == record } ?? Chain(record: record)
            if !isPublic {
                if chain.firstPrivate < 0 {
                    chain.firstPrivate = first
                    chain.start = starts[oldest]
                    chain.firstWindow = window
                }
                chain.lastPrivate = first
            }
            next.append(chain)
        }
        for chain in active where !hits.contains(chain.record) { close(chain) }
        swap(&active, &next)
    }

    mutating func segmentEnd() {
        for chain in active { close(chain) }
        active.removeAll(keepingCapacity: true)
        count = 0
    }

    private mutating func close(_ chain: Chain) {
        guard chain.firstPrivate >= 0 else { return }
        let words = chain.lastPrivate + LeakIndex.window - chain.firstPrivate
        if words >= minimumWords {
            runs.append(
                LeakRun(record: chain.record, start: chain.start, words: words, firstWindow: chain.firstWindow))
        }
    }
}
