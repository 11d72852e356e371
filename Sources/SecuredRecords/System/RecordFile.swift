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
    /// A file its folder listed as a regular file (`d_type`, as a walk saw it) is opened
    /// without that `stat`: the check after opening still holds if it was swapped since.
    ///
    /// - Parameters:
    ///   - path: the file (a symbolic link named directly is followed).
    ///   - sizeLimit: the largest size read, in bytes.
    ///   - listedRegular: whether its folder listed it as a regular file.
    ///   - folder: a worker's open folder, to open the file by its name in it (``OpenFolder``).
    ///   - workingDirectory: the absolute folder a relative `path` starts from; `nil`: the
    ///     folder's (``OpenFolder/workingDirectory``), else the process's. Findings name
    ///     `path` as given.
    /// - Returns: the bytes.
    /// - Throws: SR017 when the file is missing, a dangling link, not a regular file,
    ///   unreadable or over the limit.
    public static func read(
        _ path: String, sizeLimit: Int = Record.defaultSizeLimit, listedRegular: Bool = false,
        folder: OpenFolder? = nil, in workingDirectory: String? = nil
    ) throws(RecordError) -> [UInt8] {
        func fail(_ reason: String) -> RecordError { RecordError(.sr017Unreadable, file: path, reason: reason) }
        let (fd, size) = try openRegular(
            path, listedRegular: listedRegular, folder: folder,
            workingDirectory: workingDirectory ?? folder?.workingDirectory)
        defer { close(fd) }
        guard size <= sizeLimit else { throw overLimit(path, size: size, sizeLimit: sizeLimit) }
        var total = 0
        var failure: Int32?
        // Uninitialized: read(2) fills it, and only the bytes it filled are kept (no memset).
        // One byte more than fstat said is asked for, so that one read both fills the record
        // and shows it ends there (a read of a regular file returns less than asked only at
        // its end): a file that grew since fstat is refused, never read past the limit.
        let bytes = [UInt8](unsafeUninitializedCapacity: size + 1) { buf, initialized in
            while total <= size {
                let asked = size + 1 - total
                let n = SystemCall.read(fd, buf.baseAddress! + total, asked)
                if n < 0 {
                    failure = errno
                    break
                }
                if n == 0 { break }
                total += n
                if n < asked && total == size { break }
            }
            initialized = min(total, size)
        }
        if let failure { throw fail("read failed: \(String(cString: strerror(failure)))") }
        if total > size { throw fail("file grew while being read") }
        return bytes
    }

    /// Hands a regular file's bytes to `body` in chunks of at most 64 KiB, whatever its size,
    /// never holding it whole (a file too large to read, shown unchanged); `body` returns
    /// false to stop. A FIFO, a socket or a device is refused unopened, as by ``read(_:sizeLimit:)``.
    ///
    /// - Returns: the number of bytes handed over and the last of them.
    /// - Throws: SR017 when the file cannot be opened or read.
    public static func stream(
        _ path: String, in workingDirectory: String? = nil, _ body: (UnsafeRawBufferPointer) -> Bool
    ) throws(RecordError) -> (count: Int, last: UInt8?) {
        let (fd, _) = try openRegular(path, workingDirectory: workingDirectory)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var count = 0
        var last: UInt8?
        while true {
            let n = buffer.withUnsafeMutableBytes { SystemCall.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { throw RecordError(.sr017Unreadable, file: path, reason: "read failed: \(errnoText())") }
            if n == 0 { return (count, last) }
            count += n
            last = buffer[n - 1]
            guard buffer.withUnsafeBytes({ body(UnsafeRawBufferPointer(rebasing: $0[..<n])) }) else {
                return (count, last)
            }
        }
    }

    /// Opens `path` for reading if it is a regular file: the type is checked before it is
    /// opened (unless its folder listed it as a regular file), and it is opened non-blocking,
    /// so that a FIFO swapped in cannot block.
    /// - Returns: the descriptor (the caller closes it) and the size.
    private static func openRegular(
        _ path: String, listedRegular: Bool = false, folder: OpenFolder? = nil, workingDirectory: String? = nil
    ) throws(RecordError) -> (
        fd: Int32, size: Int
    ) {
        func fail(_ reason: String) -> RecordError { RecordError(.sr017Unreadable, file: path, reason: reason) }
        var info = stat()
        if !listedRegular {
            let io = FilePath.resolved(path, in: workingDirectory)
            guard let status = FilePath.status(io) else {
                let reason = FilePath.isDanglingLink(io) ? "dangling symbolic link (its target does not exist)" : nil
                throw fail(reason ?? "cannot open: \(errnoText())")
            }
            guard FileKind(status.st_mode) == .regular else {
                throw fail("not a regular file (\(FileKind(status.st_mode).name)); not opened")
            }
        }
        let flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK
        let fd =
            folder?.openFile(path, flags) ?? FilePath.openFile(FilePath.resolved(path, in: workingDirectory), flags)
        guard fd >= 0 else { throw fail("cannot open: \(errnoText())") }
        guard fstat(fd, &info) == 0 else {
            let error = fail("cannot stat: \(errnoText())")
            close(fd)
            throw error
        }
        guard FileKind(info.st_mode) == .regular else {
            close(fd)
            throw fail("not a regular file (\(FileKind(info.st_mode).name))")
        }
        return (fd, Int(info.st_size))
    }

    /// SR017 for a file of `size` bytes over `sizeLimit` (not read), as every command words it.
    public static func overLimit(_ path: String, size: Int, sizeLimit: Int) -> RecordError {
        RecordError(
            .sr017Unreadable, file: path,
            reason: "file is \(size) bytes, over the size limit of \(sizeLimit) bytes; not read")
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
