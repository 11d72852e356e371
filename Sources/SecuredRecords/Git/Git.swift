#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few git plumbing commands the hooks need, run as `git` processes (no shell): the
/// repository's root, its hooks folder, and the staged version of each added or changed file.
public enum Git {
    /// A file as the index holds it.
    public struct StagedFile: Sendable {
        /// The path, relative to the repository root.
        public var path: String
        /// The staged bytes.
        public var bytes: [UInt8]
    }

    /// Why git could not answer.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Runs `git` with `arguments`; its standard output, or ``Failure`` naming the command
    /// when it cannot start or exits non-zero. Its standard error passes through.
    public static func run(_ arguments: [String]) throws(Failure) -> [UInt8] {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure(description: "cannot create a pipe") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
        posix_spawn_file_actions_addclose(&actions, fds[0])
        posix_spawn_file_actions_addclose(&actions, fds[1])
        let argv = (["git"] + arguments).map { arg in
            FilePath.bytes(arg).withUnsafeBufferPointer { bytes -> UnsafeMutablePointer<CChar>? in
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (k, b) in bytes.enumerated() { p[k] = CChar(bitPattern: b) }
                p[bytes.count] = 0
                return p
            }
        }
        defer { for p in argv { p?.deallocate() } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "git", &actions, nil, argv + [nil], environ)
        close(fds[1])
        defer { close(fds[0]) }
        guard spawned == 0 else {
            throw Failure(description: "cannot run git: \(String(cString: strerror(spawned)))")
        }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            output += buffer[..<n]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            throw Failure(description: "'git \(arguments.joined(separator: " "))' failed")
        }
        return output
    }

    /// `git rev-parse --show-toplevel`: the work tree's root.
    public static func topLevel() throws(Failure) -> String {
        try line(run(["rev-parse", "--show-toplevel"]))
    }

    /// Where git looks for hooks (`core.hooksPath` included), relative to the current folder
    /// or absolute.
    public static func hooksDirectory() throws(Failure) -> String {
        try line(run(["rev-parse", "--git-path", "hooks"]))
    }

    /// The files the next commit adds or changes, as staged (deleted files, symbolic links and
    /// submodules left out), sorted by path. Run from the repository's root.
    public static func stagedFiles() throws(Failure) -> [StagedFile] {
        // ":<old mode> <new mode> <old id> <new id> <status>\0<path>\0" per file.
        let raw = try run(["diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--diff-filter=ACMT"])
        var fields = raw.split(separator: 0, omittingEmptySubsequences: false)[...]
        var files: [StagedFile] = []
        while let header = fields.first, !header.isEmpty {
            fields = fields.dropFirst()
            guard let pathBytes = fields.first else { break }
            fields = fields.dropFirst()
            let parts = header.split(separator: 0x20)
            guard parts.count >= 4 else { throw Failure(description: "unexpected output from git diff --raw") }
            let mode = String(decoding: parts[1], as: UTF8.self)
            guard mode.hasPrefix("100") else { continue }  // links (120000) and submodules (160000)
            let id = String(decoding: parts[3], as: UTF8.self)
            let bytes = try run(["cat-file", "blob", id])
            files.append(StagedFile(path: FilePath.decode(pathBytes), bytes: bytes))
        }
        return files.sorted { FilePath.precedes($0.path, $1.path) }
    }

    private static func line(_ bytes: [UInt8]) throws(Failure) -> String {
        var bytes = bytes[...]
        while bytes.last == 0x0A || bytes.last == 0x0D { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { throw Failure(description: "git gave no answer") }
        return FilePath.decode(bytes)
    }
}
