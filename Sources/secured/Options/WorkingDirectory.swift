import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's working directory, read here and passed to the library (which never reads
/// it): where relative paths start from.
enum WorkingDirectory {
    /// The working directory now. When it cannot be known (``check()`` refuses those cases
    /// before a command runs), `.`: relative paths then stay relative and the system resolves
    /// them; they never start from `/`. Commands that enter the repository root read it after
    /// doing so.
    static var current: String {
        switch read() {
        case .path(let path) where path.utf8.count < Int(PATH_MAX): path
        default: "."
        }
    }

    /// Refuses to run where relative paths cannot be resolved by the working directory's path:
    /// a folder deleted (or moved away) after the shell entered it, or one whose path is too
    /// long for the system to open files by.
    ///
    /// - Throws: ``ConfigurationError`` (exit 2) saying which, and what to do.
    static func check() throws(ConfigurationError) {
        switch read() {
        case .path(let path) where path.utf8.count < Int(PATH_MAX):
            return
        case .path(let path):
            throw ConfigurationError(
                .unreadable,
                "the working folder's path is \(path.utf8.count) bytes, over the system's limit of \(PATH_MAX - 1) for opening files by path; run secured from a folder higher up, with paths relative to it"
            )
        case .failed(let code) where code == ENOENT:
            throw ConfigurationError(
                .notFound,
                "the working folder no longer exists (it was deleted or moved after the shell entered it); cd to a folder that exists and run secured again"
            )
        case .failed(let code):
            throw ConfigurationError(
                .unreadable,
                "the working folder cannot be read (\(String(cString: strerror(code)))); cd to another folder and run secured again"
            )
        }
    }

    /// What `getcwd` gave: the path, or why not (`errno`).
    private enum Reading {
        case path(String)
        case failed(Int32)
    }

    /// `getcwd`, with a buffer that grows for paths longer than `PATH_MAX`.
    private static func read() -> Reading {
        var size = 4096
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            if getcwd(&buffer, buffer.count) != nil {
                return .path(FilePath.decode(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }))
            }
            guard errno == ERANGE else { return .failed(errno) }
            size *= 4
        }
        return .failed(ENAMETOOLONG)
    }
}
