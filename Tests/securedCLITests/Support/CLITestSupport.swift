import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// The built `secured` binary, beside the test bundle.
let securedBinary: String = {
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("secured").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir.deleteLastPathComponent()
    }
    return TestPaths.repositoryRoot.appendingPathComponent(".build/debug/secured").path
}()

/// Runs `secured` with `arguments` in `dir`, with SECURED_KEY, SECURED_PASSPHRASE, EDITOR and GITHUB_STEP_SUMMARY
/// cleared unless given.
func secured(
    _ arguments: [String], in dir: URL, environment: [String: String] = [:], stdin: Data = Data()
) throws -> ProcessResult {
    try runProcess(
        securedBinary, arguments, stdin: stdin, environment: environment,
        removing: ["SECURED_KEY", "SECURED_PASSPHRASE", "EDITOR", "GITHUB_STEP_SUMMARY"].filter {
            environment[$0] == nil
        },
        currentDirectory: dir)
}

/// The environment of the tests' git commands: a fixed author, no system configuration.
let gitTestEnvironment = [
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.org", "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org", "GIT_CONFIG_NOSYSTEM": "1",
]

/// Runs `git` in the workspace, expecting `status`.
@discardableResult
func git(_ args: [String], _ ws: Workspace, status: Int32 = 0, environment: [String: String] = [:]) throws
    -> ProcessResult
{
    let r = try runProcess(
        "git", args, environment: gitTestEnvironment.merging(environment) { $1 },
        removing: ["SECURED_KEY", "GIT_DIR", "GIT_INDEX_FILE"].filter { environment[$0] == nil },
        currentDirectory: ws.dir)
    #expect(r.status == status, "git \(args): \(r.stderrText)")
    return r
}

/// Runs a bash script (no profile, no rc files) in the workspace, without SECURED_KEY.
func bash(_ script: String, _ ws: Workspace) throws -> ProcessResult {
    try runProcess(
        "bash", ["--noprofile", "--norc", "-c", script], removing: ["SECURED_KEY"], currentDirectory: ws.dir)
}

/// A scratch folder with a key and some records.
struct Workspace {
    let dir: URL
    let keyPath: String
    let key: SecuredKey

    init(keyID: String = "cli") throws {
        dir = try TestPaths.temporaryDirectory("cli")
        key = try SecuredKey.generate(id: keyID)
        keyPath = dir.appendingPathComponent("\(keyID).key").path
        try Data(key.keyFileText().utf8).write(to: URL(fileURLWithPath: keyPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        // As `secured init` does: the workspace's secret key is never staged (the hook refuses it).
        try Data("*.key\n".utf8).write(to: dir.appendingPathComponent(".gitignore"))
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    func read(_ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    /// The secret forms of the key: hex and base64 of enc and mac.
    var secretForms: [String] {
        var out: [String] = []
        for k in [key.encryptionKey, key.authenticationKey!] {
            k.withUnsafeBytes { raw in
                out.append(Hex.encode(raw))
                out.append(Base64.encode(raw))
                out.append(Hex.encode(raw).uppercased())
            }
        }
        return out
    }
}

/// A fenced block of the README.
struct ReadmeBlock {
    /// The fence's info string (`sh`, `yaml`, `js`, or empty).
    var language: String
    /// The 1-based line of the opening fence.
    var line: Int
    /// The block's text, without the indentation of its fence.
    var text: String
    /// The reason of a `<!-- not run: REASON -->` marker on the line before the fence.
    var notRunReason: String?
    /// The README comments (`<!-- … -->`) met since the previous block.
    var comments: [String]
    /// The README's text since the previous block: where a block runs is said there.
    var prose: String = ""

    /// Whether the README test runs it: a `sh` or `bash` block with no `not run` marker.
    var runs: Bool { (language == "sh" || language == "bash") && notRunReason == nil }
}

/// Every fenced block of the README, in order. How a block is told apart: a block whose
/// fence says `sh` or `bash` is a shell block and runs, unless the line before its fence is
/// `<!-- not run: REASON -->`; any other block (`yaml`, `js`, a `$ ` transcript in a fence
/// with no language) is an illustration and never runs.
func readmeBlocks() throws -> [ReadmeBlock] {
    let readme = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    let lines = readme.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    var blocks: [ReadmeBlock] = []
    var comments: [String] = []
    var prose: [String] = []
    var index = 0
    while index < lines.count {
        let line = lines[index]
        let indent = line.prefix { $0 == " " }
        let rest = line.dropFirst(indent.count)
        if rest.hasPrefix("<!--") { comments.append(String(rest)) }
        guard rest.hasPrefix("```") else {
            prose.append(line)
            index += 1
            continue
        }
        let language = rest.dropFirst(3).trimmingCharacters(in: .whitespaces)
        var previous = index - 1
        while previous >= 0 && lines[previous].trimmingCharacters(in: .whitespaces).isEmpty { previous -= 1 }
        let marker = previous >= 0 ? lines[previous].trimmingCharacters(in: .whitespaces) : ""
        var reason: String?
        if marker.hasPrefix("<!-- not run:") && marker.hasSuffix("-->") {
            reason = String(marker.dropFirst("<!-- not run:".count).dropLast(3)).trimmingCharacters(in: .whitespaces)
        }
        var body: [String] = []
        let fence = index + 1
        index += 1
        while index < lines.count && lines[index] != indent + "```" {
            body.append(
                String(lines[index].hasPrefix(indent) ? lines[index].dropFirst(indent.count) : lines[index][...]))
            index += 1
        }
        blocks.append(
            ReadmeBlock(
                language: language, line: fence, text: body.joined(separator: "\n") + "\n", notRunReason: reason,
                comments: comments, prose: prose.joined(separator: "\n")))
        comments = []
        prose = []
        index += 1
    }
    return blocks
}

/// The first ```sh block after `<!-- MARKER` in the README (``readmeBlocks()`` has them all).
func readmeShellBlock(after marker: String) throws -> String {
    guard let block = try readmeBlocks().first(where: { $0.comments.contains { $0.hasPrefix("<!-- \(marker)") } })
    else { throw ReadmeBlockMissing(marker: marker) }
    return block.text
}

struct ReadmeBlockMissing: Error { var marker: String }

/// A leaf command of `secured`, as `secured --experimental-dump-help` lists it.
struct LeafCommand: Hashable, CustomStringConvertible {
    /// Its words: ["manifest", "build"].
    var path: [String]
    /// Its long option names, without dashes.
    var options: Set<String>

    var description: String { path.joined(separator: " ") }
    var takesFormat: Bool { options.contains("format") }
}

/// Every leaf command, from the tool's own description of itself (not a hand-written list, so
/// a new command cannot skip the tests that iterate over them).
func leafCommands() throws -> [LeafCommand] {
    let r = try runProcess(securedBinary, ["--experimental-dump-help"])
    guard r.status == 0, let root = try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any],
        let command = root["command"] as? [String: Any]
    else { throw CocoaError(.fileReadCorruptFile) }
    var leaves: [LeafCommand] = []
    func walk(_ node: [String: Any], _ path: [String]) {
        let subs = (node["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        if subs.isEmpty {
            let arguments = node["arguments"] as? [[String: Any]] ?? []
            let names = arguments.flatMap { $0["names"] as? [[String: Any]] ?? [] }
                .filter { $0["kind"] as? String == "long" }.compactMap { $0["name"] as? String }
            leaves.append(LeafCommand(path: path, options: Set(names)))
        }
        for sub in subs { walk(sub, path + [sub["commandName"] as? String ?? "?"]) }
    }
    walk(command, [])
    return leaves
}

/// Lines of an `Example:`/`Examples:` section of `--help` text (printed 80 columns wide when
/// not on a terminal) that do not start indented: the end of an example that wrapped.
func helpExampleLinesThatWrap(_ help: String) -> [String] {
    var out: [String] = []
    var inExamples = false
    for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("Example") && line.hasSuffix(":") {
            inExamples = true
        } else if line.isEmpty {
            inExamples = false
        } else if inExamples && !line.hasPrefix("  ") {
            out.append(String(line))
        }
    }
    return out
}
