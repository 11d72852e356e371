#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading records from disk with a size limit.
public enum RecordFile {
    /// Reads a whole file, refusing one over `sizeLimit` without reading it.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - sizeLimit: the largest size read, in bytes.
    /// - Returns: the bytes.
    /// - Throws: ``RecordError`` SR017 when the file is missing, not a regular file,
    ///   unreadable or over the limit.
    public static func read(_ path: String, sizeLimit: Int = Record.defaultSizeLimit) throws(RecordError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            throw RecordError(.sr017Unreadable, file: path, reason: "cannot open: \(errnoText())")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw RecordError(.sr017Unreadable, file: path, reason: "cannot stat: \(errnoText())")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw RecordError(.sr017Unreadable, file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size <= sizeLimit else {
            throw RecordError(
                .sr017Unreadable, file: path,
                reason: "file is \(size) bytes, over the size limit of \(sizeLimit) bytes; not read")
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var total = 0
        let failure: Int32? = bytes.withUnsafeMutableBytes { buf in
            while total < size {
                let n = Glibc.read(fd, buf.baseAddress! + total, size - total)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { break }
                total += n
            }
            return nil
        }
        if let failure {
            throw RecordError(
                .sr017Unreadable, file: path, reason: "read failed: \(String(cString: strerror(failure)))")
        }
        if total < size { bytes.removeLast(size - total) }
        // The file may have grown since fstat: never read past the limit.
        var probe: UInt8 = 0
        if total == size, Glibc.read(fd, &probe, 1) == 1 {
            throw RecordError(.sr017Unreadable, file: path, reason: "file grew while being read")
        }
        return bytes
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
