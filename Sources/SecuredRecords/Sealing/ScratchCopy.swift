#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A decrypted copy for an editor (`secured edit`): a file of mode 0600 in a fresh private
/// folder (mode 0700) under `$TMPDIR` (or `/tmp`), overwritten with zeros and removed by
/// ``remove()`` — also when the value is released — so the plaintext does not outlive the edit.
///
/// - Note: Overwriting is best effort: a copy-on-write or journaling file system may keep old
///   blocks. Point `TMPDIR` at a memory-backed folder (`/dev/shm`, say) to keep it off disk.
package final class ScratchCopy {
    /// The file to hand to the editor.
    public let path: String
    private let dir: String
    private var removed = false

    /// Writes `content` to a new private file named `name`.
    ///
    /// - Throws: ``RecordError`` `.io` when the folder or the file cannot be made.
    public init(name: String, content: [UInt8]) throws(RecordError) {
        let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(base)/secured-edit-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RecordError(
                .io, file: base, reason: "cannot create a private temporary folder: \(RecordFile.errnoText())")
        }
        dir = String(cString: made)
        path = dir + "/" + name
        do {
            try AtomicFileWriter.create(at: path, with: content, mode: 0o600)
        } catch {
            rmdir(dir)
            throw error
        }
    }

    deinit { remove() }

    /// The file's content now (what the editor saved).
    ///
    /// - Throws: SR017 when it cannot be read (gone, not a regular file, over `sizeLimit`).
    public func read(sizeLimit: Int = Record.defaultSizeLimit) throws(RecordError) -> [UInt8] {
        try RecordFile.read(path, sizeLimit: sizeLimit)
    }

    /// Overwrites the file with zeros, flushes it, removes it and its folder (and anything
    /// else an editor left in the folder, such as a swap file).
    public func remove() {
        guard !removed else { return }
        removed = true
        for entry in FilePath.entries(of: dir) ?? [] {
            let file = dir + "/" + entry.name
            if let info = FilePath.status(file, followLinks: false), FileKind(info.st_mode) == .regular {
                let fd = FilePath.openFile(file, O_WRONLY | O_CLOEXEC | O_NOFOLLOW)
                if fd >= 0 {
                    let zeros = [UInt8](repeating: 0, count: 1 << 16)
                    var left = Int(info.st_size)
                    while left > 0 {
                        let n = write(fd, zeros, min(left, zeros.count))
                        if n <= 0 { break }
                        left -= n
                    }
                    fsync(fd)
                    close(fd)
                }
            }
            FilePath.removeFile(file)
        }
        rmdir(dir)
    }
}
