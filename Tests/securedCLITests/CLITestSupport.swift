import Foundation
import SecuredCrypto
import TestSupport

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

/// The first ```sh block after `<!-- MARKER` in the README: the tests run such blocks as written.
func readmeShellBlock(after marker: String) throws -> String {
    let readme = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
    guard let found = readme.range(of: "<!-- \(marker)") else { throw ReadmeBlockMissing(marker: marker) }
    let rest = readme[found.upperBound...]
    guard let start = rest.range(of: "```sh\n"), let end = rest[start.upperBound...].range(of: "\n```\n") else {
        throw ReadmeBlockMissing(marker: marker)
    }
    return String(rest[start.upperBound..<end.lowerBound])
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
