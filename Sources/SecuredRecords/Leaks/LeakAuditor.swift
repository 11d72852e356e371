import SecuredCrypto

/// What a leak audit is asked to do.
public struct LeakOptions: Sendable {
    /// The largest file read (and gzip data decompressed), in bytes.
    public var sizeLimit = Record.defaultSizeLimit
    /// The shortest run reported, in words: 12. SPEC 1.3 section 10 requires every run of 16
    /// words or more and forbids any of fewer than 8; 12 reports no shared boilerplate phrase
    /// of a sentence or so, and keeps a margin of 4 below the required 16.
    public var minimumWords = 12
    /// Also search every blob of the git object database (SR021).
    public var history = false
    /// Accepted findings, not reported.
    public var baseline: LeakBaseline?
    /// Worker threads searching files.
    public var jobs = 2
    /// The run's policies: an unsealed record one of them requires sealed (`require-secured`)
    /// is not public text (it is plaintext only until it is sealed).
    public var policies: PolicyResolver?
    /// The absolute folder relative paths (the corpus's records, the paths searched) start
    /// from; `nil`: the process's working directory. Findings name them as given.
    public var workingDirectory: String?

    /// The defaults.
    public init() {}
}

/// The result of a leak audit.
public struct LeakReport: Sendable {
    /// Findings (SR020, SR021, and SR017 for files that could not be read), in report order.
    public var findings: [RecordError] = []
    /// Notes: links skipped, records not opened, baseline entries that matched nothing.
    public var notes: [Note] = []
    /// Sealed records whose content was searched for.
    public var recordsOpened = 0
    /// Unsealed records (public text).
    public var recordsPublic = 0
    /// The files searched (the corpus's included), in the order searched.
    public var filesScanned: [String] = []
    /// Git blobs searched.
    public var blobsScanned = 0
    /// Bytes searched, after decompression.
    public var bytesScanned = 0
    /// Every leak's fingerprint, those of the baseline included (for `--write-baseline`).
    public var fingerprints: [String] = []
    /// Findings left out because the baseline lists them.
    public var baselined = 0
}

/// The leak audit (SPEC 1.3 section 10): decrypts every sealed record of a corpus and
/// searches the corpus's own files, the files and folders named, and with
/// ``LeakOptions/history`` every git blob, for runs of the sealed contents' words.
///
/// ```swift
/// let report = try LeakAuditor(keys: ring, options: LeakOptions())
///     .run(corpus: scope.walk(["."]), paths: ["_site"])
/// ```
public struct LeakAuditor: Sendable {
    /// The keys that open the sealed records (a read-only key is enough).
    public let keys: KeyRing
    /// The options.
    public var options: LeakOptions

    /// An auditor.
    public init(keys: KeyRing, options: LeakOptions) {
        self.keys = keys
        self.options = options
    }

    /// Runs the audit.
    ///
    /// - Parameters:
    ///   - corpus: the records, walked as an audit walks them.
    ///   - paths: files and folders to search (every file, hidden entries and links skipped).
    ///   - repository: a folder of the git repository searched with ``LeakOptions/history``.
    /// - Returns: the report.
    /// - Throws: ``ConfigurationError`` when sealed records exist and no key given opens any,
    ///   or a path named does not exist, or git cannot list its objects.
    public func run(corpus: CorpusWalker.Result, paths: [String], repository: String = ".") throws(ConfigurationError)
        -> LeakReport
    {
        var report = LeakReport()
        let loaded = LeakCorpus(
            walked: corpus, keys: keys, sizeLimit: options.sizeLimit, policies: options.policies,
            workingDirectory: options.workingDirectory)
        // A built folder the corpus walk skips (`_site/`) but the search names is searched:
        // its "skipped" note would say the opposite of what happens.
        let searched = paths.map(FilePath.normalized)
        report.notes += corpus.notes.filter { note in
            guard note.kind == .folderSkipped, let path = note.path.map(FilePath.normalized) else { return true }
            return !searched.contains { path == $0 || path.hasPrefix($0 + "/") }
        }
        report.findings += corpus.errors + loaded.errors
        report.recordsOpened = loaded.records.count
        report.recordsPublic = loaded.publicCount
        if loaded.records.isEmpty && !loaded.unopened.isEmpty {
            throw ConfigurationError(
                keys.secretKeyCount == 0 ? .noKey : .unsuitableKeys,
                "\(loaded.unopened.count == 1 ? "the sealed record" : "none of the \(loaded.unopened.count) sealed records") could \(loaded.unopened.count == 1 ? "not " : "")be decrypted with the keys given (\(keys.secretKeyCount == 0 ? "no secret or read-only key was given; " : "")first: \(FilePath.display(loaded.unopened[0])))); a leak audit that cannot read the sealed content cannot pass: give the secret key or read-only key that sealed them",
                remedy: .giveReadKey)
        }
        if !loaded.unopened.isEmpty {
            report.notes.append(
                Note(
                    .leakRecordsNotOpened, path: loaded.unopened[0],
                    message:
                        "\(loaded.unopened.count.counted("sealed record")) could not be decrypted with the keys given and \(loaded.unopened.count == 1 ? "was" : "were") not searched for (this is the first)"
                ))
        }
        if loaded.records.isEmpty {
            report.notes.append(Note(.leakNothingSealed, message: "no sealed record in the corpus: nothing can leak"))
        }
        var scanner = LeakScanner(corpus: loaded, options: options)
        scanner.scanCorpus()
        try scanner.scanPaths(paths)
        if options.history { try scanner.scanHistory(repository: repository) }
        report.findings += scanner.findings
        report.notes += scanner.notes
        report.filesScanned = scanner.filesScanned
        report.blobsScanned = scanner.blobsScanned
        report.bytesScanned = scanner.bytesScanned
        applyBaseline(to: &report)
        report.findings.sort(by: RecordError.reportOrder)
        return report
    }

    /// Leaves out the findings the baseline lists, and notes the entries that match nothing.
    func applyBaseline(to report: inout LeakReport) {
        report.fingerprints = report.findings.compactMap { $0.leak?.fingerprint }
        guard let baseline = options.baseline else { return }
        var matched = Set<String>()
        report.findings.removeAll { finding in
            guard let fingerprint = finding.leak?.fingerprint, baseline.fingerprints.contains(fingerprint) else {
                return false
            }
            matched.insert(fingerprint)
            return true
        }
        report.baselined = report.fingerprints.count - report.findings.filter { $0.leak != nil }.count
        let stale = baseline.fingerprints.subtracting(matched).sorted()
        if !stale.isEmpty {
            report.notes.append(
                Note(
                    .leakBaselineStale,
                    message:
                        "\(stale.count.counted("baseline fingerprint")) \(stale.count == 1 ? "matches" : "match") no finding any more (first: \(stale[0].prefix(16))…): the leak was removed, or it grew or was copied again (a fingerprint holds the run's length and its place among the file's runs alike), or the baseline was written by a secured before fingerprints held them; review the findings, then remove \(stale.count == 1 ? "it" : "them") or write the baseline again",
                    remedy: .writeBaseline))
        }
    }
}
