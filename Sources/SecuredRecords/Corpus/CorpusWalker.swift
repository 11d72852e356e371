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
///
/// Entries that match the pattern but are not regular files (a FIFO, a socket, a device)
/// are listed too: reading one reports SR017 without opening it.
public struct CorpusWalker: Sendable {
    /// The result of a walk.
    public struct Result: Sendable {
        /// Record paths, sorted bytewise, without repeats.
        public var files: [String]
        /// Paths named directly that do not exist: a usage error.
        public var missing: [String]
        /// Notes to show: skipped symbolic links.
        public var notes: [Note]
        /// Folders that cannot be listed (SR017).
        public var errors: [RecordError]
        /// Files left out of the walk by a policy below a folder named (``CorpusWalker/narrowing(path:name:policy:root:)``), by
        /// that policy's file: reported where signatures are required.
        public var narrowed: [String: [String]] = [:]
        /// Files a policy below a folder named no longer requires signed while the folder's
        /// own policy does (``relaxing(path:policy:root:)``), by that policy's file.
        public var relaxed: [String: [String]] = [:]
        /// For each of `files`, whether its folder listed it as a regular file (`d_type`), so
        /// reading it needs no `stat` of its path first; empty: not known for any.
        var listedRegular: [Bool] = []
    }

    /// The file-name pattern (`fnmatch`), `*.md` by default.
    public var include: String
    /// Whether signatures are required by the command line: then a policy below a folder
    /// named that leaves out a file the folder's own policy (or the pattern) would select is
    /// reported (``Result/narrowed``), as it is where that policy requires signatures.
    public var signaturesRequired = false
    /// Whether the command line requires records sealed (`--require-secured`).
    public var sealingRequired = false
    /// Folders a walk never descends into (each is mentioned): built output and dependencies.
    public static let skippedFolders: Set<String> = ["node_modules", "vendor", "_site"]

    /// Whether `include` was asked for: then it adds to a policy's `include`, instead of
    /// being the default a policy's `include` replaces.
    public var includeIsExplicit = false
    /// The policies (``Policy``) whose `include` and `exclude` select walked files; `nil`:
    /// no policy applies.
    public var policies: PolicyResolver?
    /// The absolute folder relative paths start from; `nil`: the process's working directory.
    /// Files are read and folders listed from there, while every path found is named as
    /// the paths walked are (relative stays relative).
    public var workingDirectory: String?

    /// - Parameters:
    ///   - include: the file-name pattern.
    ///   - policies: the policies that select walked files, if any.
    ///   - workingDirectory: the absolute folder relative paths start from; by default the
    ///     policies' (``PolicyResolver/workingDirectory``), else the process's.
    public init(include: String = "*.md", policies: PolicyResolver? = nil, workingDirectory: String? = nil) {
        self.include = include
        self.policies = policies
        self.workingDirectory = workingDirectory ?? policies?.workingDirectory
    }

    /// Walks `inputs`.
    ///
    /// - Parameter inputs: files and folders.
    /// - Returns: the files to check, sorted by path bytes.
    public func walk(_ inputs: [String]) -> Result {
        var result = Result(files: [], missing: [], notes: [], errors: [])
        for input in inputs {
            let io = FilePath.resolved(input, in: workingDirectory)
            switch FilePath.status(io).map({ FileKind($0.st_mode) }) {
            case .directory?:
                walkDirectory(input, io: io, root: policies?.policy(for: input, isFolder: true), into: &result)
            case .some:
                _ = policies?.policy(for: input)  // its policy applies to it even when named
                result.files.append(input)
                result.listedRegular.append(false)
            case nil:
                // A dangling link or a path we may not look into exists: reading it says why
                // (SR017). Only a path that is not there at all is a usage error.
                if errno == ENOENT && FilePath.kind(io) == nil {
                    result.missing.append(input)
                } else {
                    result.files.append(input)
                    result.listedRegular.append(false)
                }
            }
        }
        var unique: [String] = []
        var regular: [Bool] = []
        unique.reserveCapacity(result.files.count)
        regular.reserveCapacity(result.files.count)
        for i in FilePath.bytewiseOrder(result.files) {
            let f = result.files[i]
            if unique.last == f {
                regular[regular.count - 1] = regular[regular.count - 1] && result.listedRegular[i]
            } else {
                unique.append(f)
                regular.append(result.listedRegular[i])
            }
        }
        result.files = unique
        result.listedRegular = regular
        result.notes += Self.policyNotes(narrowed: result.narrowed, relaxed: result.relaxed)
        return result
    }

    /// Whether a file name matches the include pattern.
    public func matches(name: String) -> Bool {
        FilePath.withCString(name) { fnmatch(include, $0, 0) == 0 }
    }

    /// Whether a file met in a folder is a record: its policy's `include` (or the pattern)
    /// and `exclude`; an explicit pattern adds to the policy's `include`.
    public func selects(path: String, name: String) -> Bool {
        selects(path: path, name: name, policy: policies?.policy(for: path))
    }

    /// ``selects(path:name:)`` with the file's policy already looked up (once per folder).
    func selects(path: String, name: String, policy: Policy?) -> Bool {
        guard let policy else { return matches(name: name) }
        if includeIsExplicit && matches(name: name) { return !policy.excludes(path) }
        return policy.includes(path) { _ in matches(name: name) }
    }

    /// Walks the folder `dir`, listed at `io` (``FilePath/resolved(_:in:)``).
    private func walkDirectory(_ dir: String, io: String, root: Policy?, into result: inout Result) {
        guard let entries = FilePath.entries(of: io) else {
            result.errors.append(
                RecordError(.sr017Unreadable, file: dir, reason: "cannot list folder: \(RecordFile.errnoText())"))
            return
        }
        // The current folder's entries are named as the rest of a run names paths (`a.md`,
        // not `./a.md`): one path form per run, in every report and annotation.
        let base = dir == "." || dir == "./" ? "" : dir.hasSuffix("/") ? dir : dir + "/"
        let ioBase = io == dir ? base : io.hasSuffix("/") ? io : io + "/"
        let policy = policies?.policy(for: dir, isFolder: true)
        for (name, rawType) in entries where !name.hasPrefix(".") {
            let path = base + name
            var kind: FileKind?
            switch Int32(rawType) {
            case Int32(DT_DIR): kind = .directory
            case Int32(DT_LNK): kind = .symbolicLink
            case Int32(DT_REG): kind = .regular
            case Int32(DT_UNKNOWN): kind = FilePath.kind(ioBase + name)
            default: kind = .other  // a FIFO, a socket, a device
            }
            switch kind {
            case .directory? where Self.skippedFolders.contains(name):
                // Built output and dependencies, never records: a Jekyll `vendor/bundle`,
                // `node_modules/`, a built `_site/`. Named on the command line, they are walked.
                result.notes.append(
                    Note(
                        .folderSkipped, path: path,
                        message: "folder skipped (built output or dependencies: not records; name it to check it)"))
            case .directory?: walkDirectory(path, io: ioBase + name, root: root, into: &result)
            case .symbolicLink?:
                result.notes.append(
                    Note(.symbolicLinkSkipped, path: path, message: "symbolic link skipped (links are not followed)"))
            case nil: break  // gone since it was listed
            default:
                if selects(path: path, name: name, policy: policy) {
                    result.files.append(path)
                    result.listedRegular.append(Int32(rawType) == Int32(DT_REG))
                    if relaxing(path: path, policy: policy, root: root) {
                        result.relaxed[policy!.file, default: []].append(path)
                    }
                } else if narrowing(path: path, name: name, policy: policy, root: root) {
                    result.narrowed[policy!.file, default: []].append(path)
                }
            }
        }
    }
}
