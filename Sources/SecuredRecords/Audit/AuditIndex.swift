import SecuredCrypto

/// A shard's corpus-wide facts, so that a sharded audit still sees the whole corpus: for each
/// sealed record, its path, the line of `secured`, the IV and a SHA-256 of the ciphertext —
/// nothing secret. `secured audit --shard I/N --write-index FILE` writes one per shard, and
/// ``merge(_:ignore:)`` reads all N of them and reports SR014 and SR015 across the corpus.
///
/// The file is text, one fact per line, sorted (IV, then path, then line), so that it is
/// compact, diffable and the same for the same corpus:
///
/// ```text
/// secured-audit-index 1
/// tool secured 1.3.0
/// shard 2/4
/// records 1250
/// blobs 1187
/// 00a1…(32 hex: IV) 3f9c…(64 hex: SHA-256 of the ciphertext) 7 content/posts/a%20b.md
/// …
/// end
/// ```
///
/// Paths are percent-encoded bytes (RFC 3986 unreserved characters and `/` kept), so any file
/// name fits on a line and reads back byte for byte. `records` counts every record the shard
/// checked, sealed or not; `blobs` the lines that follow; `end` shows the file is whole.
public struct AuditIndex: Sendable, Equatable {
    /// The first line's format number.
    public static let format = 1
    private static let magic = "secured-audit-index"

    /// One sealed record.
    public struct Entry: Sendable, Equatable {
        /// The 16-byte IV.
        public var iv: [UInt8]
        /// SHA-256 of the ciphertext.
        public var ciphertextDigest: [UInt8]
        /// The line of `secured`.
        public var line: Int
        /// The record's path, as the audit walked it.
        public var path: String

        /// A sealed record's entry.
        public init(iv: [UInt8], ciphertextDigest: [UInt8], line: Int, path: String) {
            self.iv = iv
            self.ciphertextDigest = ciphertextDigest
            self.line = line
            self.path = path
        }

        static func order(_ a: Entry, _ b: Entry) -> Bool {
            if a.iv != b.iv { return a.iv.lexicographicallyPrecedes(b.iv) }
            if a.path != b.path { return FilePath.precedes(a.path, b.path) }
            return a.line < b.line
        }
    }

    /// The version of the tool that wrote it.
    public var toolVersion: String
    /// The shard, 1-based.
    public var shardIndex: Int
    /// The number of shards (1 for an unsharded audit).
    public var shardCount: Int
    /// Records the shard checked, sealed or not.
    public var recordsChecked: Int
    /// The sealed records, sorted.
    public private(set) var entries: [Entry]

    /// An index of `entries` (sorted here).
    public init(
        toolVersion: String = SecuredVersion.current, shardIndex: Int, shardCount: Int, recordsChecked: Int,
        entries: [Entry]
    ) {
        self.toolVersion = toolVersion
        self.shardIndex = shardIndex
        self.shardCount = shardCount
        self.recordsChecked = recordsChecked
        self.entries = entries.sorted(by: Entry.order)
    }

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var out = "\(Self.magic) \(Self.format)\ntool secured \(toolVersion)\nshard \(shardIndex)/\(shardCount)\n"
        out += "records \(recordsChecked)\nblobs \(entries.count)\n"
        for entry in entries {
            out += "\(Hex.encode(entry.iv)) \(Hex.encode(entry.ciphertextDigest)) \(entry.line) "
            out += FindingLocator.percentEncoded(entry.path) + "\n"
        }
        out += "end\n"
        return Array(out.utf8)
    }

    /// Writes the index to `path` (replaced atomically, or created).
    public func write(to path: String) throws(RecordError) {
        try AtomicFileWriter.replaceOrCreate(path, serialized())
    }

    /// Reads an index file.
    /// - Throws: ``RecordError`` `.refused` naming the file and line of what is wrong (a
    ///   usage error), `.io` when it cannot be read.
    public static func read(_ path: String) throws(RecordError) -> AuditIndex {
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(path, sizeLimit: 1 << 31)
        } catch {
            throw RecordError(.io, file: path, reason: "cannot read the index: \(error.reason)")
        }
        return try AuditIndex(parsing: bytes, file: path)
    }

    /// Parses an index strictly: every line in its canonical form, in order, complete.
    ///
    /// - Parameters:
    ///   - bytes: the index file's bytes.
    ///   - file: the name used in errors.
    public init(parsing bytes: [UInt8], file: String) throws(RecordError) {
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.last?.isEmpty == true else {
            throw RecordError(
                .refused, file: file, line: lines.count, reason: "not a whole index: the last line has no line break")
        }
        lines.removeLast()
        var number = 0
        func bad(_ reason: String) -> RecordError {
            RecordError(.refused, file: file, line: number, reason: reason)
        }
        func next(_ what: String) throws(RecordError) -> [Substring] {
            number += 1
            guard number <= lines.count else {
                throw RecordError(
                    .refused, file: file, line: max(number - 1, 1), reason: "not a whole index: \(what) is missing")
            }
            guard UTF8Validation.isValid(lines[number - 1]) else { throw bad("not UTF-8") }
            return String(decoding: lines[number - 1], as: UTF8.self).split(
                separator: " ", omittingEmptySubsequences: false)
        }
        let head = try next("the header")
        guard head.count == 2, head[0] == Self.magic else {
            throw bad("not a secured audit index (it should start with '\(Self.magic) \(Self.format)')")
        }
        guard head[1] == "\(Self.format)" else {
            throw bad("index format \(head[1]) is not one this version reads (\(Self.format))")
        }
        let tool = try next("the tool line")
        guard tool.count == 3, tool[0] == "tool", tool[1] == "secured", !tool[2].isEmpty else {
            throw bad("expected 'tool secured VERSION'")
        }
        let shard = try next("the shard line")
        let parts = shard.count == 2 ? shard[1].split(separator: "/", omittingEmptySubsequences: false) : []
        guard shard.first == "shard", parts.count == 2, let i = Self.decimal(parts[0]), let n = Self.decimal(parts[1]),
            n >= 1,
            n <= AuditOptions.maximumShardCount, (1...n).contains(i)
        else { throw bad("expected 'shard I/N' with 1 <= I <= N <= \(AuditOptions.maximumShardCount)") }
        let records = try next("the records line")
        guard records.count == 2, records[0] == "records", let checked = Self.decimal(records[1]) else {
            throw bad("expected 'records N'")
        }
        let blobs = try next("the blobs line")
        guard blobs.count == 2, blobs[0] == "blobs", let expected = Self.decimal(blobs[1]), expected <= checked else {
            throw bad("expected 'blobs N' with N at most the records checked")
        }
        // A count the file declares is checked against the lines it holds (blob lines, then
        // `end`) before anything is sized from it.
        guard expected <= lines.count - number - 1 else {
            throw bad(
                "'blobs \(expected)' announces more blob lines than the file holds (\(max(lines.count - number - 1, 0)))"
            )
        }
        var entries: [Entry] = []
        entries.reserveCapacity(expected)
        for _ in 0..<expected {
            let fields = try next("a blob line (\(expected) announced, \(entries.count) found)")
            let entry = try Self.entry(fields, bad)
            if let last = entries.last, !Entry.order(last, entry) {
                throw bad("blob lines are not sorted by IV, path and line (or one is repeated)")
            }
            entries.append(entry)
        }
        let end = try next("the 'end' line")
        guard end == ["end"] else { throw bad("expected 'end' after \(expected) blob lines") }
        guard number == lines.count else {
            number += 1
            throw bad("text after 'end'")
        }
        self.init(
            toolVersion: String(tool[2]), shardIndex: i, shardCount: n, recordsChecked: checked, entries: entries)
    }

    /// A count or line number in its canonical decimal form (no sign, no leading zero).
    private static func decimal(_ text: Substring) -> Int? {
        guard let n = Int(text), n >= 0, String(n) == text else { return nil }
        return n
    }

    /// A blob line, `IV DIGEST LINE PATH`, split at its spaces; `bad` words an error about it.
    private static func entry(_ fields: [Substring], _ bad: (String) -> RecordError) throws(RecordError) -> Entry {
        guard fields.count == 4, fields[0].utf8.count == 32, let iv = Hex.decode(fields[0]),
            Hex.encode(iv) == fields[0]
        else { throw bad("expected 'IV DIGEST LINE PATH' with the IV in 32 lowercase hex digits") }
        guard fields[1].utf8.count == 64, let digest = Hex.decode(fields[1]), Hex.encode(digest) == fields[1] else {
            throw bad("the ciphertext digest should be 64 lowercase hex digits")
        }
        guard let line = Self.decimal(fields[2]), line >= 1 else { throw bad("the line should be a number from 1") }
        guard let path = Self.percentDecoded(fields[3]), !path.isEmpty,
            FindingLocator.percentEncoded(path) == fields[3]
        else { throw bad("the path is not in canonical percent-encoding") }
        return Entry(iv: iv, ciphertextDigest: digest, line: line, path: path)
    }

    private static func percentDecoded(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        var utf8 = text.utf8[...]
        while let c = utf8.first {
            utf8 = utf8.dropFirst()
            if c != UInt8(ascii: "%") {
                bytes.append(c)
                continue
            }
            guard utf8.count >= 2, let byte = Hex.decode(String(decoding: utf8.prefix(2), as: UTF8.self))?.first
            else { return nil }
            bytes.append(byte)
            utf8 = utf8.dropFirst(2)
        }
        return FilePath.decode(bytes)
    }

    /// Merges the indexes of all shards of one audit and reports SR014 and SR015 across them,
    /// as an unsharded audit would.
    ///
    /// - Parameters:
    ///   - indexes: each index with the path it was read from (for messages).
    ///   - ignore: codes not reported.
    /// - Returns: a run over the sealed records of all shards; its notes say what was merged.
    /// - Throws: ``RecordError`` `.refused` (a usage error) for indexes of different tool
    ///   versions or shard counts, a shard missing or given twice (these name no one file:
    ///   `file` is empty and the reason names them), or a record listed by a shard it does
    ///   not belong to.
    public static func merge(_ indexes: [(path: String, index: AuditIndex)], ignore: Set<RecordError.Code> = [])
        throws(RecordError) -> AuditRun
    {
        guard let first = indexes.first else {
            throw RecordError(.refused, file: "", reason: "no index to merge")
        }
        let count = try checkShards(indexes)
        // Every record must belong to the shard that lists it, so no record is counted twice
        // and no index was renamed into another shard's place.
        var all: [Entry] = []
        for (path, index) in indexes {
            for (k, entry) in index.entries.enumerated() {
                guard Auditor.shardIndex(of: entry.path, count: count) == index.shardIndex - 1 else {
                    throw RecordError(
                        .refused, file: path, line: 6 + k,
                        reason:
                            "\(FilePath.display(entry.path)) does not belong to shard \(index.shardIndex)/\(count); was the index renamed or the corpus walked differently?"
                    )
                }
                all.append(entry)
            }
        }
        var files = Array(Set(all.map(\.path)))
        files = FilePath.sortedBytewise(files)
        var position: [String: Int32] = [:]
        for (k, file) in files.enumerated() { position[file] = Int32(k) }
        var blobs: [BlobIdentity] = []
        var lookup: [BlobKey: [UInt8]] = [:]
        blobs.reserveCapacity(all.count)
        for entry in all {
            var blob = BlobIdentity(iv: entry.iv, line: entry.line)
            blob.file = position[entry.path]!
            blobs.append(blob)
            lookup[BlobKey(blob)] = entry.ciphertextDigest
        }
        let corpus = CorpusChecks.findings(blobs: &blobs, files: files) { lookup[BlobKey($0)] }
            .filter { !ignore.contains($0.finding.code) }
        let records = indexes.reduce(0) { $0 + $1.index.recordsChecked }
        let note = Note(
            .shardsMerged,
            message:
                "merged \(count.counted("shard index", "shard indexes")) of secured \(first.index.toolVersion): the shards checked \(records.counted("record")); their \(files.count.counted("sealed record")) compared here for IV reuse (SR014) and copied blobs (SR015)"
        )
        return AuditRun(
            files: files, spool: FindingSpool(), corpus: corpus, others: [], notes: [note], missing: [],
            shardOnly: false)
    }

    /// Checks that `indexes` are the shards of one audit: one tool version, one shard count,
    /// each shard exactly once.
    ///
    /// - Returns: the shard count.
    /// - Throws: ``RecordError`` `.refused` naming the indexes that disagree, repeat or miss.
    private static func checkShards(_ indexes: [(path: String, index: AuditIndex)]) throws(RecordError) -> Int {
        func names(_ items: [(path: String, index: AuditIndex)]) -> String {
            items.map { FilePath.display($0.path) }.joined(separator: ", ")
        }
        let versions = Set(indexes.map(\.index.toolVersion))
        guard versions.count == 1 else {
            let list = indexes.map { "\(FilePath.display($0.path)) (\($0.index.toolVersion))" }.joined(separator: ", ")
            throw RecordError(
                .refused, file: "",
                reason: "the indexes come from different versions of secured: \(list); run every shard with one version"
            )
        }
        let count = indexes[0].index.shardCount
        guard indexes.allSatisfy({ $0.index.shardCount == count }) else {
            let list = indexes.map { "\(FilePath.display($0.path)) (\($0.index.shardIndex)/\($0.index.shardCount))" }
                .joined(separator: ", ")
            throw RecordError(.refused, file: "", reason: "the indexes split the corpus differently: \(list)")
        }
        var byShard: [Int: [(path: String, index: AuditIndex)]] = [:]
        for item in indexes { byShard[item.index.shardIndex, default: []].append(item) }
        let repeated = byShard.filter { $0.value.count > 1 }.sorted { $0.key < $1.key }
        if let (shard, items) = repeated.first {
            throw RecordError(
                .refused, file: "", reason: "shard \(shard)/\(count) is given more than once: \(names(items))")
        }
        let missing = Self.missingRanges(present: byShard.keys, count: count)
        guard missing.isEmpty else {
            let number = missing.reduce(0) { $0 + $1.count }
            let list = missing.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
            throw RecordError(
                .refused, file: "",
                reason:
                    "shard\(number > 1 ? "s" : "") \(list.joined(separator: ", ")) of \(count) missing: merge the indexes of all \(count) shards"
            )
        }
        return count
    }

    /// The shards of `1...count` not in `present`, as ranges (`2-5, 7`): a message as long as
    /// the indexes given, not as the shard count.
    static func missingRanges(present: some Sequence<Int>, count: Int) -> [ClosedRange<Int>] {
        var ranges: [ClosedRange<Int>] = []
        var next = 1
        for shard in present.sorted() where shard >= next {
            if shard > next { ranges.append(next...(shard - 1)) }
            next = shard + 1
        }
        if next <= count { ranges.append(next...count) }
        return ranges
    }

    /// A blob's place, to find its digest again.
    private struct BlobKey: Hashable {
        var file: Int32
        var line: Int32
        init(_ blob: BlobIdentity) {
            file = blob.file
            line = blob.line
        }
    }
}
