#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading records from disk with a size limit.
package enum RecordFile {
    /// Reads a whole file, refusing one over `sizeLimit` without reading it.
    ///
    /// The path's type is checked before it is opened, so a FIFO, a socket or a device is
    /// reported and never opened (opening a FIFO would block for ever), and it is opened
    /// non-blocking, so one swapped in meanwhile cannot block either.
    ///
    /// - Parameters:
    ///   - path: the file (a symbolic link named directly is followed).
    ///   - sizeLimit: the largest size read, in bytes.
    /// - Returns: the bytes.
    /// - Throws: SR017 when the file is missing, a dangling link, not a regular file,
    ///   unreadable or over the limit.
    public static func read(_ path: String, sizeLimit: Int = Record.defaultSizeLimit) throws(RecordError) -> [UInt8] {
        func fail(_ reason: String) -> RecordError { RecordError(.sr017Unreadable, file: path, reason: reason) }
        guard var info = FilePath.status(path) else {
            let reason = FilePath.isDanglingLink(path) ? "dangling symbolic link (its target does not exist)" : nil
            throw fail(reason ?? "cannot open: \(errnoText())")
        }
        guard FileKind(info.st_mode) == .regular else {
            throw fail("not a regular file (\(FileKind(info.st_mode).name)); not opened")
        }
        let fd = FilePath.openFile(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard fd >= 0 else { throw fail("cannot open: \(errnoText())") }
        defer { close(fd) }
        guard fstat(fd, &info) == 0 else { throw fail("cannot stat: \(errnoText())") }
        guard FileKind(info.st_mode) == .regular else {
            throw fail("not a regular file (\(FileKind(info.st_mode).name))")
        }
        let size = Int(info.st_size)
        guard size <= sizeLimit else {
            throw fail("file is \(size) bytes, over the size limit of \(sizeLimit) bytes; not read")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var total = 0
        let failure: Int32? = bytes.withUnsafeMutableBytes { buf in
            while total < size {
                let n = SystemCall.read(fd, buf.baseAddress! + total, size - total)
                if n < 0 { return errno }
                if n == 0 { break }
                total += n
            }
            return nil
        }
        if let failure { throw fail("read failed: \(String(cString: strerror(failure)))") }
        if total < size { bytes.removeLast(size - total) }
        // The file may have grown since fstat: never read past the limit.
        var probe: UInt8 = 0
        if total == size, SystemCall.read(fd, &probe, 1) == 1 { throw fail("file grew while being read") }
        return bytes
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
