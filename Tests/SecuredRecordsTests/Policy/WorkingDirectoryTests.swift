import Foundation
import SecuredRecords
import TestSupport
import Testing

/// The library never reads the process's working directory: the caller says where relative
/// paths start from, and a folder other than the process's gives the answer for that folder.
@Suite("The working directory is a parameter")
struct WorkingDirectoryTests {
    /// A site folder that is not the process's working directory, with a policy in `news/`.
    func site() throws -> URL {
        let dir = try TestPaths.temporaryDirectory("secured-cwd").resolvingSymlinksInPath()
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("news/private"), withIntermediateDirectories: true)
        try Data("require-secured: [private/**]\n".utf8).write(to: dir.appendingPathComponent("news/.secured.yaml"))
        #expect(dir.path != FileManager.default.currentDirectoryPath)
        return dir
    }

    @Test func aPolicyIsPlacedFromTheFolderGiven() throws {
        let policy = try Policy(
            parsing: Array("exclude: [x.md]\n".utf8), file: "/srv/site/news/.secured.yaml",
            workingDirectory: "/srv/site")
        #expect(policy.file == "news/.secured.yaml")
        #expect(policy.relative("news/a/b.md") == "a/b.md")
        #expect(policy.relative("/srv/site/news/c.md") == "c.md")
        #expect(policy.relative("other/c.md") == nil)
    }

    @Test func theResolverFindsPoliciesUnderTheFolderGiven() throws {
        let dir = try site()
        defer { try? FileManager.default.removeItem(at: dir) }
        let resolver = PolicyResolver(workingDirectory: dir.path)
        let policy = try #require(resolver.policy(for: "news/private/a.md"))
        #expect(policy.file == "news/.secured.yaml", "named relative to the folder given")
        #expect(policy.requiresSecured("news/private/a.md"))
        #expect(resolver.policy(for: "a.md") == nil)
        // The process's own working directory has no news/ folder: the answer came from `dir`.
        #expect(!FileManager.default.fileExists(atPath: "news/.secured.yaml"))
    }

    @Test func aBadPolicyIsNamedRelativeToTheFolderGiven() throws {
        let dir = try site()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("nope: 1\n".utf8).write(to: dir.appendingPathComponent("news/.secured.yaml"))
        let resolver = PolicyResolver(workingDirectory: dir.path)
        #expect(resolver.policy(for: "news/a.md") == nil)
        let error = try #require(resolver.errors.first)
        #expect(error.description.hasPrefix("news/.secured.yaml:1: "), "\(error.description)")
    }

    @Test func aKeyFileIsInsideAWorkTreeOfTheFolderGiven() throws {
        let dir = try site()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent(".git"), withIntermediateDirectories: true)
        #expect(KeyFileOperations.enclosingWorkTree(of: "news/site.key", workingDirectory: dir.path) == dir.path)
        #expect(KeyFileOperations.enclosingWorkTree(of: "site.key", workingDirectory: "/") == nil)
    }
}
