#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs another program: the one way the package starts a process (git, the user's editor).
package enum Subprocess {
    /// What a finished process gave back.
    package struct Result {
        /// Its exit status (128 + the signal when a signal ended it; -1 when unknown).
        package var status: Int32
        /// Its standard output, when it was captured.
        package var output: [UInt8]
    }

    /// Runs `arguments[0]` (looked up on `PATH` when it has no `/`) with the rest as its
    /// arguments, with this process's environment, standard input and standard error, and
    /// waits for it.
    ///
    /// - Parameters:
    ///   - arguments: the program and its arguments, as bytes-preserving strings.
    ///   - captureOutput: whether to capture its standard output (else it is this process's).
    /// - Returns: the result, or the `errno` text when it cannot start.
    package static func run(_ arguments: [String], captureOutput: Bool) -> Swift.Result<Result, SpawnFailure> {
        var output: [UInt8] = []
        let status = spawn(arguments, output: captureOutput ? { output += $0 } : nil)
        return status.map { Result(status: $0, output: output) }
    }

    /// Runs `arguments[0]` as ``run(_:captureOutput:)`` does, handing its standard output to
    /// `body` as it comes (at most 64 KiB a call), never holding it whole.
    ///
    /// - Returns: its exit status, or the `errno` text when it cannot start.
    package static func stream(_ arguments: [String], _ body: (UnsafeRawBufferPointer) -> Void) -> Exit {
        withoutActuallyEscaping(body) { spawn(arguments, output: $0) }
    }

    /// An exit status, or why the program could not start.
    package typealias Exit = Swift.Result<Int32, SpawnFailure>

    private static func spawn(_ arguments: [String], output: ((UnsafeRawBufferPointer) -> Void)?) -> Exit {
        let captureOutput = output != nil
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { return .failure(SpawnFailure(reason: "cannot create a pipe")) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if captureOutput {
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        }
        let argv = arguments.map { arg in
            FilePath.bytes(arg).withUnsafeBufferPointer { bytes -> UnsafeMutablePointer<CChar>? in
                let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
                for (k, b) in bytes.enumerated() { p[k] = CChar(bitPattern: b) }
                p[bytes.count] = 0
                return p
            }
        }
        defer { for p in argv { p?.deallocate() } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0]!, &actions, nil, argv + [nil], environ)
        if captureOutput { close(fds[1]) }
        defer { if captureOutput { close(fds[0]) } }
        guard spawned == 0 else {
            return .failure(SpawnFailure(reason: String(cString: strerror(spawned))))
        }
        if let output {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = buffer.withUnsafeMutableBytes { SystemCall.read(fds[0], $0.baseAddress!, $0.count) }
                if n <= 0 { break }
                buffer.withUnsafeBytes { output(UnsafeRawBufferPointer(rebasing: $0[..<n])) }
            }
        }
        return .success(SystemCall.wait(for: pid))
    }

    /// Why a program could not start.
    package struct SpawnFailure: Error {
        /// The system's reason.
        package var reason: String
    }
}
