#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The folder of the last file a worker opened, kept open, so that the next file in the same
/// folder is opened by its name alone (`openat`): the kernel then looks up one name, not every
/// component of the path again. An audit opens its records in path order, folder by folder.
///
/// One per worker thread, never shared. A path whose folder cannot be opened, or that holds
/// an escaped byte or no folder at all, is left to the caller to open whole (`nil`).
package final class OpenFolder {
    /// The folder open: its bytes as paths name it (empty: the working directory itself);
    /// `nil` before the first.
    private var folder: [UInt8]?
    private var fd: Int32 = -1
    /// The absolute folder relative paths start from; `nil`: the process's working directory.
    package let workingDirectory: String?

    /// - Parameter workingDirectory: the absolute folder relative paths start from (their
    ///   folders are opened from there), or `nil` for the process's.
    package init(workingDirectory: String? = nil) { self.workingDirectory = workingDirectory }

    deinit { if fd >= 0 { close(fd) } }

    /// Opens the file at `path` with `flags`, relative to its folder.
    ///
    /// - Returns: what `openat(2)` returned (a descriptor, or -1 with `errno` set), or `nil`
    ///   when the caller should open the whole path itself.
    package func openFile(_ path: String, _ flags: Int32) -> Int32? {
        path.withCString { (cPath: UnsafePointer<CChar>) -> Int32? in
            let length = strlen(cPath)
            let bytes = UnsafeRawPointer(cPath).assumingMemoryBound(to: UInt8.self)
            // An escaped byte (U+10FExx, lead byte 0xF4) means the path's bytes are not its UTF-8.
            guard length > 0, memchr(bytes, 0xF4, length) == nil else { return nil }
            var slash = length - 1
            while slash > 0 && bytes[slash] != 0x2F { slash -= 1 }
            // A bare name lies in the working directory: opened from it when it is known.
            let bare = bytes[slash] != 0x2F
            guard bare ? workingDirectory != nil : slash > 0 && slash + 1 < length else { return nil }
            let count = bare ? 0 : slash
            if !(folder?.count == count && memcmp(folder!, bytes, count) == 0) {
                if fd >= 0 { close(fd) }
                let named = Array(UnsafeBufferPointer(start: bytes, count: count))
                fd = open(folder: named)
                folder = fd >= 0 ? named : nil
            }
            guard fd >= 0 else { return nil }
            return openat(fd, cPath + (bare ? 0 : slash + 1), flags)
        }
    }

    /// Opens the folder that paths name `named`, from the working directory.
    private func open(folder named: [UInt8]) -> Int32 {
        let path = FilePath.resolved(FilePath.decode(named), in: workingDirectory)
        return FilePath.openFile(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    }
}
