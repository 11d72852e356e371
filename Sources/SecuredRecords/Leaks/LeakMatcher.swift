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
/// fewer than `minimumWords` words are dropped. Consecutive windows of one record need not be
/// consecutive in it: a candidate run is checked against the record's words
/// (``verified(_:)``), and its true runs reported, never longer than the record.
struct LeakMatcher: LeakWordSink {
    let index: LeakIndex
    let minimumWords: Int
    /// The runs found, in the order they ended.
    private(set) var runs: [LeakRun] = []

    /// A run being read: the windows of its stretch that are not public.
    struct Chain {
        var record: Int32
        /// The index, in the segment's words, of its first window, and of its last.
        var first = 0
        var last = 0
        /// The index, in the segment's words, of the first window not public (-1: none yet).
        var firstPrivate = -1
        /// The index of the last window not public.
        var lastPrivate = -1
    }

    private var ring = [UInt64](repeating: 0, count: LeakIndex.window)
    private var starts = [Int](repeating: 0, count: LeakIndex.window)
    private var count = 0
    private var active: [Chain] = []
    private var hits: [Int32] = []
    private var next: [Chain] = []
    /// The words read since the first word of the oldest run being read, with their scalar
    /// indices; `bufferBase` is the segment index of the first.
    private(set) var buffer: [UInt64] = []
    private(set) var bufferStarts: [Int] = []
    private(set) var bufferBase = 0

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
        if !active.isEmpty {
            buffer.append(hash)
            bufferStarts.append(position)
        }
        let oldest = count % LeakIndex.window
        let window = LeakIndex.windowHash(ring, next: oldest)
        // Most windows are in no sealed text: one look at the index's bits, nothing else.
        if index.mayHold(window) {
            index.records(of: window, into: &hits)
        } else {
            hits.removeAll(keepingCapacity: true)
        }
        if hits.isEmpty && active.isEmpty { return }
        let isPublic = !hits.isEmpty && index.isPublic(window)
        let first = count - LeakIndex.window
        if active.isEmpty { startBuffer(oldest: oldest, first: first) }
        next.removeAll(keepingCapacity: true)
        for record in hits {
            var chain = active.first { $0.record == record } ?? Chain(record: record, first: first)
            chain.last = first
            if !isPublic {
                if chain.firstPrivate < 0 { chain.firstPrivate = first }
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

    /// Starts the buffer with the window just read (the ring's words, oldest first).
    private mutating func startBuffer(oldest: Int, first: Int) {
        buffer.removeAll(keepingCapacity: true)
        bufferStarts.removeAll(keepingCapacity: true)
        bufferBase = first
        for k in 0..<LeakIndex.window {
            buffer.append(ring[(oldest + k) % LeakIndex.window])
            bufferStarts.append(starts[(oldest + k) % LeakIndex.window])
        }
    }

    private mutating func close(_ chain: Chain) {
        guard chain.firstPrivate >= 0, chain.lastPrivate + LeakIndex.window - chain.firstPrivate >= minimumWords
        else { return }
        runs += verified(chain)
    }
}
