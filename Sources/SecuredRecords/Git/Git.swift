/// The few git plumbing commands the hooks need, run as `git` processes (no shell): the
/// repository's root, its hooks folder, and the staged version of each added or changed file.
package enum Git {
    /// A file as the index holds it (its bytes are read by ``stagedBytes(_:sizeLimit:)``).
    package struct StagedFile: Sendable {
        /// The path, relative to the repository root.
        package var path: String
        /// The staged blob's object id.
        package var id: String
    }

    /// Why git could not answer.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var description: String
    }

    /// The repository git runs in (`git -C`), for the current task: the process's working
    /// directory when `nil`, as the command line has it (it moves to the work tree's root
    /// first). A caller that cannot move there — a test, several repositories at once —
    /// binds it for a block: `Git.$repository.withValue(root) { … }`.
    @TaskLocal package static var repository: String?

    /// The command line that runs `git` with `arguments` in ``repository``.
    package static func command(_ arguments: [String]) -> [String] {
        ["git"] + (repository.map { ["-C", $0] } ?? []) + arguments
    }

    /// Runs `git` with `arguments`; its standard output, or ``Failure`` naming the command
    /// when it cannot start or exits non-zero (other than with a status in `allowing`: `git
    /// grep` exits 1 when nothing matches). Its standard error passes through.
    package static func run(_ arguments: [String], allowing: Set<Int32> = []) throws(Failure) -> [UInt8] {
        switch Subprocess.run(command(arguments), captureOutput: true) {
        case .failure(let failure):
            throw Failure(description: "cannot run git: \(failure.reason)")
        case .success(let result) where result.status != 0 && !allowing.contains(Int32(result.status)):
            throw Failure(description: "'git \(arguments.joined(separator: " "))' failed")
        case .success(let result):
            return result.output
        }
    }

    /// `git rev-parse --show-toplevel`: the work tree's root.
    package static func topLevel() throws(Failure) -> String {
        try line(run(["rev-parse", "--show-toplevel"]))
    }

    /// Where git looks for hooks (`core.hooksPath` included), relative to the current folder
    /// or absolute.
    package static func hooksDirectory() throws(Failure) -> String {
        try line(run(["rev-parse", "--git-path", "hooks"]))
    }

    /// The files the next commit adds or changes, as staged (deleted files, symbolic links and
    /// submodules left out), sorted by path. Run from the repository's root.
    package static func stagedFiles() throws(Failure) -> [StagedFile] {
        // ":<old mode> <new mode> <old id> <new id> <status>\0<path>\0" per file.
        let raw = try run(["diff", "--cached", "--raw", "-z", "--no-renames", "--no-abbrev", "--diff-filter=ACMT"])
        var fields = raw.split(separator: 0, omittingEmptySubsequences: false)[...]
        var files: [StagedFile] = []
        while let header = fields.first, !header.isEmpty {
            fields = fields.dropFirst()
            guard let pathBytes = fields.first else { break }
            fields = fields.dropFirst()
            let parts = header.split(separator: 0x20)
            guard parts.count >= 4 else { throw Failure(description: "unexpected output from git diff --raw") }
            let mode = String(decoding: parts[1], as: UTF8.self)
            guard mode.hasPrefix("100") else { continue }  // links (120000) and submodules (160000)
            files.append(StagedFile(path: FilePath.decode(pathBytes), id: String(decoding: parts[3], as: UTF8.self)))
        }
        return files.sorted { FilePath.precedes($0.path, $1.path) }
    }

    /// The staged bytes of `file`, as `RecordFile.read(_:sizeLimit:)` reads a file: one
    /// over `sizeLimit` is SR017 and is not read.
    package static func stagedBytes(_ file: StagedFile, sizeLimit: Int) throws(RecordError) -> [UInt8] {
        do {
            let sizeText = try line(run(["cat-file", "-s", file.id]))
            guard let size = Int(sizeText) else {
                throw Failure(description: "unexpected output from git cat-file -s")
            }
            if size > sizeLimit { throw RecordFile.overLimit(file.path, size: size, sizeLimit: sizeLimit) }
            return try run(["cat-file", "blob", file.id])
        } catch let error as RecordError {
            throw error
        } catch {
            throw RecordError(.sr017Unreadable, file: file.path, reason: "cannot read the staged version: \(error)")
        }
    }

    /// The blob ids of `paths` (relative to the repository root) as `HEAD` holds them; a path
    /// `HEAD` does not hold, or every path before the first commit, is left out. Run from the
    /// repository's root.
    package static func committedFiles(_ paths: [String]) throws(Failure) -> [String: String] {
        guard !paths.isEmpty, (try? run(["rev-parse", "--verify", "--quiet", "HEAD"])) != nil else { return [:] }
        let wanted = Set(paths)
        var out: [String: String] = [:]
        var start = 0
        while start < paths.count {
            let chunk = Array(paths[start..<min(start + 500, paths.count)])
            start += 500
            // "<mode> blob <id>\t<path>\0" per file.
            for entry in try run(["ls-tree", "-r", "-z", "--full-tree", "HEAD", "--"] + chunk).split(separator: 0) {
                guard let tab = entry.firstIndex(of: 0x09) else { continue }
                let parts = entry[..<tab].split(separator: 0x20)
                let path = FilePath.decode(entry[(tab + 1)...])
                guard parts.count == 3, parts[1].elementsEqual("blob".utf8), wanted.contains(path) else { continue }
                out[path] = String(decoding: parts[2], as: UTF8.self)
            }
        }
        return out
    }

    private static func line(_ bytes: [UInt8]) throws(Failure) -> String {
        var bytes = bytes[...]
        while bytes.last == 0x0A || bytes.last == 0x0D { bytes = bytes.dropLast() }
        guard !bytes.isEmpty else { throw Failure(description: "git gave no answer") }
        return FilePath.decode(bytes)
    }
}
