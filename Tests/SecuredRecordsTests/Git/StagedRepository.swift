import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// A git repository in a temporary folder for the checks the pre-commit hook runs on the
/// index: files are written and staged with `git`, and the library's git runs there
/// (``Git/repository``), never in the process's working directory.
struct StagedRepository {
    let dir: URL
    let key: SecuredKey
    var root: String { dir.path }

    init() throws {
        dir = try TestPaths.temporaryDirectory("staged").resolvingSymlinksInPath()
        key = try newKey("site")
        try git(["init", "-q", "-b", "main"])
        try git(["config", "user.email", "tests@example.com"])
        try git(["config", "user.name", "Tests"])
        try git(["config", "commit.gpgsign", "false"])
    }

    /// Runs git in the repository; a failure stops the test.
    @discardableResult
    func git(_ arguments: [String]) throws -> ProcessResult {
        let result = try runProcess("git", arguments, currentDirectory: dir)
        try #require(result.status == 0, "git \(arguments.joined(separator: " ")): \(result.stderrText)")
        return result
    }

    /// Writes `bytes` at `path` (relative to the root), folders made.
    func write(_ path: String, _ bytes: [UInt8]) throws {
        let url = dir.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
    }

    /// Writes and stages `text` at `path`.
    func stage(_ path: String, _ text: String) throws { try stage(path, Array(text.utf8)) }

    /// Writes and stages `bytes` at `path`.
    func stage(_ path: String, _ bytes: [UInt8]) throws {
        try write(path, bytes)
        try git(["add", "--", path])
    }

    /// A record with `body`, sealed with ``key``.
    func sealed(_ body: String, title: String = "T") throws -> [UInt8] {
        let record = try Record(parsing: Array("---\ntitle: \(title)\n---\n\(body)\n".utf8), file: "r.md")
        return try RecordSealer.seal(record, with: key).record.bytes
    }

    /// The scope of a run at the root: policies read from the work tree.
    func scope(include: String? = nil, usePolicies: Bool = true) -> CorpusScope {
        CorpusScope(
            include: include, sizeLimit: Record.defaultSizeLimit, usePolicies: usePolicies, workingDirectory: root)
    }

    /// `body`, with the library's git running in this repository.
    func run<T>(_ body: () throws -> T) throws -> T {
        try Git.$repository.withValue(root) { try body() }
    }

    /// The staged files, as the hook lists them.
    func staged() throws -> [Git.StagedFile] { try run { try Git.stagedFiles() } }

    func remove() { try? FileManager.default.removeItem(at: dir) }
}
