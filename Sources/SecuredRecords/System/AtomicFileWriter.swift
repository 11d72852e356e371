#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way this library changes a file (SPEC section 5, step 7).
///
/// A temporary file is written in the same folder, flushed to disk, given the original's
/// permissions and renamed over the original; then the folder is flushed, so the rename
/// itself is durable. A crash leaves the old file or the new one, never a torn one. On any
/// failure the original is untouched and the temporary file is removed.
///
/// Temporary files are named `.<name>.secured-tmp-XXXXXX`: hidden, so corpus walks skip
/// one left by a killed process, and recognisable, so it can be cleaned up.
package enum AtomicFileWriter {
    /// Points at which a test can make the write fail.
    public enum Stage: Sendable {
        /// The temporary file has been written and flushed; the original is not yet replaced.
        case temporaryWritten
    }

    /// The prefix-independent marker in temporary file names.
    public static let temporaryMarker = ".secured-tmp-"

    /// Replaces the contents of an existing regular file.
    ///
    /// - Parameters:
    ///   - path: the file; a symbolic link is refused, never replaced by a regular file.
    ///   - bytes: the new contents.
    ///   - faultInjection: called at each ``Stage``; throwing there aborts the write (tests).
    /// - Throws: ``RecordError`` with code `.io` (or what `faultInjection` throws); the
    ///   original file is then unchanged.
    public static func replaceContents(
        of path: String, with bytes: [UInt8], faultInjection: ((Stage) throws(RecordError) -> Void)? = nil
    ) throws(RecordError) {
        guard let info = FilePath.status(path, followLinks: false) else {
            throw RecordError(.io, file: path, reason: "cannot stat: \(RecordFile.errnoText())")
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            throw RecordError(
                .refused, file: path, reason: "is a symbolic link; edit the file it points to instead")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw RecordError(.io, file: path, reason: "not a regular file")
        }
        try writeThenRename(
            to: path, bytes: bytes, mode: mode_t(info.st_mode & 0o7777), owner: (info.st_uid, info.st_gid),
            faultInjection: faultInjection)
    }

    /// Creates a new file with `mode`, refusing to overwrite anything already there.
    ///
    /// - Parameters:
    ///   - path: the new file.
    ///   - bytes: its contents.
    ///   - mode: permissions, e.g. `0o600` for key files.
    /// - Throws: ``RecordError`` `.refused` when the path exists, `.io` on failure.
    public static func create(at path: String, with bytes: [UInt8], mode: mode_t) throws(RecordError) {
        if FilePath.kind(path) != nil {
            throw RecordError(.refused, file: path, reason: "already exists; not overwritten")
        }
        // Write under a temporary name, then link(2) it into place: link fails if the
        // name was taken meanwhile, and no reader ever sees a half-written file.
        let (dir, base) = split(path)
        let (fd, temporary) = try makeTemporary(dir: dir, base: base, finalPath: path)
        // The temporary name goes in every case: after link(2) the file lives on as `path`.
        defer { FilePath.removeFile(temporary) }
        try fill(fd, with: bytes, mode: mode, path: path)
        guard FilePath.linkFile(temporary, to: path) else {
            if errno == EEXIST { throw RecordError(.refused, file: path, reason: "already exists; not overwritten") }
            throw ioError(path, "cannot create")
        }
        syncDirectory(dir)
    }

    /// Replaces the file's contents, or creates it (mode 0644) if it does not exist.
    public static func replaceOrCreate(_ path: String, _ bytes: [UInt8]) throws(RecordError) {
        if FilePath.kind(path) == nil {
            try create(at: path, with: bytes, mode: 0o644)
        } else {
            try replaceContents(of: path, with: bytes)
        }
    }

    private static func writeThenRename(
        to path: String, bytes: [UInt8], mode: mode_t, owner: (uid_t, gid_t),
        faultInjection: ((Stage) throws(RecordError) -> Void)?
    ) throws(RecordError) {
        let (dir, base) = split(path)
        let (fd, temporary) = try makeTemporary(dir: dir, base: base, finalPath: path)
        var renamed = false
        defer { if !renamed { FilePath.removeFile(temporary) } }
        // Same owner when we may (root editing another user's file), same mode always.
        _ = fchown(fd, owner.0, owner.1)
        try fill(fd, with: bytes, mode: mode, path: path)
        try faultInjection?(.temporaryWritten)
        guard FilePath.renameFile(temporary, to: path) else {
            throw ioError(path, "cannot rename temporary file over it")
        }
        renamed = true
        syncDirectory(dir)
    }

    /// Sets the mode, writes everything, flushes it to disk and closes `fd` (also on failure).
    private static func fill(_ fd: Int32, with bytes: [UInt8], mode: mode_t, path: String) throws(RecordError) {
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { throw ioError(path, "cannot set permissions on temporary file") }
        try writeAll(fd, bytes, path: path)
        guard fsync(fd) == 0 else { throw ioError(path, "fsync of temporary file failed") }
    }

    private static func split(_ path: String) -> (dir: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    private static func makeTemporary(dir: String, base: String, finalPath: String) throws(RecordError) -> (
        Int32, String
    ) {
        let shortBase = FilePath.decode(FilePath.bytes(base).prefix(100))
        guard let (fd, name) = FilePath.makeTemporary(prefix: "\(dir)/.\(shortBase)\(temporaryMarker)") else {
            throw ioError(finalPath, "cannot create a temporary file in \(FilePath.display(dir))")
        }
        return (fd, name)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(RecordError) {
        let failed = bytes.withUnsafeBytes { buf in
            !SystemCall.writeAll(fd, buf)
        }
        if failed { throw ioError(path, "write failed") }
    }

    private static func syncDirectory(_ dir: String) {
        let fd = FilePath.openFile(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    private static func ioError(_ path: String, _ what: String) -> RecordError {
        RecordError(.io, file: path, reason: "\(what): \(RecordFile.errnoText())")
    }
}
