extension LeakMatcher {
    /// The true runs of a candidate: its words as they occur in the record, consecutive in
    /// both (a chain of windows may stitch fragments from several places of the record, or
    /// repeat a short record many times), each cut to the stretch that is not public and
    /// kept when it still has ``minimumWords`` words.
    func verified(_ chain: Chain) -> [LeakRun] {
        let from = chain.first - bufferBase
        let scanned = buffer[from..<(chain.last + LeakIndex.window - bufferBase)]
        let record = index.sealedWords[Int(chain.record)]
        var runs: [LeakRun] = []
        for (start, end) in Self.cover(Self.maximalRuns(scanned, in: record, minimumWords: minimumWords), minimumWords)
        {
            var firstPrivate = -1
            var lastPrivate = -1
            for w in start...(end - LeakIndex.window) where !index.isPublic(LeakIndex.windowHash(scanned, at: w)) {
                if firstPrivate < 0 { firstPrivate = w }
                lastPrivate = w
            }
            guard firstPrivate >= 0, lastPrivate + LeakIndex.window - firstPrivate >= minimumWords else { continue }
            runs.append(
                LeakRun(
                    record: chain.record, start: bufferStarts[firstPrivate],
                    words: lastPrivate + LeakIndex.window - firstPrivate,
                    firstWindow: LeakIndex.windowHash(scanned, at: firstPrivate)))
        }
        return runs
    }

    /// Every maximal run of at least `minimumWords` words shared by `scanned` and `record`,
    /// as (start, end) indices of `scanned`: each pair of equal windows that does not
    /// continue the pair before it starts one, extended word by word.
    static func maximalRuns(_ scanned: ArraySlice<UInt64>, in record: [UInt64], minimumWords: Int) -> [(Int, Int)] {
        let window = LeakIndex.window
        var at: [UInt64: [Int]] = [:]
        for i in scanned.startIndex...(scanned.endIndex - window) {
            at[LeakIndex.windowHash(scanned, at: i), default: []].append(i)
        }
        var runs: [(Int, Int)] = []
        var length = 0  // words of the record's current text so far
        for j in record.indices {
            length = record[j] == LeakIndex.segmentMark ? 0 : length + 1
            guard length >= window, let starts = at[LeakIndex.windowHash(record[...], at: j - window + 1)] else {
                continue
            }
            let p = j - window + 1
            for i in starts {
                if i > scanned.startIndex && p > 0 && scanned[i - 1] == record[p - 1] { continue }  // not a start
                guard scanned[i..<(i + window)].elementsEqual(record[p..<(p + window)]) else { continue }
                var k = window
                while i + k < scanned.endIndex, p + k < record.count, scanned[i + k] == record[p + k] { k += 1 }
                if k >= minimumWords { runs.append((i, i + k)) }
            }
        }
        return runs
    }

    /// The runs reported for the maximal runs `runs`, left to right: from where the last one
    /// ended, the run that starts first (then the longest), cut to start there, when it still
    /// has `minimumWords` words. Overlapping repeats are reported once, a run that goes on
    /// past another one is reported for the words past it.
    static func cover(_ runs: [(Int, Int)], _ minimumWords: Int) -> [(Int, Int)] {
        var chosen: [(Int, Int)] = []
        var position = Int.min
        while true {
            var best: (Int, Int)?
            for (start, end) in runs where end - max(start, position) >= minimumWords {
                let candidate = (max(start, position), end)
                if let b = best, b.0 < candidate.0 || (b.0 == candidate.0 && b.1 >= candidate.1) { continue }
                best = candidate
            }
            guard let best else { return chosen }
            chosen.append(best)
            position = best.1
        }
    }
}
