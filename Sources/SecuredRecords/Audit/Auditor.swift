import Dispatch
import Synchronization

/// Audits a corpus for every finding of SPEC section 7: the scheduler.
///
/// Records are checked by ``RecordChecker`` on `jobs` threads, in batches; each batch's
/// findings go to a temporary file in report order, so memory holds one batch, the paths and
/// 24 bytes a sealed record for `CorpusChecks` (SR014, SR015), which run at the end. The
/// report's order does not depend on thread timing.
///
/// ```swift
/// let run = Auditor(keys: ring, options: options).audit(paths: ["content/"])
/// run.forEachFinding { print($0) }
/// ```
public struct Auditor: Sendable {
    /// The keys for signatures and decryption (may be empty).
    public var keys: KeyRing
    /// What to check beyond the defaults, and how.
    public var options: AuditOptions
    /// The walker that finds records in folders.
    public var walker: CorpusWalker

    /// - Parameters:
    ///   - keys: the keys; without any, checks that need none still run.
    ///   - options: what to check beyond the defaults.
    ///   - walker: how folders are walked.
    public init(keys: KeyRing, options: AuditOptions = AuditOptions(), walker: CorpusWalker = CorpusWalker()) {
        self.keys = keys
        self.options = options
        self.walker = walker
    }

    /// Audits files and folders.
    ///
    /// - Parameters:
    ///   - paths: files and folders.
    ///   - progress: called after each batch with (records done, total).
    /// - Returns: the run (paths that do not exist are in its ``AuditRun/missing``).
    public func audit(paths: [String], progress: (@Sendable (Int, Int) -> Void)? = nil) -> AuditRun {
        run(walk: walker.walk(paths), progress: progress)
    }

    /// Audits walked inputs (``CorpusWalker/walk(_:)``).
    ///
    /// - Parameters:
    ///   - walk: the walk.
    ///   - progress: called after each batch with (records done, total).
    /// - Returns: the run, to read totals and findings from.
    public func run(walk: CorpusWalker.Result, progress: (@Sendable (Int, Int) -> Void)? = nil) -> AuditRun {
        let scoped = scope(of: walk)
        let files = scoped.files
        let listedRegular = scoped.listedRegular
        var notes = scoped.notes
        // The walk has looked up the policy of every record; when it found none, no record
        // needs a lookup again.
        let policies = walker.policies.flatMap { $0.policies.isEmpty ? nil : $0 }
        let kept = { (finding: RecordError) in
            !options.ignore.contains(finding.code)
                && policies?.policy(for: finding.file)?.hides(
                    finding.code, requireSecured: options.requireSecured, requireSignature: options.requireSignature)
                    != true
        }
        for policy in policies?.policies ?? [] {
            if let note = policy.hiddenErrorsNote(
                alsoIgnored: options.ignore, requireSecured: options.requireSecured,
                requireSignature: options.requireSignature)
            {
                notes.append(note)
            }
        }
        var checker = RecordChecker(
            keys: keys, requireSecured: options.requireSecured, requireSignature: options.requireSignature,
            sizeLimit: options.sizeLimit)
        checker.hashesCiphertext = options.buildsIndex
        checker.policies = policies
        checker.lookup = policies?.snapshot()
        var indexEntries: [AuditIndex.Entry] = []
        let spool = FindingSpool(writeLimit: options.spoolWriteLimit, readFails: options.spoolReadFails)
        var blobs: [BlobIdentity] = []
        var yaml = [0, 0]  // front matters decided by the one-pass check, by libyaml
        var notVerified = 0  // signed records, with no key at all to verify them
        var unsigned: [String] = []  // records with no signature, where keys could verify one
        let batchSize = 1024
        var start = 0
        while start < files.count {
            let end = min(start + batchSize, files.count)
            let results = checkBatch(Array(files[start..<end]), Array(listedRegular[start..<end]), checker)
            for (offset, result) in results.enumerated() {
                spool.append(result.findings.filter(kept), fileIndex: start + offset)
                if let onePass = result.onePass { yaml[onePass ? 0 : 1] += 1 }
                if result.signatureNotVerified { notVerified += 1 }
                if result.unsigned { unsigned.append(files[start + offset]) }
                if var blob = result.blob {
                    blob.file = Int32(start + offset)
                    blobs.append(blob)
                    if let digest = result.ciphertextDigest {
                        indexEntries.append(
                            AuditIndex.Entry(
                                iv: blob.ivBytes, ciphertextDigest: digest, line: Int(blob.line),
                                path: files[start + offset]))
                    }
                }
            }
            start = end
            progress?(end, files.count)
        }
        if let note = SignatureRequirement.notVerifiedNote(count: notVerified) { notes.append(note) }
        if let note = SignatureRequirement.unsignedNote(unsigned) { notes.append(note) }
        let corpus = CorpusChecks.findings(
            blobs: &blobs, files: files, sizeLimit: options.sizeLimit, workingDirectory: walker.workingDirectory
        )
        .filter { kept($0.finding) }
        let checked = checkManifests(policies: policies)
        var others = walk.errors + checked.findings
        notes += checked.notes
        others = others.filter(kept).sorted(by: RecordError.reportOrder)
        let index =
            options.buildsIndex
            ? AuditIndex(
                shardIndex: options.shard?.index ?? 1, shardCount: options.shard?.count ?? 1,
                recordsChecked: files.count, entries: indexEntries) : nil
        let run = AuditRun(
            files: files, spool: spool, corpus: corpus, others: others, notes: notes, missing: walk.missing,
            shardOnly: options.shard != nil, index: index)
        run.yamlChecks = (onePass: yaml[0], libyaml: yaml[1])
        return run
    }

    /// The files to audit (this shard's, when sharded), whether each folder listed it as a
    /// regular file, and the notes that open the run (the shard, public keys only).
    private func scope(of walk: CorpusWalker.Result) -> (files: [String], listedRegular: [Bool], notes: [Note]) {
        var files = walk.files
        // Whether each file's folder listed it as a regular file (no `stat` before opening it).
        var listedRegular =
            walk.listedRegular.count == files.count ? walk.listedRegular : Array(repeating: false, count: files.count)
        var notes = walk.notes
        if let shard = options.shard {
            let kept = files.indices.filter { Self.shardIndex(of: files[$0], count: shard.count) == shard.index - 1 }
            files = kept.map { files[$0] }
            listedRegular = kept.map { listedRegular[$0] }
            notes.append(
                Note(
                    .shardCoverage,
                    message:
                        "shard \(shard.index)/\(shard.count): \(files.count.counted("record")) checked; IV-reuse and duplicate-blob checks (SR014, SR015) covered this shard only"
                ))
        }
        if keys.isPublicOnly {
            notes.append(
                Note(
                    .publicKeysOnly,
                    message:
                        "only public keys were supplied: signatures are verified, no blob is decrypted (SR012 and SR013 are not checked)"
                ))
        }
        return (files, listedRegular, notes)
    }

    /// The manifest asked for, or else those of the policies that apply, checked.
    private func checkManifests(policies: PolicyResolver?) -> (findings: [RecordError], notes: [Note]) {
        var findings: [RecordError] = []
        var notes: [Note] = []
        var manifests = options.manifest.map { [$0] } ?? []
        if options.manifest == nil, let policies {
            manifests = policies.policies.compactMap(\.manifest)
        }
        for manifest in manifests {
            let checked = Manifest.check(
                manifest: manifest, root: Manifest.defaultRoot(of: manifest), keys: keys, walker: walker,
                sizeLimit: options.sizeLimit)
            findings += checked.findings
            notes += checked.notes
        }
        return (findings, notes)
    }

    private func checkBatch(_ batch: [String], _ listedRegular: [Bool], _ checker: RecordChecker)
        -> [RecordChecker.Result]
    {
        let jobs = max(1, options.jobs)
        if jobs == 1 || batch.count == 1 {
            let folder = OpenFolder(workingDirectory: walker.workingDirectory)
            return batch.indices.map {
                checker.check(file: batch[$0], listedRegular: listedRegular[$0], folder: folder)
            }
        }
        let results = ResultSlots(count: batch.count)
        // Each worker takes the next few unchecked records, so a few large records do not
        // leave the other workers idle. A few, not one: every take is an atomic add on a line
        // the workers share, and neighbouring results share lines too.
        let next = Atomic<Int>(0)
        let take = max(1, min(16, batch.count / (jobs * 8)))
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            let folder = OpenFolder(workingDirectory: walker.workingDirectory)  // this worker's own
            while true {
                let first = next.wrappingAdd(take, ordering: .relaxed).oldValue
                guard first < batch.count else { break }
                for i in first..<min(first + take, batch.count) {
                    results.set(i, checker.check(file: batch[i], listedRegular: listedRegular[i], folder: folder))
                }
            }
        }
        return results.values
    }

    /// The shard (0-based) a path belongs to: FNV-1a of its bytes, modulo `count`.
    /// Stable across runs, machines and Swift versions (unlike `Hasher`).
    public static func shardIndex(of path: String, count: Int) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in FilePath.bytes(path) {
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
    private let storage: UnsafeMutableBufferPointer<RecordChecker.Result>

    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: RecordChecker.Result())
    }

    deinit {
        storage.deinitialize()
        storage.deallocate()
    }

    func set(_ index: Int, _ value: RecordChecker.Result) { storage[index] = value }

    var values: [RecordChecker.Result] { Array(storage) }
}
