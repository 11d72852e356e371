import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// What one run works on, decided by the library for a folder given (never the process's
/// working directory): which files are records, the policies in force, the policies and
/// paths it refuses, and the keys the policies add.
@Suite("Corpus scope: the walk, policies and keys of a run")
struct CorpusScopeTests {
    let dir: URL
    init() throws { dir = try TestPaths.temporaryDirectory("scope").resolvingSymlinksInPath() }

    func write(_ path: String, _ text: String) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func scope(include: String? = nil, usePolicies: Bool = true) -> CorpusScope {
        CorpusScope(
            include: include, sizeLimit: Record.defaultSizeLimit, usePolicies: usePolicies,
            workingDirectory: dir.path)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func names(_ result: CorpusWalker.Result) -> [String] {
        result.files.map { String($0.dropFirst(dir.path.count + 1)) }
    }

    @Test func theIncludePatternAskedForDecidesWhichFilesAreRecords() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["content/a.md", "content/b.txt", "content/.c.md"] { try write(name, "x\n") }
        #expect(names(try scope().walk([path("content")])) == ["content/a.md"])
        #expect(names(try scope(include: "*.txt").walk([path("content")])) == ["content/b.txt"])
        #expect(scope(include: "*.txt").walker.includeIsExplicit && !scope().walker.includeIsExplicit)
    }

    @Test func thePoliciesInForceAreThoseTheWalkFound() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("content/.secured.yaml", "require-secured: [private/**]\n")
        try write("content/private/a.md", "x\n")
        let scope = scope()
        #expect(scope.policiesInForce.isEmpty, "nothing looked up yet")
        _ = try scope.walk([path("content")])
        #expect(scope.policiesInForce.map(\.file) == ["content/.secured.yaml"])
        #expect(scope.policy(for: "content/private/a.md")?.requiresSecured("content/private/a.md") == true)
        #expect(self.scope(usePolicies: false).policy(for: "content/private/a.md") == nil)
    }

    @Test func aBadPolicyRefusesTheRunUnlessPoliciesAreIgnored() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("content/.secured.yaml", "nope: 1\n")
        try write("content/a.md", "x\n")
        let error = #expect(throws: ConfigurationError.self) { try scope().walk([path("content")]) }
        #expect(error?.code == .policy)
        #expect(error?.message.hasPrefix("content/.secured.yaml:1: ") == true, "\(String(describing: error))")
        #expect(names(try scope(usePolicies: false).walk([path("content")])) == ["content/a.md"])
    }

    @Test func aMissingPathOrAWalkThatFindsNoRecordIsNotFound() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("empty/notes.txt", "x\n")
        let missing = #expect(throws: ConfigurationError.self) { try scope().walk([path("nowhere")]) }
        #expect(missing?.code == .notFound && missing?.message.contains("nowhere") == true)
        let none = #expect(throws: ConfigurationError.self) { try scope().walk([path("empty")]) }
        #expect(none?.code == .notFound && none?.message.contains("no record found") == true)
    }

    /// Relative paths start from the working directory given, not the process's: the walk
    /// lists `content` there, the audit reads its records there, and both name them as walked.
    @Test func relativePathsStartFromTheWorkingDirectoryGiven() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("content/a.md", "x\n")
        try write("content/news/b.md", "---\ntitle: b\n---\nbody\n")
        #expect(!FileManager.default.fileExists(atPath: "content/a.md"), "the process's folder has no content/")
        let scope = scope()
        let walked = try scope.walk(["content"])
        #expect(walked.files == ["content/a.md", "content/news/b.md"])
        for jobs in [1, 2] {
            var options = AuditOptions()
            options.jobs = jobs
            let run = Auditor(keys: try KeyRing.load(paths: []).ring, options: options, walker: scope.walker)
                .run(walk: walked)
            var findings: [RecordError] = []
            run.forEachFinding { findings.append($0) }
            #expect(findings.map(\.file) == ["content/a.md"], "\(findings)")
            #expect(findings.map(\.code) == [.sr001NoFrontMatter], "read, not unreadable: \(findings)")
        }
        let missing = #expect(throws: ConfigurationError.self) { try scope.walk(["nowhere"]) }
        #expect(missing?.message == "no such file or folder: nowhere")
    }

    /// A policy names its key files relative to its folder; the library places them from
    /// the working directory given (`Keys/site.pub`) and reads them from there.
    @Test func theKeyFilesThePoliciesNameAreLoadedWithTheCallersKeys() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try newKey("site")
        try write("Keys/site.pub", try #require(key.publicKey).fileText)
        try write(".secured.yaml", "keys: [Keys/site.pub, archive]\n")
        try write("content/a.md", "x\n")
        let scope = scope()
        _ = try scope.walk(["content"])
        #expect(scope.policiesInForce.first?.keyFiles == ["Keys/site.pub"], "placed from the folder given")
        let loaded = try scope.loadKeys(KeySources(paths: [], environment: [:]))
        #expect(loaded.ring.publicKey(id: "site") != nil)
        #expect(loaded.notes.map(\.kind) == [.expectedKeyMissing], "archive was not supplied")
        // The type's example: the caller's key paths start from the scope's folder too.
        let named = try scope.loadKeys(KeySources(paths: ["Keys/site.pub"], environment: [:]))
        #expect(named.ring.publicKeys.map(\.id) == ["site"])
    }

    /// Through the public API: a policy's key files are read from the working directory the
    /// policy was given, and the caller's key paths from the one the key sources name; every
    /// message names the paths as written.
    @Test func keyFilesAreReadFromTheWorkingDirectoryGivenAndNamedAsWritten() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = try newKey("site")
        let mine = try newKey("mine")
        try write("Keys/site.pub", try #require(site.publicKey).fileText)
        try write("Mine/mine.pub", try #require(mine.publicKey).fileText)
        try write("content/.secured.yaml", "keys: [../Keys/site.pub]\n")
        #expect(!FileManager.default.fileExists(atPath: "Keys/site.pub"), "the process's folder has no Keys/")
        let policy = try #require(PolicyResolver(workingDirectory: dir.path).policy(for: "content/a.md"))
        #expect(policy.keyFiles == ["Keys/site.pub"] && policy.workingDirectory == dir.path)
        let sources = KeySources(paths: ["Mine"], environment: [:], workingDirectory: dir.path)
        let loaded = try sources.load(policies: [policy])
        #expect(loaded.ring.publicKeys.map(\.id) == ["mine", "site"])
        let ring = try KeyRing.load(paths: [], policies: [policy], environment: [:]).ring
        #expect(ring.publicKey(id: "site") != nil, "a policy's key files start from its own folder")
        let missing = #expect(throws: KeyFileError.self) {
            try KeySources(paths: ["Mine/other.pub"], environment: [:], workingDirectory: dir.path).load()
        }
        #expect(missing?.source == "Mine/other.pub")
        try write("content/.secured.yaml", "keys: [../Keys/gone.pub]\n")
        let gone = try #require(PolicyResolver(workingDirectory: dir.path).policy(for: "content/a.md"))
        let error = #expect(throws: KeyFileError.self) { try sources.load(policies: [gone]) }
        #expect(error?.source == "content/.secured.yaml" && error?.reason.contains("Keys/gone.pub") == true)
    }

    @Test func aPolicyWithOnlyKeyIDsNotesTheOnesNobodySupplied() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try newKey("site")
        try write(".secured.yaml", "keys: [site, archive]\n")
        try write("content/a.md", "x\n")
        let scope = scope()
        _ = try scope.walk([path("content")])
        let loaded = try scope.loadKeys(KeySources(paths: [], environment: ["SECURED_KEY": key.keyFileText()]))
        #expect(loaded.ring.keys.map(\.id) == ["site"])
        #expect(loaded.notes.map(\.kind) == [.expectedKeyMissing])
        #expect(loaded.notes.first?.message.contains("'archive'") == true)
    }

    /// A policy below the top adds a key file: the note says that a policy file trusts it.
    @Test func aKeyFileAddedByAPolicyBelowTheTopIsNoted() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try newKey("guest")
        try write("Keys/guest.pub", try #require(key.publicKey).fileText)
        try write("content/.secured.yaml", "keys: [../Keys/guest.pub]\n")
        try write("content/a.md", "x\n")
        let scope = scope()
        _ = try scope.walk(["content"])
        let loaded = try scope.loadKeys(KeySources(paths: [], environment: [:]))
        #expect(loaded.ring.publicKey(id: "guest") != nil)
        #expect(loaded.notes.map(\.kind) == [.policyAddsKey])
        #expect(loaded.notes.first?.path == "content/.secured.yaml" && loaded.notes.first?.line == 1)
        #expect(loaded.notes.first?.message.contains("the key file Keys/guest.pub:") == true)
    }
}
