#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds the records of a corpus (SPEC section 8): folders are walked recursively for
/// files whose name matches the include pattern; hidden files and folders are skipped;
/// symbolic links are not followed (each is mentioned); a file named directly is always
/// checked.
public struct CorpusWalker: Sendable {
    /// The result of a walk.
    public struct Result: Sendable {
        /// Record paths, sorted bytewise, without repeats.
        public var files: [String]
        /// Paths named directly (checked whatever their name).
        public var namedFiles: Set<String>
        /// Notes to show: skipped symbolic links.
        public var notes: [String]
        /// Inputs that do not exist or cannot be listed (SR017).
        public var errors: [RecordError]
    }

    /// The file-name pattern (`fnmatch`), `*.md` by default.
    public var include: String

    /// - Parameter include: the file-name pattern.
    public init(include: String = "*.md") { self.include = include }

    /// Walks `inputs`.
    ///
    /// - Parameter inputs: files and folders.
    /// - Returns: the files to check, sorted by path bytes.
    public func walk(_ inputs: [String]) -> Result {
        var files: [String] = []
        var named = Set<String>()
        var notes: [String] = []
        var errors: [RecordError] = []
        for input in inputs {
            var info = stat()
            guard stat(input, &info) == 0 else {
                errors.append(
                    RecordError(.sr017Unreadable, file: input, reason: "cannot open: \(RecordFile.errnoText())"))
                continue
            }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                walkDirectory(input, files: &files, notes: &notes, errors: &errors)
            } else {
                files.append(input)
                named.insert(input)
            }
        }
        files.sort(by: Self.precedes)
        var unique: [String] = []
        unique.reserveCapacity(files.count)
        for f in files where unique.last != f { unique.append(f) }
        return Result(files: unique, namedFiles: named, notes: notes, errors: errors)
    }

    /// Bytewise order of paths (UTF-8, as `sort` in the C locale), the order of every report.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        return a.withUTF8 { pa in
            b.withUTF8 { pb in
                let n = min(pa.count, pb.count)
                let c = n == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, n)
                return c != 0 ? c < 0 : pa.count < pb.count
            }
        }
    }

    /// Whether a file name matches the include pattern.
    public func matches(name: String) -> Bool { fnmatch(include, name, 0) == 0 }

    private func walkDirectory(_ dir: String, files: inout [String], notes: inout [String], errors: inout [RecordError])
    {
        guard let handle = opendir(dir) else {
            errors.append(
                RecordError(.sr017Unreadable, file: dir, reason: "cannot list folder: \(RecordFile.errnoText())"))
            return
        }
        var entries: [(String, UInt8)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }  // hidden, and . and ..
            entries.append((name, entry.pointee.d_type))
        }
        closedir(handle)
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        for (name, rawType) in entries {
            let path = base + name
            var type = rawType
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                switch info.st_mode & S_IFMT {
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFLNK: type = UInt8(DT_LNK)
                case S_IFREG: type = UInt8(DT_REG)
                default: type = UInt8(DT_UNKNOWN)
                }
            }
            switch Int32(type) {
            case Int32(DT_DIR): walkDirectory(path, files: &files, notes: &notes, errors: &errors)
            case Int32(DT_LNK): notes.append("\(path): note: symbolic link skipped (links are not followed)")
            case Int32(DT_REG): if matches(name: name) { files.append(path) }
            default: break
            }
        }
    }
}
