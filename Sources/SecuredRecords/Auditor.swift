import Dispatch
import SecuredCrypto
import Synchronization

/// What an audit checks beyond the defaults.
public struct AuditOptions: Sendable {
    /// Report SR003 for a record without `secured`.
    public var requireSecured = false
    /// Report SR008 for a record without `signature`; unsigned blobs are then never decrypted.
    public var requireSignature = false
    /// Largest file read (SR017 beyond it).
    public var sizeLimit = Record.defaultSizeLimit
    /// Codes not reported.
    public var ignore: Set<RecordError.Code> = []
    /// Worker threads (at least 1).
    public var jobs = 2
    /// Check only shard `index` (1-based) of `count`, chosen by a hash of the path.
    public var shard: (index: Int, count: Int)?
    /// Also check this manifest (SR018, SR019) against the records under its folder.
    public var manifest: String?

    public init() {}
}

/// The result of an audit.
public struct AuditReport: Sendable {
    /// Every finding, sorted by file, then line, then code.
    public var findings: [RecordError]
    /// The records checked, sorted by path.
    public var files: [String]
    /// Number of records checked.
    public var recordsChecked: Int { files.count }
    /// Records with no finding of severity error.
    public var recordsPassed: Int
    /// Notes (skipped links, shard coverage).
    public var notes: [String]
    /// Whether corpus-wide checks (SR014, SR015) saw only one shard of the corpus.
    public var corpusChecksCoverShardOnly: Bool

    /// A report.
    public init(
        findings: [RecordError], files: [String], recordsPassed: Int, notes: [String], corpusChecksCoverShardOnly: Bool
    ) {
        self.findings = findings
        self.files = files
        self.recordsPassed = recordsPassed
        self.notes = notes
        self.corpusChecksCoverShardOnly = corpusChecksCoverShardOnly
    }

    /// Whether any finding is an error (exit status 1).
    public var hasErrors: Bool { findings.contains { $0.severity == .error } }
    /// Number of findings with each code.
    public var countsByCode: [String: Int] {
        findings.reduce(into: [:]) { $0[$1.code.rawValue, default: 0] += 1 }
    }
}

/// Checks records and corpora for every finding of SPEC section 7.
///
/// ```swift
/// let report = Auditor(keys: ring, options: options).audit(paths: ["content/"])
/// for finding in report.findings { print(finding) }
/// ```
///
/// Per record, in order: SR017 (read), SR001 (structure), SR002 (YAML) — each ends that
/// record's checks — then the blob (SR003–SR007), a leaked body (SR016), the signature
/// (SR008–SR011) and, with keys, decryption (SR012, SR013). A record whose signature fails is
/// never decrypted, nor an unsigned one when signatures are required. Across the corpus:
/// IV reuse (SR014) and copied blobs (SR015). Records are checked on `jobs` threads in
/// batches; the report's order does not depend on thread timing.
public struct Auditor: Sendable {
    /// The keys for signatures and decryption (may be empty).
    public var keys: KeyRing
    /// The options.
    public var options: AuditOptions
    /// The walker that finds records in folders.
    public var walker: CorpusWalker

    /// - Parameters:
    ///   - keys: the keys; without any, checks that need none still run.
    ///   - options: the options.
    ///   - walker: how folders are walked.
    public init(keys: KeyRing, options: AuditOptions = AuditOptions(), walker: CorpusWalker = CorpusWalker()) {
        self.keys = keys
        self.options = options
        self.walker = walker
    }

    /// What the per-record check remembers for the corpus-wide checks: 24 bytes a record.
    /// Ciphertexts are compared only for the rare records that share an IV, by reading them again.
    struct BlobIdentity: Sendable {
        /// The IV, big-endian halves.
        var iv: (UInt64, UInt64)
        var file: Int32 = 0
        var line: Int32

        init(iv: [UInt8], line: Int) {
            var a: UInt64 = 0
            var b: UInt64 = 0
            for (k, byte) in iv.prefix(16).enumerated() {
                if k < 8 { a = a << 8 | UInt64(byte) } else { b = b << 8 | UInt64(byte) }
            }
            self.iv = (a, b)
            self.line = Int32(clamping: line)
        }

        var ivHex: String {
            Hex.encode(
                (0..<16).map { k in UInt8(truncatingIfNeeded: (k < 8 ? iv.0 : iv.1) >> UInt64(56 - 8 * (k % 8))) })
        }
    }

    struct RecordResult: Sendable {
        var findings: [RecordError] = []
        var blob: BlobIdentity?
    }

    /// Audits files and folders, collecting every finding in memory.
    ///
    /// - Parameters:
    ///   - paths: files and folders.
    ///   - progress: called after each batch with (records done, total).
    /// - Returns: the report.
    public func audit(paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> AuditReport {
        run(walk: walker.walk(paths), progress: progress).report
    }

    /// Audits files and folders, streaming: memory holds one batch of records, the corpus-wide
    /// sets (about 40 bytes a sealed record) and the paths; findings wait in a temporary file.
    ///
    /// - Parameters:
    ///   - walk: the walked inputs (``CorpusWalker/walk(_:)``).
    ///   - progress: called after each batch with (records done, total).
    /// - Returns: the run, to read totals and findings from.
    public func run(walk: CorpusWalker.Result, progress: (@Sendable (Int, Int) -> Void)? = nil) -> AuditRun {
        var files = walk.files
        var notes = walk.notes
        if let shard = options.shard {
            files = files.filter { Self.shardIndex(of: $0, count: shard.count) == shard.index - 1 }
            notes.append(
                "note: shard \(shard.index)/\(shard.count): \(files.count) records checked; IV-reuse and duplicate-blob checks (SR014, SR015) covered this shard only"
            )
        }
        let kept = { (finding: RecordError) in !options.ignore.contains(finding.code) }
        let spool = FindingSpool()
        var blobs: [BlobIdentity] = []
        let batchSize = 1024
        var start = 0
        while start < files.count {
            let end = min(start + batchSize, files.count)
            let results = checkBatch(Array(files[start..<end]))
            for (offset, result) in results.enumerated() {
                spool.append(result.findings.filter(kept), fileIndex: start + offset)
                if var blob = result.blob {
                    blob.file = Int32(start + offset)
                    blobs.append(blob)
                }
            }
            start = end
            progress?(end, files.count)
        }
        let corpus = corpusFindings(blobs: &blobs, files: files).filter { kept($0.finding) }
        var others = walk.errors
        if let manifest = options.manifest {
            let slash = manifest.lastIndex(of: "/")
            let root = slash.map { String(manifest[..<$0]) }.map { $0.isEmpty ? "/" : $0 } ?? "."
            let checked = Manifest.check(
                manifest: manifest, root: root, keys: keys, walker: walker, sizeLimit: options.sizeLimit)
            others += checked.findings
            notes += checked.notes
        }
        others = others.filter(kept).sorted(by: Self.reportOrder)
        return AuditRun(
            files: files, spool: spool, corpus: corpus, others: others, notes: notes, shardOnly: options.shard != nil)
    }

    /// File, then line (findings without a line first), then code.
    public static func reportOrder(_ a: RecordError, _ b: RecordError) -> Bool {
        if a.file != b.file { return CorpusWalker.precedes(a.file, b.file) }
        if a.line != b.line { return (a.line ?? 0) < (b.line ?? 0) }
        if a.code != b.code { return a.code < b.code }
        return a.reason < b.reason
    }

    private func checkBatch(_ batch: [String]) -> [RecordResult] {
        let jobs = max(1, options.jobs)
        if jobs == 1 || batch.count == 1 { return batch.map { check(file: $0) } }
        let results = ResultSlots(count: batch.count)
        // Each worker takes the next unchecked record, so a few large records do not leave
        // the other workers idle.
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < batch.count else { break }
                results.set(i, check(file: batch[i]))
            }
        }
        return results.values
    }

    /// Checks one record file.
    func check(file: String) -> RecordResult {
        var result = RecordResult()
        func add(_ error: RecordError) { result.findings.append(error) }
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(file, sizeLimit: options.sizeLimit)
        } catch {
            add(error)
            return result
        }
        let record: Record
        do {
            record = try Record(parsing: bytes, file: file)
        } catch {
            add(error)
            return result
        }
        guard Record.isValidUTF8(record.body) else {
            add(
                RecordError(
                    .sr017Unreadable, file: file, line: record.closingLine.number + 1, reason: "body is not valid UTF-8"
                ))
            return result
        }
        do {
            try FrontMatterValidator.validate(record)
        } catch {
            add(error)
            return result
        }

        // The blob: form only, no key needed.
        var blob: SealedValue?
        if let line = record.securedLine {
            // The common case first: a quoted value that decodes as a blob is literal.
            if let range = LiteralValue.quotedContent(of: line, in: record),
                let value = record.bytes.withUnsafeBytes({
                    SealedValue.parse(utf8: UnsafeRawBufferPointer(rebasing: $0[range])).value
                })
            {
                blob = value
            } else {
                switch LiteralValue.valueRange(field: "secured", of: line, in: record) {
                case .failure(let problem):
                    add(
                        RecordError(
                            .sr004SecuredNotLiteral, file: file, line: line.line.number, field: "secured",
                            reason: "'secured' is not B64;B64 written literally: \(problem.reason)"))
                case .success(let (range, _)):
                    let parsed = record.bytes.withUnsafeBytes {
                        SealedValue.parse(utf8: UnsafeRawBufferPointer(rebasing: $0[range]))
                    }
                    for defect in parsed.defects { add(RecordError(defect, file: file, line: line.line.number)) }
                    blob = parsed.value
                }
            }
            if let blob {
                result.blob = BlobIdentity(iv: blob.iv.bytes, line: line.line.number)
            }
            if !record.isBodyBlank {
                add(
                    RecordError(
                        .sr016BodyBesideSealedContent, file: file, line: record.closingLine.number + 1,
                        field: "secured",
                        reason: "sealed record still has a non-blank body (plaintext beside its own ciphertext)"))
            }
        } else if options.requireSecured {
            add(
                RecordError(.sr003SecuredMissing, file: file, field: "secured", reason: "record has no 'secured' field")
            )
        }

        // The signature, verified before any decryption.
        var signatureCheck: SignatureCheck?
        switch RecordSigner.verify(record, keys: keys) {
        case .failure(let error): add(error)
        case .success(.unsigned):
            if options.requireSignature {
                add(
                    RecordError(
                        .sr008SignatureMissing, file: file, field: "signature",
                        reason: "record has no 'signature' and signatures are required"))
            } else {
                signatureCheck = .unsigned
            }
        case .success(let check): signatureCheck = check
        }

        // Decryption: only with keys, a well-formed blob, and a signature that checked out
        // (or no signature, where none is required).
        guard !keys.isEmpty, let blob, let signatureCheck else { return result }
        let line = record.securedLine?.line.number
        var candidates: [SecuredKey]
        switch signatureCheck {
        case .valid(let keyID): candidates = keys.key(id: keyID).map { [$0] } ?? []
        case .unsigned: candidates = keys.keys
        case .notChecked: candidates = []
        }
        for key in candidates {
            guard var content = try? AESCBC.decrypt(blob.ciphertext, using: key.encryptionKey, iv: blob.iv) else {
                continue
            }
            if !Record.isValidUTF8(content[...]) {
                add(
                    RecordError(
                        .sr013ContentNotUTF8, file: file, line: line, field: "secured",
                        reason: "decrypted content (key '\(key.id)') is not valid UTF-8"))
            }
            secureWipe(&content)
            return result
        }
        let tried = candidates.map(\.id).joined(separator: ", ")
        add(
            RecordError(
                .sr012DecryptionFailed, file: file, line: line, field: "secured",
                reason:
                    "decryption failed (bad padding) with \(candidates.count == 1 ? "key" : "keys") \(tried): wrong key or damaged ciphertext"
            ))
        return result
    }

    /// SR014 and SR015, from the blobs sorted by IV then ciphertext digest (no per-IV tables).
    private func corpusFindings(blobs: inout [BlobIdentity], files: [String]) -> [(file: Int, finding: RecordError)] {
        blobs.sort { ($0.iv.0, $0.iv.1, $0.file) < ($1.iv.0, $1.iv.1, $1.file) }
        var findings: [(file: Int, finding: RecordError)] = []
        var start = 0
        while start < blobs.count {
            var end = start + 1
            while end < blobs.count && blobs[end].iv == blobs[start].iv { end += 1 }
            if end - start > 1 {
                let group = blobs[start..<end]
                // Read again to compare ciphertexts; one that cannot be read again counts as different.
                let digests = group.map { ciphertextDigest(files[Int($0.file)]) ?? [UInt8]() }
                for (k, entry) in zip(group.indices, group) {
                    let file = files[Int(entry.file)]
                    let mine = digests[k - start]
                    let others = group.indices.filter { group[$0].file != entry.file || group[$0].line != entry.line }
                    let differing = others.filter { mine.isEmpty || digests[$0 - start] != mine }.map {
                        files[Int(group[$0].file)]
                    }
                    let same = others.filter { !mine.isEmpty && digests[$0 - start] == mine }.map {
                        files[Int(group[$0].file)]
                    }
                    if !differing.isEmpty {
                        findings.append(
                            (
                                Int(entry.file),
                                RecordError(
                                    .sr014IVReused, file: file, line: Int(entry.line), field: "secured",
                                    reason:
                                        "IV \(entry.ivHex) is reused with a different ciphertext in \(Self.list(differing))"
                                )
                            ))
                    }
                    if !same.isEmpty {
                        findings.append(
                            (
                                Int(entry.file),
                                RecordError(
                                    .sr015DuplicateBlob, file: file, line: Int(entry.line), field: "secured",
                                    reason: "the same blob (IV and ciphertext) is also in \(Self.list(same))")
                            ))
                    }
                }
            }
            start = end
        }
        findings.sort { $0.file != $1.file ? $0.file < $1.file : Self.reportOrder($0.finding, $1.finding) }
        return findings
    }

    /// SHA-256 of the ciphertext of the record's `secured` blob, read again; `nil` if it no
    /// longer reads as a sealed record.
    private func ciphertextDigest(_ file: String) -> [UInt8]? {
        guard let bytes = try? RecordFile.read(file, sizeLimit: options.sizeLimit),
            let record = try? Record(parsing: bytes, file: file), let line = record.securedLine,
            case .success(let (range, _)) = LiteralValue.valueRange(field: "secured", of: line, in: record)
        else { return nil }
        let parsed = record.bytes.withUnsafeBytes {
            SealedValue.parse(utf8: UnsafeRawBufferPointer(rebasing: $0[range]))
        }
        guard let value = parsed.value else { return nil }
        return try? SHA256.hash(value.ciphertext)
    }

    private static func list(_ files: [String]) -> String {
        let sorted = files.sorted(by: CorpusWalker.precedes)
        if sorted.count <= 3 { return sorted.joined(separator: ", ") }
        return sorted.prefix(3).joined(separator: ", ") + " and \(sorted.count - 3) more"
    }

    /// The shard (0-based) a path belongs to: FNV-1a of its bytes, modulo `count`.
    /// Stable across runs, machines and Swift versions (unlike `Hasher`).
    public static func shardIndex(of path: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return Int(hash % UInt64(count))
    }
}

/// Fixed slots written by worker threads, each slot by exactly one thread.
private final class ResultSlots: @unchecked Sendable {
    // @unchecked Sendable: every index is written by one worker only, and read only after
    // concurrentPerform has returned (which orders the writes before the reads).
    private let storage: UnsafeMutableBufferPointer<Auditor.RecordResult>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: Auditor.RecordResult())
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: Auditor.RecordResult) { storage[index] = value }

    var values: [Auditor.RecordResult] { Array(storage) }
}
