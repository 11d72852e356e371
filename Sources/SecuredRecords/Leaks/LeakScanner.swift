import Dispatch
import SecuredCrypto
import Synchronization

/// Searches texts for runs of the corpus's sealed contents: the corpus's own files, the
/// files named, git blobs. Each file is read once, within the size limit; files are searched
/// by ``LeakOptions/jobs`` workers, their findings kept in the order of the files.
struct LeakScanner {
    let corpus: LeakCorpus
    let options: LeakOptions
    private(set) var findings: [RecordError] = []
    var notes: [Note] = []
    private(set) var filesScanned: [String] = []
    private(set) var blobsScanned = 0
    private(set) var bytesScanned = 0
    /// The files searched already, by normalized path.
    private var seen = Set<String>()

    init(corpus: LeakCorpus, options: LeakOptions) {
        self.corpus = corpus
        self.options = options
    }

    /// A file to search: its path, whether its folder listed it as a regular file, and
    /// whether it is a sealed record (its `secured` value is then left out).
    struct Item: Sendable {
        var path: String
        var listedRegular = false
        var sealed = false
    }

    /// What searching one file gave.
    struct FileScan: Sendable {
        var findings: [RecordError] = []
        var bytes = 0
    }

    /// Searches the corpus's own files; a sealed record's minus its `secured` value.
    mutating func scanCorpus() {
        var items: [Item] = []
        for (path, sealed) in corpus.files where seen.insert(LeakBaseline.normalized(path)).inserted {
            items.append(Item(path: path, sealed: sealed))
        }
        scan(items)
    }

    /// Searches every file below `paths` (SR020): hidden entries and symbolic links are
    /// skipped (each link mentioned), a FIFO or a device is never opened (SR017).
    mutating func scanPaths(_ paths: [String]) throws(ConfigurationError) {
        guard !paths.isEmpty else { return }
        let walked = CorpusWalker(include: "*", policies: nil, workingDirectory: options.workingDirectory).walk(paths)
        try CorpusScope.refuseMissing(walked.missing)
        notes += walked.notes
        findings += walked.errors
        var items: [Item] = []
        for (k, path) in walked.files.enumerated() where seen.insert(LeakBaseline.normalized(path)).inserted {
            items.append(Item(path: path, listedRegular: k < walked.listedRegular.count && walked.listedRegular[k]))
        }
        scan(items)
    }

    /// Searches `items`, in parallel when there are several workers and files.
    private mutating func scan(_ items: [Item]) {
        let results: [FileScan]
        let jobs = max(1, min(options.jobs, items.count))
        if jobs == 1 {
            results = items.map { Self.scan($0, corpus: corpus, options: options) }
        } else {
            let slots = Mutex<[FileScan]>(Array(repeating: FileScan(), count: items.count))
            let next = Atomic<Int>(0)
            let (corpus, options) = (corpus, options)
            DispatchQueue.concurrentPerform(iterations: jobs) { _ in
                while true {
                    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard i < items.count else { break }
                    let result = Self.scan(items[i], corpus: corpus, options: options)
                    slots.withLock { $0[i] = result }
                }
            }
            results = slots.withLock { $0 }
        }
        for (item, result) in zip(items, results) {
            filesScanned.append(item.path)
            findings += result.findings
            bytesScanned += result.bytes
        }
    }

    /// Reads and searches one file.
    static func scan(_ item: Item, corpus: LeakCorpus, options: LeakOptions) -> FileScan {
        do {
            let bytes = try RecordFile.read(
                item.path, sizeLimit: options.sizeLimit, listedRegular: item.listedRegular,
                in: options.workingDirectory)
            return search(bytes, item: item, corpus: corpus, options: options)
        } catch {
            return FileScan(findings: [error])
        }
    }

    /// Searches bytes read elsewhere (a staged file) as the file `path` (SR020).
    mutating func scan(_ bytes: [UInt8], path: String, sealed: Bool) {
        let result = Self.search(bytes, item: Item(path: path, sealed: sealed), corpus: corpus, options: options)
        filesScanned.append(path)
        findings += result.findings
        bytesScanned += result.bytes
    }

    /// Searches the bytes of one file.
    static func search(_ bytes: [UInt8], item: Item, corpus: LeakCorpus, options: LeakOptions) -> FileScan {
        var result = FileScan()
        let text: [UInt8]
        switch decompressed(
            item.sealed ? LeakCorpus.withoutBlob(bytes, path: item.path) : bytes, name: item.path, options: options)
        {
        case .success(let decoded): text = decoded
        case .failure(let error):
            result.findings.append(error)
            return result
        }
        result.bytes = text.count
        let found = runs(in: text, name: item.path, corpus: corpus, options: options)
        let fingerprints = LeakBaseline.fingerprints(
            found.map { (corpus.records[Int($0.0.record)], $0.0.firstWindow, $0.0.words) }, file: item.path)
        for ((run, line), fingerprint) in zip(found, fingerprints) {
            let record = corpus.records[Int(run.record)]
            var finding = RecordError(
                .sr020LeakInFile, file: item.path, line: line,
                reason:
                    "a run of \(run.words) words of the sealed record \(FilePath.display(record)) (the words are not shown)"
            )
            finding.leak = LeakSource(record: record, words: run.words, fingerprint: fingerprint)
            result.findings.append(finding)
        }
        return result
    }

    /// The bytes, gunzipped when they are gzip data; SR017 when that fails.
    static func decompressed(_ bytes: [UInt8], name: String, options: LeakOptions) -> Result<[UInt8], RecordError> {
        guard Gzip.isGzip(bytes) else { return .success(bytes) }
        do {
            return .success(try Gzip.decompress(bytes, limit: options.sizeLimit))
        } catch .overLimit {
            return .failure(
                RecordError(
                    .sr017Unreadable, file: name,
                    reason:
                        "gzip data decompresses to more than the size limit of \(options.sizeLimit) bytes; not searched",
                    remedy: .raiseSizeLimit))
        } catch {
            guard case .damaged(let why) = error else { return .success([]) }
            return .failure(
                RecordError(.sr017Unreadable, file: name, reason: "gzip data that cannot be decompressed (\(why))"))
        }
    }

    /// The runs of sealed words in `bytes`, each with the line of its first word, in order.
    /// `name`: the file's name, which tells how it is read (``LeakText/Kind``); `nil` for a
    /// git blob, read by its first bytes.
    static func runs(in bytes: [UInt8], name: String?, corpus: LeakCorpus, options: LeakOptions) -> [(LeakRun, Int)] {
        guard corpus.index.count > 0 else { return [] }
        let kind = LeakText.Kind(name: name, bytes: bytes)
        let text = bytes.withUnsafeBufferPointer { LeakText($0, kind: kind) }
        var main = LeakMatcher(index: corpus.index, minimumWords: options.minimumWords)
        var attributes = LeakMatcher(index: corpus.index, minimumWords: options.minimumWords)
        // Read as the sealed text is read: a Markdown link's destination `](…)` is left out
        // (a copy of the Markdown, in a `.md`, a `.txt` or a JSON string, keeps it).
        LeakWords.split(text, markdown: true, main: &main, attributes: &attributes)
        return (main.runs + attributes.runs).map { ($0, text.line(at: $0.start)) }.sorted { $0.1 < $1.1 }
    }

    /// Records SR021 findings for the runs of one git blob.
    mutating func scanBlob(_ id: String, _ bytes: [UInt8], locate: (String) -> (path: String?, commit: String?)) {
        blobsScanned += 1
        let text: [UInt8]
        switch Self.decompressed(bytes, name: "git blob \(id)", options: options) {
        case .success(let decoded): text = decoded
        case .failure(let error):
            findings.append(error)
            return
        }
        bytesScanned += text.count
        let found = Self.runs(in: text, name: nil, corpus: corpus, options: options)
        guard !found.isEmpty else { return }
        let (path, commit) = locate(id)
        let fingerprints = LeakBaseline.fingerprints(
            found.map { (corpus.records[Int($0.0.record)], $0.0.firstWindow, $0.0.words) }, file: id)
        for ((run, line), fingerprint) in zip(found, fingerprints) {
            let record = corpus.records[Int(run.record)]
            var place = "git blob \(id)"
            if let path { place += ", \(FilePath.display(path))" }
            if let commit { place += ", commit \(commit)" }
            var finding = RecordError(
                .sr021LeakInHistory, file: path ?? "git blob \(id)", line: line,
                reason:
                    "\(place) holds a run of \(run.words) words of the sealed record \(FilePath.display(record)) (the words are not shown); history cannot be unsealed"
            )
            finding.leak = LeakSource(
                record: record, words: run.words,
                fingerprint: fingerprint, blob: id, commit: commit)
            findings.append(finding)
        }
    }
}
