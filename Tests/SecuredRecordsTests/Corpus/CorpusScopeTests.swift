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

    /// The scope's documentation says relative paths start from the working directory given;
    /// the walk resolves them from the process's instead, so a library caller whose folder is
    /// not the process's must name absolute paths. Known until the walk resolves them.
    @Test func relativePathsStartFromTheWorkingDirectoryGiven() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        try write("content/a.md", "x\n")
        #expect(!FileManager.default.fileExists(atPath: "content/a.md"), "the process's folder has no content/")
        withKnownIssue("relative paths are resolved from the process's working directory") { () throws in
            #expect(try scope().walk(["content"]).files.count == 1)
        }
    }

    /// A policy names its key files relative to its folder and the library places them from
    /// the working directory given (`Keys/site.pub`), but reads them from the process's: a
    /// library caller whose folder is not the process's cannot load a policy's keys. Known
    /// until the key files are read from the folder given; the command line, whose folder is
    /// the process's, is not affected.
    @Test func theKeyFilesThePoliciesNameAreLoadedWithTheCallersKeys() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let key = try newKey("site")
        try write("Keys/site.pub", try #require(key.publicKey).fileText)
        try write(".secured.yaml", "keys: [Keys/site.pub, archive]\n")
        try write("content/a.md", "x\n")
        let scope = scope()
        _ = try scope.walk([path("content")])
        #expect(scope.policiesInForce.first?.keyFiles == ["Keys/site.pub"], "placed from the folder given")
        withKnownIssue("a policy's key files are read from the process's working directory") { () throws in
            let loaded = try scope.loadKeys(KeySources(paths: [], environment: [:]))
            #expect(loaded.ring.publicKey(id: "site") != nil)
            #expect(loaded.notes.map(\.kind) == [.expectedKeyMissing], "archive was not supplied")
        }
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
    /// Its key file is read from the process's working directory (see above), so the key is
    /// named absolute here, outside the folder given.
    @Test func aKeyFileAddedByAPolicyBelowTheTopIsNoted() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = try TestPaths.temporaryDirectory("scope-keys").resolvingSymlinksInPath()
        defer { try? FileManager.default.removeItem(at: keys) }
        let key = try newKey("guest")
        let pub = keys.appendingPathComponent("guest.pub")
        try Data(try #require(key.publicKey).fileText.utf8).write(to: pub)
        try write("content/.secured.yaml", "keys: [\(pub.path)]\n")
        try write("content/a.md", "x\n")
        let scope = scope()
        _ = try scope.walk([path("content")])
        let loaded = try scope.loadKeys(KeySources(paths: [], environment: [:]))
        #expect(loaded.ring.publicKey(id: "guest") != nil)
        #expect(loaded.notes.map(\.kind) == [.policyAddsKey])
        #expect(loaded.notes.first?.path == "content/.secured.yaml" && loaded.notes.first?.line == 1)
    }
}
