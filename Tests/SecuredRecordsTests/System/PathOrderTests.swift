import SecuredRecords
import TestSupport
import Testing

@Suite("Bytewise path order")
struct PathOrderTests {
    /// The corpus sort lays the paths' bytes out once instead of comparing Strings;
    /// it must give exactly the order of `FilePath.precedes` (bytes as `sort` in the C
    /// locale), escaped non-UTF-8 bytes, prefixes, repeats and the empty path included.
    @Test func corpusSortAgreesWithPrecedes() {
        var rng = SeededRandom(seed: 19)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("b".utf8), Array("/".utf8), Array(".".utf8), Array("-".utf8), Array("A".utf8),
            Array("é".utf8), Array("😀".utf8), Array("\u{10FE41}".utf8), [0xE9], [0xFF], [0xF4], Array("0".utf8),
        ]
        var paths: [String] = [""]
        for _ in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 7) { bytes += pieces[Int(rng.next() % UInt64(pieces.count))] }
            paths.append(FilePath.decode(bytes))
        }
        paths += paths.prefix(50)  // repeats
        let sorted = FilePath.sortedBytewise(paths)
        #expect(sorted == paths.sorted(by: FilePath.precedes))
        #expect(
            sorted.map { FilePath.bytes($0) }
                == paths.map { FilePath.bytes($0) }.sorted { $0.lexicographicallyPrecedes($1) })
    }
}
