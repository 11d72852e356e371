import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

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
    /// How many front matters the one-pass YAML check decided, and how many libyaml did.
    public var yamlChecks: (onePass: Int, libyaml: Int) {
        get { yamlCounts.withLock { $0 } }
        set { yamlCounts.withLock { $0 = newValue } }
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
            files: [], spool: FindingSpool(), corpus: [], others: findings.sorted(by: Auditor.reportOrder),
            notes: notes, missing: [], shardOnly: false)
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
            group.sort(by: Auditor.reportOrder)
            try body(path, true, group)
        }
        try emitOthers(before: nil)
        if reader.read != spool.count {
            spool.fail("findings were lost: \(spool.count) recorded, \(reader.read) read back")
        }
    }
}

/// Per-record findings, appended in file order to an anonymous temporary file (removed by
/// the system when closed, even after a crash) and read back in the same order.
///
/// When the file cannot take more (a full disk), every finding already written is read
/// back into memory and the rest are kept there; if even that fails, ``failure`` says so.
final class FindingSpool: @unchecked Sendable {
    // @unchecked Sendable: appended to by the audit's coordinating thread only, before any
    // read; readers use pread at offsets of their own, so they share nothing but `state`.
    private var fd: Int32 = -1
    /// Bytes committed to the file.
    private var written = 0
    private var memory: [UInt8] = []
    private let writeLimit: Int?
    private let readFails: Bool
    private let state = Mutex<String?>(nil)
    /// Number of findings appended.
    private(set) var count = 0

    /// - Parameters:
    ///   - writeLimit: tests only: writes to the file fail beyond this many bytes.
    ///   - readFails: tests only: reading the file back fails.
    init(writeLimit: Int? = nil, readFails: Bool = false) {
        self.writeLimit = writeLimit
        self.readFails = readFails
        if let file = tmpfile() {
            fd = dup(fileno(file))
            fclose(file)
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Why findings were lost, if they were.
    var failure: String? { state.withLock { $0 } }

    func fail(_ reason: String) { state.withLock { if $0 == nil { $0 = reason } } }

    /// Appends the findings of the record at `fileIndex`.
    func append(_ findings: [RecordError], fileIndex: Int) {
        guard !findings.isEmpty else { return }
        var buffer: [UInt8] = []
        for finding in findings {
            put(&buffer, UInt64(fileIndex))
            put(&buffer, UInt64(bitPattern: Int64(finding.line ?? -1)))
            put(&buffer, finding.code.rawValue)
            put(&buffer, finding.field.map { "+" + $0 } ?? "")
            put(&buffer, finding.reason)
        }
        count += findings.count
        if fd >= 0 {
            if writeToFile(buffer) { return }
            moveToMemory()
        }
        memory += buffer
    }

    private func writeToFile(_ buffer: [UInt8]) -> Bool {
        if let writeLimit, written + buffer.count > writeLimit { return false }
        let ok = buffer.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = pwrite(fd, raw.baseAddress! + offset, raw.count - offset, off_t(written + offset))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        if ok { written += buffer.count }
        return ok
    }

    /// The file failed: keep what it holds in memory from now on.
    private func moveToMemory() {
        if let back = readFile(at: 0, count: written), back.count == written {
            memory = back
        } else {
            fail("the findings spool could not be read back after a failed write; findings were lost")
        }
        close(fd)
        fd = -1
    }

    /// Up to `count` bytes of the file from `offset`; `nil` on a read error.
    private func readFile(at offset: Int, count: Int) -> [UInt8]? {
        if readFails { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset + got)) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return nil }
            if n == 0 { break }
            got += n
        }
        return Array(bytes[..<got])
    }

    /// Up to `count` spooled bytes from `offset`.
    fileprivate func chunk(at offset: Int, count: Int) -> [UInt8] {
        if fd >= 0 {
            let wanted = min(count, written - offset)
            guard wanted > 0 else { return [] }
            guard let bytes = readFile(at: offset, count: wanted) else {
                fail("the findings spool could not be read back: \(String(cString: strerror(errno)))")
                return []
            }
            return bytes
        }
        let end = min(memory.count, offset + count)
        return offset < end ? Array(memory[offset..<end]) : []
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
        /// Findings read so far.
        var read = 0

        mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
            while chunk.count - position < n {
                let more = spool.chunk(at: offset, count: max(65536, n))
                if more.isEmpty { return nil }
                offset += more.count
                chunk = Array(chunk[position...]) + more
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
                let reason = text(), let parsed = RecordError.Code(rawValue: code), Int(index) < files.count
            else { return nil }
            read += 1
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
    func reader() -> Reader { Reader(spool: self) }
}
