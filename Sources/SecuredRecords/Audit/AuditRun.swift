import Synchronization

/// The result of an audit, or of any check that reports findings (`verify`, `manifest
/// check`): totals in memory, per-record findings in a temporary file, so memory does not
/// grow with the number of findings.
///
/// It fails closed: if findings could not be kept or read back, ``ioFailure`` says why and
/// ``hasErrors`` is true, so no broken record is ever counted as passed silently.
///
/// ```swift
/// let run = Auditor(keys: ring).audit(paths: ["content/"])
/// run.forEachFinding { print($0) }      // sorted by path, then line
/// print(run.recordsPassed, "of", run.recordsChecked)
/// ```
public final class AuditRun: Sendable {
    /// The records checked, sorted by path.
    public let files: [String]
    /// Notes: skipped links, shard coverage, an unchecked manifest signature.
    public let notes: [Note]
    /// Paths named that do not exist (a usage error for the caller to report).
    public let missing: [String]
    /// Whether corpus-wide checks (SR014, SR015) saw only one shard of the corpus.
    public let corpusChecksCoverShardOnly: Bool
    /// The run's corpus-wide facts, when ``AuditOptions/buildsIndex`` asked for them.
    public let index: AuditIndex?
    /// Records with no finding of severity error.
    public let recordsPassed: Int
    /// Findings of severity error.
    public let errorCount: Int
    /// Findings of severity warning.
    public let warningCount: Int
    /// Number of findings with each code.
    public let countsByCode: [String: Int]
    /// Number of records checked.
    public var recordsChecked: Int { files.count }

    /// Findings of severity error about paths that are not records of the run (the manifest,
    /// a folder that cannot be listed): why a run whose records all passed can still fail.
    public var errorsOutsideRecords: Int {
        let records = Set(files)
        return others.filter { $0.severity == .error && !records.contains($0.file) }.count
    }
    /// How many front matters the one-pass YAML check decided, and how many libyaml did.
    public internal(set) var yamlChecks: (onePass: Int, libyaml: Int) {
        get { yamlCounts.withLock { $0 } }
        set { yamlCounts.withLock { $0 = newValue } }  // internal: only the auditor sets it
    }
    private let yamlCounts = Mutex<(onePass: Int, libyaml: Int)>((0, 0))

    private let spool: FindingSpool
    /// Corpus-wide findings (SR014, SR015) with their record's index, sorted.
    private let corpus: [(file: Int, finding: RecordError)]
    /// Findings about paths that are not (only) records: inputs, the manifest; sorted.
    private let others: [RecordError]

    init(
        files: [String], spool: FindingSpool, corpus: [(file: Int, finding: RecordError)], others: [RecordError],
        notes: [Note], missing: [String], shardOnly: Bool, index: AuditIndex? = nil
    ) {
        self.index = index
        self.files = files
        self.spool = spool
        self.corpus = corpus
        self.others = others
        self.notes = notes
        self.missing = missing
        corpusChecksCoverShardOnly = shardOnly
        var passed = 0
        var errors = 0
        var warnings = 0
        var counts: [String: Int] = [:]
        Self.walk(files: files, spool: spool, corpus: corpus, others: others) { _, isRecord, findings in
            var failed = false
            for finding in findings {
                counts[finding.code.rawValue, default: 0] += 1
                if finding.severity == .error {
                    errors += 1
                    failed = true
                } else {
                    warnings += 1
                }
            }
            if isRecord && !failed { passed += 1 }
        }
        recordsPassed = passed
        errorCount = errors
        warningCount = warnings
        countsByCode = counts
    }

    /// A result holding `findings` about no record (a manifest check, say).
    public convenience init(findings: [RecordError], notes: [Note]) {
        self.init(
            files: [], spool: FindingSpool(), corpus: [], others: findings.sorted(by: RecordError.reportOrder),
            notes: notes, missing: [], shardOnly: false)
    }

    /// A result for a command that checks records one by one (verify): every one of `records`
    /// is a case, with the findings about it (none when it passed); findings about other paths
    /// are kept apart.
    public convenience init(records: [String], findings: [RecordError], notes: [Note]) {
        var unique: [String] = []
        var seen = Set<String>()
        for file in records.sorted(by: FilePath.precedes) where seen.insert(file).inserted { unique.append(file) }
        var byFile = Dictionary(grouping: findings, by: \.file)
        let spool = FindingSpool()
        for (index, file) in unique.enumerated() {
            if let list = byFile.removeValue(forKey: file) {
                spool.append(list.sorted(by: RecordError.reportOrder), fileIndex: index)
            }
        }
        self.init(
            files: unique, spool: spool, corpus: [],
            others: byFile.values.flatMap { $0 }.sorted(by: RecordError.reportOrder), notes: notes, missing: [],
            shardOnly: false)
    }

    /// Why findings could not be kept or read back, if that happened: the run then fails.
    public var ioFailure: String? { spool.failure }

    /// Whether the run fails (exit status 1): a finding of severity error, or lost findings.
    public var hasErrors: Bool { errorCount > 0 || ioFailure != nil }

    /// Every finding, in report order, collected in memory (for small runs and tests).
    public var findings: [RecordError] {
        var all: [RecordError] = []
        forEachFinding { all.append($0) }
        return all
    }

    /// Every finding, in report order.
    public func forEachFinding<E: Error>(_ body: (RecordError) throws(E) -> Void) throws(E) {
        try forEachPath { (_, _, findings) throws(E) in for finding in findings { try body(finding) } }
    }

    /// Calls `body` for every record checked (with its findings, possibly none) and every
    /// other path with findings (a manifest, a folder that cannot be listed), sorted by
    /// path; each path's findings sorted by line, then code.
    public func forEachPath<E: Error>(
        _ body: (_ path: String, _ isRecord: Bool, _ findings: [RecordError]) throws(E) -> Void
    ) throws(E) {
        try Self.walk(files: files, spool: spool, corpus: corpus, others: others, body)
    }

    private static func walk<E: Error>(
        files: [String], spool: FindingSpool, corpus: [(file: Int, finding: RecordError)], others: [RecordError],
        _ body: (String, Bool, [RecordError]) throws(E) -> Void
    ) throws(E) {
        var reader = spool.reader()
        var next = reader.next(files: files)
        var c = 0
        var o = 0
        func emitOthers(before path: String?) throws(E) {
            while o < others.count, path == nil || FilePath.precedes(others[o].file, path!) {
                let file = others[o].file
                var group: [RecordError] = []
                while o < others.count && others[o].file == file {
                    group.append(others[o])
                    o += 1
                }
                try body(file, false, group)
            }
        }
        for (index, path) in files.enumerated() {
            try emitOthers(before: path)
            var group: [RecordError] = []
            while let (fileIndex, finding) = next, fileIndex == index {
                group.append(finding)
                next = reader.next(files: files)
            }
            while c < corpus.count && corpus[c].file == index {
                group.append(corpus[c].finding)
                c += 1
            }
            while o < others.count && others[o].file == path {
                group.append(others[o])
                o += 1
            }
            group.sort(by: RecordError.reportOrder)
            try body(path, true, group)
        }
        try emitOthers(before: nil)
        if reader.read != spool.count {
            spool.fail("findings were lost: \(spool.count) recorded, \(reader.read) read back")
        }
    }
}
