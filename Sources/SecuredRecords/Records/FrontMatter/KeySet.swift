/// The canonical keys of one mapping and the line each first appeared on, kept in one byte
/// buffer and one slot table (open addressing, hashed by the process's seeded `Hasher`, so no
/// crafted set of keys makes them collide): a mapping of a million keys costs a few buffers,
/// not an allocation and a dictionary entry a key.
struct KeySet {
    /// Every key's bytes, one after another; key `i` ends at `ends[i]` and starts where key
    /// `i - 1` ends.
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var lines: [Int] = []
    private var hashes: [Int] = []
    /// 1 + the index of the key in each slot, 0 for an empty one; a power of two of them,
    /// at least twice as many as keys.
    private var slots: [Int32] = []

    var count: Int { ends.count }

    /// Adds `key`, first seen on `line`; when it is there already, returns the line of its
    /// first occurrence and adds nothing.
    mutating func insert(_ key: [UInt8], line: Int) -> Int? {
        var hasher = Hasher()
        key.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        if slots.count < 2 * (ends.count + 1) { grow() }
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] != 0 {
            let index = Int(slots[slot]) - 1
            if hashes[index] == hash && holds(index, key) { return lines[index] }
            slot = (slot + 1) & mask
        }
        slots[slot] = Int32(truncatingIfNeeded: ends.count + 1)
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        lines.append(line)
        hashes.append(hash)
        return nil
    }

    private func holds(_ index: Int, _ key: [UInt8]) -> Bool {
        let start = index == 0 ? 0 : ends[index - 1]
        return ends[index] - start == key.count && bytes[start..<ends[index]].elementsEqual(key)
    }

    /// Twice the slots (16 at first), every key placed again by its kept hash.
    private mutating func grow() {
        slots = [Int32](repeating: 0, count: max(16, slots.count * 2))
        let mask = slots.count - 1
        for (index, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(truncatingIfNeeded: index + 1)
        }
    }
}
