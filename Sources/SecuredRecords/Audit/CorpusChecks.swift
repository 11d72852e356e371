import SecuredCrypto

/// The corpus-wide checks (SPEC section 2): an IV shared by blobs that differ (SR014) and
/// one blob copied into several records (SR015).
enum CorpusChecks {
    /// How many other records a finding names before "and N more".
    static let namedInFinding = 3

    /// SR014 and SR015 over `blobs`, each record reported once per code, with a bounded
    /// "also in" list; time grows as n log n in the number of records, copies included.
    ///
    /// - Parameters:
    ///   - blobs: the identities gathered by the per-record checks (sorted here).
    ///   - files: the run's records, sorted; `BlobIdentity.file` indexes them.
    ///   - sizeLimit: for reading the records of a shared IV again.
    ///   - workingDirectory: where relative `files` start from (`nil`: the process's folder).
    /// - Returns: the findings with their record's index, in report order.
    static func findings(
        blobs: inout [BlobIdentity], files: [String], sizeLimit: Int, workingDirectory: String? = nil
    ) -> [(file: Int, finding: RecordError)] {
        findings(blobs: &blobs, files: files) {
            ciphertextDigest(files[Int($0.file)], sizeLimit: sizeLimit, workingDirectory: workingDirectory)
        }
    }

    /// SR014 and SR015 over `blobs`, with the ciphertext digests from `digest` (asked only
    /// for blobs that share an IV): the audit reads the records again, the merge of shard
    /// indexes (``AuditIndex``) has them.
    static func findings(
        blobs: inout [BlobIdentity], files: [String], digest: (BlobIdentity) -> [UInt8]?
    ) -> [(file: Int, finding: RecordError)] {
        blobs.sort { ($0.iv.0, $0.iv.1, $0.file) < ($1.iv.0, $1.iv.1, $1.file) }
        var findings: [(file: Int, finding: RecordError)] = []
        var start = 0
        while start < blobs.count {
            var end = start + 1
            while end < blobs.count && blobs[end].iv == blobs[start].iv { end += 1 }
            if end - start > 1 {
                findings += group(blobs[start..<end], files: files, digest: digest)
            }
            start = end
        }
        findings.sort { $0.file != $1.file ? $0.file < $1.file : RecordError.reportOrder($0.finding, $1.finding) }
        return findings
    }

    /// The findings of one set of blobs that share an IV (sorted by file index, so by path).
    private static func group(
        _ group: ArraySlice<BlobIdentity>, files: [String], digest: (BlobIdentity) -> [UInt8]?
    ) -> [(file: Int, finding: RecordError)] {
        // Copies: blobs with the same ciphertext. One that cannot be read again stands alone,
        // so it counts as different from every other.
        var copyIndex: [[UInt8]: Int] = [:]
        var copies: [[BlobIdentity]] = []
        var copyOf: [Int] = []
        for entry in group {
            let hash = digest(entry)
            let index: Int
            if let hash, let known = copyIndex[hash] {
                index = known
            } else {
                index = copies.count
                copies.append([])
                if let hash { copyIndex[hash] = index }
            }
            copies[index].append(entry)
            copyOf.append(index)
        }
        // The first few records of each set of copies, then the first few of the whole
        // group with their set: the first `n` records outside any set are among the first
        // 2n of these (a set holds at most n of them).
        let n = namedInFinding
        let heads = copies.enumerated().flatMap { set, members in members.prefix(n + 1).map { (set, $0) } }
            .sorted { $0.1.file < $1.1.file }.prefix(2 * n + 1)
        var out: [(file: Int, finding: RecordError)] = []
        for (k, entry) in group.enumerated() {
            let set = copyOf[k]
            let file = files[Int(entry.file)]
            let others = group.count - copies[set].count
            if others > 0 {
                let named = heads.filter { $0.0 != set }.prefix(n).map { files[Int($0.1.file)] }
                out.append(
                    (
                        Int(entry.file),
                        RecordError(
                            .sr014IVReused, file: file, line: Int(entry.line), field: "secured",
                            reason:
                                "IV \(entry.ivHex) is reused with a different ciphertext in \(list(named, total: others))"
                        )
                    ))
            }
            let sameCount = copies[set].count - 1
            if sameCount > 0 {
                let named = copies[set].prefix(n + 1).filter { $0.file != entry.file || $0.line != entry.line }
                    .prefix(n).map { files[Int($0.file)] }
                out.append(
                    (
                        Int(entry.file),
                        RecordError(
                            .sr015DuplicateBlob, file: file, line: Int(entry.line), field: "secured",
                            reason: "the same blob (IV and ciphertext) is also in \(list(named, total: sameCount))")
                    ))
            }
        }
        return out
    }

    /// SHA-256 of the ciphertext of the record's `secured` blob, read again; `nil` if it no
    /// longer reads as a sealed record.
    static func ciphertextDigest(_ file: String, sizeLimit: Int, workingDirectory: String? = nil) -> [UInt8]? {
        guard let bytes = try? RecordFile.read(file, sizeLimit: sizeLimit, in: workingDirectory),
            let record = try? Record(parsing: bytes, file: file), let value = record.readBlob()?.value
        else { return nil }
        return SHA256.hash(value.ciphertext)
    }

    private static func list(_ named: [String], total: Int) -> String {
        let shown = named.map(FilePath.display).joined(separator: ", ")
        return total > named.count ? shown + " and \(total - named.count) more" : shown
    }
}
