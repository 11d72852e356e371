#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What an audit found, as reporters read it: totals first, then every path in report order.
public protocol AuditResults {
    /// Number of records checked.
    var recordsChecked: Int { get }
    /// Records with no finding of severity error.
    var recordsPassed: Int { get }
    /// Findings of severity error.
    var errorCount: Int { get }
    /// Findings of severity warning.
    var warningCount: Int { get }
    /// Number of findings with each code.
    var countsByCode: [String: Int] { get }
    /// Notes (skipped links, shard coverage, manifest).
    var notes: [String] { get }
    /// Whether corpus-wide checks (SR014, SR015) saw only one shard of the corpus.
    var corpusChecksCoverShardOnly: Bool { get }

    /// Calls `body` for every record checked (with its findings, possibly none) and every
    /// other path with findings (a manifest, a missing file), sorted by path; each path's
    /// findings sorted by line, then code.
    func forEachPath(_ body: (_ path: String, _ isRecord: Bool, _ findings: [RecordError]) throws -> Void) rethrows
}

extension AuditResults {
    /// Whether any finding is an error (exit status 1).
    public var hasErrors: Bool { errorCount > 0 }

    /// Every finding, in report order.
    public func forEachFinding(_ body: (RecordError) throws -> Void) rethrows {
        try forEachPath { _, _, findings in for finding in findings { try body(finding) } }
    }
}

extension AuditReport: AuditResults {
    public var errorCount: Int { findings.count { $0.severity == .error } }
    public var warningCount: Int { findings.count { $0.severity == .warning } }

    public func forEachPath(_ body: (String, Bool, [RecordError]) throws -> Void) rethrows {
        var f = 0
        var i = 0
        while f < files.count || i < findings.count {
            let path: String
            if f < files.count && (i == findings.count || !CorpusWalker.precedes(findings[i].file, files[f])) {
                path = files[f]
            } else {
                path = findings[i].file
            }
            let isRecord = f < files.count && files[f] == path
            if isRecord { f += 1 }
            var group: [RecordError] = []
            while i < findings.count && findings[i].file == path {
                group.append(findings[i])
                i += 1
            }
            try body(path, isRecord, group)
        }
    }
}

/// The result of a streaming audit: totals in memory, per-record findings in a temporary
/// file, so memory does not grow with the number of findings.
///
/// ```swift
/// let run = Auditor(keys: ring).run(paths: ["content/"])
/// run.forEachFinding { print($0) }      // sorted by path, then line
/// print(run.recordsPassed, "of", run.recordsChecked)
/// ```
public final class AuditRun: AuditResults, @unchecked Sendable {
    // @unchecked Sendable: the spool is read under `lock` only.
    /// The records checked, sorted by path.
    public let files: [String]
    public let notes: [String]
    public let corpusChecksCoverShardOnly: Bool
    public private(set) var recordsPassed = 0
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    public private(set) var countsByCode: [String: Int] = [:]
    public var recordsChecked: Int { files.count }

    private let spool: FindingSpool
    /// Corpus-wide findings (SR014, SR015) with their record's index, sorted.
    private let corpus: [(file: Int, finding: RecordError)]
    /// Findings about paths that are not (only) records: inputs, the manifest; sorted.
    private let others: [RecordError]
    private let lock = PosixMutex()

    init(
        files: [String], spool: FindingSpool, corpus: [(file: Int, finding: RecordError)], others: [RecordError],
        notes: [String], shardOnly: Bool
    ) {
        self.files = files
        self.spool = spool
        self.corpus = corpus
        self.others = others
        self.notes = notes
        corpusChecksCoverShardOnly = shardOnly
        forEachPath { _, isRecord, findings in
            var failed = false
            for finding in findings {
                countsByCode[finding.code.rawValue, default: 0] += 1
                if finding.severity == .error {
                    errorCount += 1
                    failed = true
                } else {
                    warningCount += 1
                }
            }
            if isRecord && !failed { recordsPassed += 1 }
        }
    }

    /// Every finding collected in memory, as an ``AuditReport`` (for small corpora and tests).
    public var report: AuditReport {
        var findings: [RecordError] = []
        forEachFinding { findings.append($0) }
        return AuditReport(
            findings: findings, files: files, recordsPassed: recordsPassed, notes: notes,
            corpusChecksCoverShardOnly: corpusChecksCoverShardOnly)
    }

    public func forEachPath(_ body: (String, Bool, [RecordError]) throws -> Void) rethrows {
        lock.lock()
        defer { lock.unlock() }
        var reader = spool.reader()
        var next = reader.next(files: files)
        var c = 0
        var o = 0
        func emitOthers(before path: String?) throws {
            while o < others.count, path == nil || CorpusWalker.precedes(others[o].file, path!) {
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
            group.sort(by: Auditor.reportOrder)
            try body(path, true, group)
        }
        try emitOthers(before: nil)
    }
}

/// A mutex for the spool reader (SecuredRecords does not use Foundation).
final class PosixMutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func lock() { pthread_mutex_lock(&mutex) }
    func unlock() { pthread_mutex_unlock(&mutex) }
}

/// Per-record findings, appended in file order to an anonymous temporary file (removed by
/// the system when closed, even after a crash) and read back in the same order.
final class FindingSpool: @unchecked Sendable {
    // @unchecked Sendable: written by the audit's coordinating thread only, then read under
    // AuditRun's lock.
    private var file: UnsafeMutablePointer<FILE>?
    private var memory: [UInt8] = []
    private(set) var count = 0

    init() { file = tmpfile() }

    deinit { if let file { fclose(file) } }

    /// Appends the findings of the record at `fileIndex`.
    func append(_ findings: [RecordError], fileIndex: Int) {
        var buffer: [UInt8] = []
        for finding in findings {
            put(&buffer, UInt64(fileIndex))
            put(&buffer, UInt64(bitPattern: Int64(finding.line ?? -1)))
            put(&buffer, finding.code.rawValue)
            put(&buffer, finding.field.map { "+" + $0 } ?? "")
            put(&buffer, finding.reason)
            count += 1
        }
        guard !buffer.isEmpty else { return }
        if let file, fwrite(buffer, 1, buffer.count, file) == buffer.count { return }
        // Without a temporary file (none writable), keep them in memory rather than lose them.
        if let file { fclose(file) }
        file = nil
        memory += buffer
    }

    private func put(_ buffer: inout [UInt8], _ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func put(_ buffer: inout [UInt8], _ text: String) {
        put(&buffer, UInt64(text.utf8.count))
        buffer.append(contentsOf: text.utf8)
    }

    struct Reader {
        let spool: FindingSpool
        var offset = 0
        var chunk: [UInt8] = []
        var position = 0

        mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
            while chunk.count - position < n {
                var more = [UInt8](repeating: 0, count: max(65536, n))
                let got: Int
                if let file = spool.file {
                    got = fread(&more, 1, more.count, file)
                } else {
                    got = min(more.count, spool.memory.count - offset)
                    more.replaceSubrange(0..<got, with: spool.memory[offset..<(offset + got)])
                    offset += got
                }
                if got == 0 { return nil }
                chunk = Array(chunk[position...]) + more[..<got]
                position = 0
            }
            defer { position += n }
            return chunk[position..<(position + n)]
        }

        mutating func integer() -> UInt64? {
            guard let b = bytes(8) else { return nil }
            var v: UInt64 = 0
            for (k, byte) in b.enumerated() { v |= UInt64(byte) << UInt64(8 * k) }
            return v
        }

        mutating func text() -> String? {
            guard let n = integer(), let b = bytes(Int(n)) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }

        mutating func next(files: [String]) -> (Int, RecordError)? {
            guard let index = integer(), let line = integer(), let code = text(), let field = text(),
                let reason = text(), let parsed = RecordError.Code(rawValue: code)
            else { return nil }
            let lineNumber = Int64(bitPattern: line)
            return (
                Int(index),
                RecordError(
                    parsed, file: files[Int(index)], line: lineNumber < 0 ? nil : Int(lineNumber),
                    field: field.isEmpty ? nil : String(field.dropFirst()), reason: reason)
            )
        }
    }

    /// A reader from the first finding.
    func reader() -> Reader {
        if let file {
            fflush(file)
            rewind(file)
        }
        return Reader(spool: self)
    }
}
