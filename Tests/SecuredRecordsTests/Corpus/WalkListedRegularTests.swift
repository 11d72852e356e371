import Foundation
import TestSupport
import Testing

@testable import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

@Suite("What a walk knows of each file's type")
struct WalkListedRegularTests {
    /// A record its folder listed as a regular file is opened without a `stat` of
    /// its path first. Only those: a FIFO, a file named directly and a file in a folder named
    /// twice (once directly) are still checked before they are opened, and each flag stays
    /// with its path through the sort.
    @Test func onlyListedRegularFilesSkipTheStat() throws {
        let dir = try TestPaths.temporaryDirectory("listedregular")
        let root = dir.path
        try FileManager.default.createDirectory(atPath: root + "/c/d", withIntermediateDirectories: true)
        for name in ["c/z.md", "c/a.md", "c/d/m.md", "named.md"] {
            try Data("---\na: 1\n---\n".utf8).write(to: URL(fileURLWithPath: root + "/" + name))
        }
        #expect(mkfifo(root + "/c/pipe.md", 0o644) == 0)
        let walk = CorpusWalker().walk([root + "/c", root + "/named.md", root + "/c/a.md"])
        let flags = Dictionary(
            uniqueKeysWithValues: zip(walk.files.map { String($0.dropFirst(root.count + 1)) }, walk.listedRegular))
        #expect(walk.files.count == walk.listedRegular.count)
        #expect(flags == ["c/a.md": false, "c/d/m.md": true, "c/pipe.md": false, "c/z.md": true, "named.md": false])
        // The FIFO is still refused unopened, the listed files read as before.
        let checker = RecordChecker(keys: KeyRing())
        for (file, listed) in zip(walk.files, walk.listedRegular) {
            let findings = checker.check(file: file, listedRegular: listed).findings
            if file.hasSuffix("pipe.md") {
                #expect(findings.map(\.reason) == ["not a regular file (a FIFO); not opened"])
            } else {
                #expect(findings.isEmpty, "\(file): \(findings)")
            }
        }
    }
}
