import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Every file operation on a relative path starts from the working directory the caller
/// gave, never the process's (which the library does not read); what the findings, notes and
/// results name stays the path as given.
@Suite("Relative paths start from the working directory given")
struct RelativePathTests {
    let dir: String
    init() throws { dir = try TestPaths.temporaryDirectory("cwd").resolvingSymlinksInPath().path }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        let url = URL(fileURLWithPath: dir).appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    @Test func aManifestIsWrittenAndCheckedFromTheFolderGiven() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(!FileManager.default.fileExists(atPath: "content"), "the process's folder has no content/")
        let key = try newKey("site")
        try write("content/a.md", Array("---\ntitle: a\n---\nbody\n".utf8))
        try write("content/news/b.md", Array("---\ntitle: b\n---\nbody\n".utf8))
        let walker = CorpusWalker(workingDirectory: dir)
        let written = try Manifest.write(root: "content", key: key, walker: walker)
        #expect(written.path == "content/MANIFEST.sha256" && written.records == 2)
        #expect(FileManager.default.fileExists(atPath: dir + "/content/MANIFEST.sha256"))
        let ring = try KeyRing.load(paths: [], environment: [:]).ring
        let checked = Manifest.check(manifest: written.path, root: "content", keys: ring, walker: walker)
        #expect(checked.findings.isEmpty, "\(checked.findings)")
        #expect(checked.records == ["content/a.md", "content/news/b.md"])
        try write("content/news/b.md", Array("---\ntitle: b\n---\nchanged\n".utf8))
        let changed = Manifest.check(manifest: written.path, root: "content", keys: ring, walker: walker)
        #expect(changed.findings.map(\.file) == ["content/news/b.md"])
        #expect(changed.findings.map(\.code) == [.sr018ManifestMismatch])
    }

    @Test func aLeakAuditReadsTheCorpusAndThePathsSearchedFromTheFolderGiven() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let key = try newKey("leaks")
        let words = distinctWords(30).joined(separator: " ")
        let plain = try Record(parsing: Array("---\ntitle: s\n---\n\(words)\n".utf8), file: "posts/s.md")
        try write("posts/s.md", try RecordSealer.seal(plain, with: key).record.bytes)
        try write("_site/s.html", Array("<p>\(words)</p>\n".utf8))
        try write("baseline.txt", Array("# none\n".utf8))
        let scope = CorpusScope(
            include: nil, sizeLimit: Record.defaultSizeLimit, usePolicies: false, workingDirectory: dir)
        var options = LeakOptions()
        options.workingDirectory = dir
        options.baseline = try LeakBaseline.read("baseline.txt", workingDirectory: dir)
        let report = try LeakAuditor(keys: KeyRing([key]), options: options)
            .run(corpus: scope.walk(["posts"]), paths: ["_site"], repository: dir)
        #expect(report.recordsOpened == 1)
        #expect(report.findings.filter { $0.leak != nil }.map(\.file) == ["_site/s.html"], "\(report.findings)")
        #expect(report.filesScanned == ["posts/s.md", "_site/s.html"])
    }

    @Test func aPolicyFileIsReadFromTheFolderGiven() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("news/.secured.yaml", Array("require-secured: [private/**]\n".utf8))
        let policy = try Policy.load("news/.secured.yaml", workingDirectory: dir)
        #expect(policy.file == "news/.secured.yaml" && policy.requiresSecured("news/private/a.md"))
        let missing = #expect(throws: PolicyError.self) { try Policy.load("none/.secured.yaml", workingDirectory: dir) }
        #expect(missing?.file == "none/.secured.yaml")
    }

    @Test func aRecordIsLoadedFromTheFolderGivenAndNamedAsGiven() throws {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try write("content/a.md", Array("---\ntitle: a\n---\nbody\n".utf8))
        let record = try RecordFileOperations.load("content/a.md", workingDirectory: dir)
        #expect(record.file == "content/a.md")
        let missing = #expect(throws: RecordError.self) {
            try RecordFileOperations.load("content/none.md", workingDirectory: dir)
        }
        #expect(missing?.file == "content/none.md" && missing?.code == .sr017Unreadable)
    }
}
