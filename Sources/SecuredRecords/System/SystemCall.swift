#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system calls that a signal can interrupt, retried on `EINTR` in one place.
package enum SystemCall {
    /// `read(2)`, retried when a signal interrupts it.
    ///
    /// - Returns: the bytes read, 0 at the end, or -1 with `errno` set.
    package static func read(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        retrying { Glibc.read(fd, buffer, count) }
    }

    /// `pread(2)`, retried when a signal interrupts it.
    ///
    /// - Returns: the bytes read, 0 at the end, or -1 with `errno` set.
    package static func pread(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: off_t) -> Int {
        retrying { Glibc.pread(fd, buffer, count, offset) }
    }

    /// Writes every byte of `bytes` to `fd` at `offset` with `pwrite(2)`, retrying interrupted
    /// and short writes.
    ///
    /// - Returns: whether all of it was written.
    package static func pwriteAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: off_t) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = retrying { Glibc.pwrite(fd, bytes.baseAddress! + done, bytes.count - done, offset + off_t(done)) }
            if n <= 0 { return false }
            done += n
        }
        return true
    }

    /// Writes every byte of `bytes` to `fd`, retrying interrupted and short writes.
    ///
    /// - Returns: whether all of it was written (`errno` says why not).
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = retrying { Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// `waitpid(2)` for `pid`, retried when a signal interrupts it.
    ///
    /// - Returns: the exit status as a shell reports it (128 + the signal when a signal ended
    ///   it), or -1 when it cannot be known.
    package static func wait(for pid: pid_t) -> Int32 {
        var status: Int32 = 0
        guard retrying({ Glibc.waitpid(pid, &status, 0) }) >= 0 else { return -1 }
        let signal = status & 0x7F
        return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    }

    /// Calls `call` until it does not fail with `EINTR`.
    private static func retrying<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}
