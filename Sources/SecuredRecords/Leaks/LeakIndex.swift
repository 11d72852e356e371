/// Every window of ``window`` consecutive words of the sealed contents, by hash, with the
/// records it occurs in, and the windows of unsealed records (public already): a sealed
/// window that is public too still chains a run, it only adds no words to the leak
/// (``LeakMatcher``).
///
/// A run of `k` words shared with a sealed record holds `k - 7` consecutive windows of it,
/// so a scan that looks each window of its text up finds every run of 8 words or more, and
/// never one of fewer (SPEC 1.3 section 10); ``LeakMatcher`` then reports the runs of at
/// least its minimum.
struct LeakIndex: Sendable {
    /// Words in a window.
    static let window = 8

    /// Window hash to record number (`>= 0`), or `-(k + 1)` for the list `shared[k]`.
    private var table: [UInt64: Int32] = [:]
    private var shared: [[Int32]] = []
    private var publicWindows = Set<UInt64>()

    /// The number of distinct windows held.
    var count: Int { table.count }

    /// Adds the windows of a public text (an unsealed record's body): they are never a leak
    /// on their own.
    mutating func addPublic(_ bytes: [UInt8], markdown: Bool) {
        for hash in Self.windows(of: bytes, markdown: markdown) { publicWindows.insert(hash) }
    }

    /// Whether the window `hash` occurs in a public text.
    func isPublic(_ hash: UInt64) -> Bool { publicWindows.contains(hash) }

    /// Each sealed record's words, by record number, as word hashes, each text of it (its
    /// body, an attribute value) ended by ``segmentMark``: what a candidate run is checked
    /// against (``LeakMatcher``).
    private(set) var sealedWords: [[UInt64]] = []

    /// Ends each text in ``sealedWords``; no word's hash in practice (one in 2^64).
    static let segmentMark = UInt64.max

    /// Adds the windows of record number `record`'s sealed content (records are added in
    /// the order of their numbers).
    mutating func addSealed(_ bytes: [UInt8], record: Int32) {
        let (windows, words) = Self.collect(bytes, markdown: true)
        sealedWords.append(words)
        for hash in windows {
            guard let entry = table[hash] else {
                table[hash] = record
                continue
            }
            if entry >= 0 {
                if entry != record {
                    shared.append([entry, record])
                    table[hash] = -Int32(shared.count)
                }
            } else if !shared[Int(-entry - 1)].contains(record) {
                shared[Int(-entry - 1)].append(record)
            }
        }
    }

    /// The records holding the window `hash`, into `records` (emptied first).
    @inline(__always) func records(of hash: UInt64, into records: inout [Int32]) {
        records.removeAll(keepingCapacity: true)
        let found: Int32?
        if let frozen { found = frozen.value(of: hash) } else { found = table[hash] }
        guard let entry = found else { return }
        if entry >= 0 { records.append(entry) } else { records += shared[Int(-entry - 1)] }
    }

    /// The table in a flat form for the scan's lookups (``freeze()``), once it is complete.
    private var frozen: FlatTable?
    /// A bit per window hash's top bits, 16 bits or more a window (``freeze()``): asked first,
    /// it stays in a core's cache where the table does not, and answers "no" for most windows.
    private var bits: [UInt64] = []
    private var shift: UInt64 = 63

    /// Makes lookups faster once every window is added: an open-addressing table of the
    /// window hashes (already uniform), no hashing again, no pointer chasing; and the bits.
    mutating func freeze() {
        frozen = FlatTable(table)
        var log: UInt64 = 12
        while 1 << log < table.count * 16 { log += 1 }
        shift = 64 - log
        bits = Array(repeating: 0, count: 1 << (log - 6))
        for key in table.keys { bits[Int((key >> shift) >> 6)] |= 1 << ((key >> shift) & 63) }
    }

    /// Whether the window `hash` may be held: `false` only when it is not (``freeze()``).
    @inline(__always) func mayHold(_ hash: UInt64) -> Bool {
        guard !bits.isEmpty else { return true }
        let bit = hash >> shift
        return (bits[Int(bit >> 6)] >> (bit & 63)) & 1 != 0
    }

    /// The window hashes of a text.
    static func windows(of bytes: [UInt8], markdown: Bool) -> [UInt64] { collect(bytes, markdown: markdown).windows }

    /// The window hashes of a text, and its words (``sealedWords``).
    static func collect(_ bytes: [UInt8], markdown: Bool) -> (windows: [UInt64], words: [UInt64]) {
        let text = bytes.withUnsafeBufferPointer { LeakText($0, kind: markdown ? .markdown : .markup) }
        var main = WindowCollector()
        var attributes = WindowCollector()
        LeakWords.split(text, markdown: markdown, main: &main, attributes: &attributes)
        return (main.hashes + attributes.hashes, main.words + attributes.words)
    }

    /// The hash of the window of `words` that starts at `i` (as ``windowHash(_:next:)``).
    @inline(__always) static func windowHash(_ words: ArraySlice<UInt64>, at i: Int) -> UInt64 {
        var h: UInt64 = 0
        for k in i..<(i + window) { h = h &* 0x100_0000_01b3 &+ words[k] }
        return LeakWords.mix(h)
    }

    /// The hash of the window of the last ``window`` words of `ring`, whose next slot is
    /// `next` (the oldest word).
    @inline(__always) static func windowHash(_ ring: [UInt64], next: Int) -> UInt64 {
        var h: UInt64 = 0
        for k in 0..<window { h = h &* 0x100_0000_01b3 &+ ring[(next + k) % window] }
        return LeakWords.mix(h)
    }
}

/// Window hash to entry, with linear probing in a power-of-two array at most half full. The
/// key 0 marks an empty slot: a window whose hash is 0 is stored under 1 (one hash in 2^64).
struct FlatTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private let mask: Int

    init(_ table: [UInt64: Int32]) {
        var capacity = 16
        while capacity < table.count * 2 { capacity *= 2 }
        mask = capacity - 1
        keys = Array(repeating: 0, count: capacity)
        values = Array(repeating: 0, count: capacity)
        for (key, value) in table {
            var slot = Int(truncatingIfNeeded: Self.stored(key)) & mask
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = Self.stored(key)
            values[slot] = value
        }
    }

    @inline(__always) static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    @inline(__always) func value(of key: UInt64) -> Int32? {
        let wanted = Self.stored(key)
        var slot = Int(truncatingIfNeeded: wanted) & mask
        while true {
            let found = keys[slot]
            if found == wanted { return values[slot] }
            if found == 0 { return nil }
            slot = (slot + 1) & mask
        }
    }
}

/// Collects the window hashes of a text, and its words, each text ended by
/// ``LeakIndex/segmentMark``.
struct WindowCollector: LeakWordSink {
    var hashes: [UInt64] = []
    var words: [UInt64] = []
    private var ring = [UInt64](repeating: 0, count: LeakIndex.window)
    private var count = 0

    mutating func word(_ hash: UInt64, at index: Int) {
        words.append(hash)
        ring[count % LeakIndex.window] = hash
        count += 1
        if count >= LeakIndex.window {
            hashes.append(LeakIndex.windowHash(ring, next: count % LeakIndex.window))
        }
    }

    mutating func segmentEnd() {
        if count > 0 { words.append(LeakIndex.segmentMark) }
        count = 0
    }
}
