import Foundation

/// Paths shared by the test targets.
public enum TestPaths {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// `../shared` beside the repository, when present (seeds, vectors).
    public static var shared: URL? {
        let url = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }

    /// A file of `../shared/seeds` whose name starts with `prefix` ("000_").
    public static func seed(_ prefix: String) -> URL? {
        guard let dir = shared?.appendingPathComponent("seeds"),
            let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path)
        else { return nil }
        return names.sorted().first { $0.hasPrefix(prefix) }.map { dir.appendingPathComponent($0) }
    }

    /// Every file of `../shared/real-sample` (131 real records and one HTML page), sorted;
    /// empty when that folder is not beside the repository.
    public static var realSample: [URL] {
        guard let dir = shared?.appendingPathComponent("real-sample") else { return [] }
        var out: [URL] = []
        for sub in ["ai", "powerapps"] {
            let folder = dir.appendingPathComponent(sub)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            out += names.sorted().map { folder.appendingPathComponent($0) }
        }
        return out
    }

    /// A fresh temporary folder, removed by the caller.
    public static func temporaryDirectory(_ label: String = "secured-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// The result of a finished child process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

/// Runs a program to completion, feeding `stdin`, and captures its output.
///
/// - Parameters:
///   - executable: a path, or a bare name looked up through `/usr/bin/env`.
///   - arguments: the arguments.
///   - stdin: bytes written to its standard input (then closed).
///   - environment: extra variables, added to this process's environment.
///   - currentDirectory: where it runs.
public func runProcess(
    _ executable: String, _ arguments: [String], stdin: Data = Data(),
    environment: [String: String] = [:], removing: [String] = [], currentDirectory: URL? = nil
) throws -> ProcessResult {
    let process = Process()
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    var env = ProcessInfo.processInfo.environment
    for (k, v) in environment { env[k] = v }
    for k in removing { env[k] = nil }
    process.environment = env
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let inPipe = Pipe()
    let outPipe = Pipe()
    let errPipe = Pipe()
    process.standardInput = inPipe
    process.standardOutput = outPipe
    process.standardError = errPipe
    try process.run()
    // Read both pipes concurrently so a chatty child never blocks on a full pipe.
    let group = DispatchGroup()
    nonisolated(unsafe) var out = Data()
    nonisolated(unsafe) var err = Data()
    group.enter()
    DispatchQueue.global().async {
        out = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        err = errPipe.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if !stdin.isEmpty { try? inPipe.fileHandleForWriting.write(contentsOf: stdin) }
    try? inPipe.fileHandleForWriting.close()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus, stdout: out, stderr: err)
}

/// Whether a program is on the PATH.
public func programExists(_ name: String) -> Bool {
    (try? runProcess("sh", ["-c", "command -v \(name)"]).status) == 0
}

/// A small deterministic RNG (SplitMix64), so property-style loops can print their seed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}

/// Hex helpers for tests.
public func hexBytes(_ text: String) -> [UInt8] {
    var out: [UInt8] = []
    var chars = Array(text.utf8)[...]
    while chars.count >= 2 {
        out.append(UInt8(String(decoding: chars.prefix(2), as: UTF8.self), radix: 16)!)
        chars = chars.dropFirst(2)
    }
    return out
}

public func hexString(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { String(format: "%02x", $0) }.joined()
}

/// Reads `name = value` blocks separated by blank lines ('#' lines are comments).
public func loadKeyValueVectors(_ url: URL) throws -> [[String: String]] {
    let text = try String(contentsOf: url, encoding: .utf8)
    var vectors: [[String: String]] = []
    var current: [String: String] = [:]
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("#") { continue }
        if trimmed.isEmpty {
            if !current.isEmpty { vectors.append(current) }
            current = [:]
            continue
        }
        let parts = trimmed.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.count == 2 { current[parts[0]] = parts[1] }
    }
    if !current.isEmpty { vectors.append(current) }
    return vectors
}

/// A vector file of the reader's conformance vectors: `{"cases": [...]}`.
public struct VectorCaseFile<Case: Decodable>: Decodable {
    public var cases: [Case]
}

/// The reader's conformance vectors, `Tests/Vectors/reader`, shared by the Swift and
/// JavaScript suites.
public enum ReaderVectors {
    /// The folder of the vectors.
    public static let directory = TestPaths.repositoryRoot.appendingPathComponent("Tests/Vectors/reader")

    /// The cases of `file` (relative to ``directory``); empty when it is missing or does not decode
    /// (each suite checks its count).
    public static func cases<Case: Decodable>(_ file: String) -> [Case] {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent(file)),
            let decoded = try? JSONDecoder().decode(VectorCaseFile<Case>.self, from: data)
        else { return [] }
        return decoded.cases
    }
}
