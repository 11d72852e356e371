/// Searches texts for runs of the corpus's sealed contents: the corpus's own files, the
/// files named, git blobs. Each file is read once, within the size limit.
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

    /// Searches the corpus's own files; a sealed record's minus its `secured` value.
    mutating func scanCorpus() {
        for (path, sealed) in corpus.files {
            guard seen.insert(LeakBaseline.normalized(path)).inserted else { continue }
            guard let bytes = read(path, listedRegular: false) else { continue }
            scanFile(path, sealed ? LeakCorpus.withoutBlob(bytes, path: path) : bytes)
        }
    }

    /// Searches every file below `paths` (SR020): hidden entries and symbolic links are
    /// skipped (each link mentioned), a FIFO or a device is never opened (SR017).
    mutating func scanPaths(_ paths: [String]) throws(ConfigurationError) {
        guard !paths.isEmpty else { return }
        let walked = CorpusWalker(include: "*", policies: nil).walk(paths)
        try CorpusScope.refuseMissing(walked.missing)
        notes += walked.notes
        findings += walked.errors
        for (k, path) in walked.files.enumerated() {
            guard seen.insert(LeakBaseline.normalized(path)).inserted else { continue }
            let listed = k < walked.listedRegular.count && walked.listedRegular[k]
            guard let bytes = read(path, listedRegular: listed) else { continue }
            scanFile(path, bytes)
        }
    }

    /// Reads a file within the size limit, or records why it cannot be read (SR017).
    private mutating func read(_ path: String, listedRegular: Bool) -> [UInt8]? {
        do {
            return try RecordFile.read(path, sizeLimit: options.sizeLimit, listedRegular: listedRegular)
        } catch {
            findings.append(error)
            return nil
        }
    }

    private mutating func scanFile(_ path: String, _ bytes: [UInt8]) {
        filesScanned.append(path)
        guard let text = decompressed(bytes, name: path) else { return }
        for (run, line) in runs(in: text) {
            let record = corpus.records[Int(run.record)]
            let source = LeakSource(
                record: record, words: run.words,
                fingerprint: LeakBaseline.fingerprint(record: record, file: path, window: run.firstWindow))
            var finding = RecordError(
                .sr020LeakInFile, file: path, line: line,
                reason:
                    "a run of \(run.words) words of the sealed record \(FilePath.display(record)) (the words are not shown)"
            )
            finding.leak = source
            findings.append(finding)
        }
    }

    /// The bytes, gunzipped when they are gzip data; `nil` (with SR017) when that fails.
    mutating func decompressed(_ bytes: [UInt8], name: String) -> [UInt8]? {
        guard Gzip.isGzip(bytes) else {
            bytesScanned += bytes.count
            return bytes
        }
        do {
            let inflated = try Gzip.decompress(bytes, limit: options.sizeLimit)
            bytesScanned += inflated.count
            return inflated
        } catch .overLimit {
            findings.append(
                RecordError(
                    .sr017Unreadable, file: name,
                    reason:
                        "gzip data decompresses to more than the size limit of \(options.sizeLimit) bytes; not searched (--size-limit)"
                ))
        } catch {
            guard case .damaged(let why) = error else { return nil }
            findings.append(
                RecordError(.sr017Unreadable, file: name, reason: "gzip data that cannot be decompressed (\(why))"))
        }
        return nil
    }

    /// The runs of sealed words in `bytes`, each with the line of its first word, in order.
    func runs(in bytes: [UInt8]) -> [(LeakRun, Int)] {
        guard corpus.index.count > 0 else { return [] }
        let text = bytes.withUnsafeBufferPointer { LeakText($0) }
        var main = LeakMatcher(index: corpus.index, minimumWords: options.minimumWords)
        var attributes = LeakMatcher(index: corpus.index, minimumWords: options.minimumWords)
        LeakWords.split(text, markdown: false, main: &main, attributes: &attributes)
        return (main.runs + attributes.runs).map { ($0, text.line(at: $0.start)) }.sorted { $0.1 < $1.1 }
    }

    /// Records SR021 findings for the runs of one git blob.
    mutating func scanBlob(_ id: String, _ bytes: [UInt8], locate: (String) -> (path: String?, commit: String?)) {
        blobsScanned += 1
        guard let text = decompressed(bytes, name: "git blob \(id)") else { return }
        let found = runs(in: text)
        guard !found.isEmpty else { return }
        let (path, commit) = locate(id)
        for (run, line) in found {
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
                fingerprint: LeakBaseline.fingerprint(record: record, file: id, window: run.firstWindow), blob: id,
                commit: commit)
            findings.append(finding)
        }
    }
}
