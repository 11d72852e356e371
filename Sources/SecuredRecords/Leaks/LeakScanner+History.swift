import SecuredCrypto

extension LeakScanner {
    /// Searches every blob of the git object database of `repository`, reachable or not
    /// (`git cat-file --batch-all-objects --batch`, streamed), for SR021; for a blob with
    /// findings, asks git for a commit and path that hold it.
    ///
    /// - Throws: ``ConfigurationError`` when git cannot list the objects (no repository).
    mutating func scanHistory(repository: String) throws(ConfigurationError) {
        var parser = CatFileBatch(limit: options.sizeLimit)
        let arguments = ["git", "-C", repository, "cat-file", "--batch-all-objects", "--batch", "--unordered"]
        var lookups = 0  // each walks the whole history: the first blobs only
        let status = Subprocess.stream(arguments) { chunk in
            parser.feed(chunk) { id, bytes in
                scanBlob(id, bytes) { blob in
                    lookups += 1
                    return lookups <= Self.locateLimit ? Self.locate(blob, in: repository) : (nil, nil)
                }
            }
        }
        switch status {
        case .failure(let failure):
            throw ConfigurationError(.notAGitRepository, "cannot run git: \(failure.reason)", remedy: .searchHistory)
        case .success(let code) where code != 0:
            throw ConfigurationError(
                .notAGitRepository,
                "'git cat-file --batch-all-objects' failed in \(FilePath.display(repository)) (is it a git repository?)",
                remedy: .searchHistory)
        case .success: break
        }
        if lookups > Self.locateLimit {
            notes.append(
                Note(
                    .leakHistoryPartial,
                    message:
                        "\(lookups) git blobs hold leaks; a path and commit were looked up for the first \(Self.locateLimit) only (git log --all --find-object=ID names the others)"
                ))
        }
        if parser.tooLarge > 0 {
            notes.append(
                Note(
                    .leakHistoryPartial,
                    message:
                        "\(parser.tooLarge.counted("git blob")) over the size limit of \(options.sizeLimit) bytes \(parser.tooLarge == 1 ? "was" : "were") not searched",
                    remedy: .raiseSizeLimit))
        }
    }

    /// How many blobs with findings get a path and commit looked up.
    static let locateLimit = 50

    /// A commit holding blob `id` and its path there, where git can tell: the newest commit
    /// whose change leaves the blob at a path (`git log --all --find-object --raw`, asked only
    /// for blobs with findings).
    static func locate(_ id: String, in repository: String) -> (path: String?, commit: String?) {
        let arguments = [
            "git", "-C", repository, "-c", "core.quotePath=false", "log", "--all", "--find-object=\(id)",
            "--format=commit %H", "--raw",
            "--no-abbrev", "--no-renames",
        ]
        guard case .success(let result) = Subprocess.run(arguments, captureOutput: true), result.status == 0 else {
            return (nil, nil)
        }
        var commit: String?
        var anyPath: String?
        for line in String(decoding: result.output, as: UTF8.self).split(separator: "\n") {
            if line.hasPrefix("commit ") {
                commit = String(line.dropFirst(7))
                continue
            }
            // :<old mode> <new mode> <old id> <new id> <status>\t<path>
            guard line.hasPrefix(":"), let tab = line.firstIndex(of: "\t") else { continue }
            let fields = line[..<tab].split(separator: " ")
            let path = String(line[line.index(after: tab)...])
            if fields.count >= 4 && fields[3] == id { return (path, commit) }
            anyPath = anyPath ?? path
        }
        return (anyPath, nil)
    }
}

/// Reads the output of `git cat-file --batch`: `<id> <type> <size>\n<content>\n` for each
/// object, handing over each blob within the size limit; it never holds more than one.
struct CatFileBatch {
    let limit: Int
    /// Blobs over the limit, skipped.
    private(set) var tooLarge = 0
    private var header: [UInt8] = []
    private var content: [UInt8] = []
    private var id = ""
    private var keep = false
    private var remaining = 0
    /// Reading content (`remaining` bytes, then its newline) rather than a header.
    private var inContent = false

    init(limit: Int) { self.limit = limit }

    mutating func feed(_ chunk: UnsafeRawBufferPointer, _ blob: (String, [UInt8]) -> Void) {
        var i = 0
        while i < chunk.count {
            if !inContent {
                let b = chunk[i]
                i += 1
                if b == 0x0A { startObject() } else { header.append(b) }
                continue
            }
            let take = min(remaining, chunk.count - i)
            if keep { content += chunk[i..<(i + take)] }
            remaining -= take
            i += take
            if remaining == 0 && i < chunk.count {
                i += 1  // the newline after the content
                inContent = false
                if keep { blob(id, content) }
                content.removeAll(keepingCapacity: true)
            }
        }
    }

    private mutating func startObject() {
        let fields = String(decoding: header, as: UTF8.self).split(separator: " ")
        header.removeAll(keepingCapacity: true)
        guard fields.count == 3, let size = Int(fields[2]) else { return }  // "<id> missing"
        id = String(fields[0])
        keep = fields[1] == "blob" && size <= limit
        if fields[1] == "blob" && size > limit { tooLarge += 1 }
        remaining = size
        inContent = true
    }
}
