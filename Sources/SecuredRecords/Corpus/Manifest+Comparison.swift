import SecuredCrypto

extension Manifest {
    /// Compares the manifest's entries with the records under `root`: a record missing,
    /// added, or whose SHA-256 differs is SR018; one that cannot be read SR017. Also returns the
    /// records compared (those present), named as the findings name them.
    static func compare(
        _ entries: [(path: String, digest: String, line: Int)], manifest: String, root: String, walker: CorpusWalker,
        sizeLimit: Int
    ) -> (findings: [RecordError], records: [String]) {
        var findings: [RecordError] = []
        let (files, errors) = relativeFiles(root: root, walker: walker, excluding: manifest)
        findings += errors
        let listed = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let present = Set(files)
        // Named as a walk of the same root names them (`a.md` under `.`, not `./a.md`).
        let prefix = root == "." || root == "./" ? "" : root.hasSuffix("/") ? root : root + "/"
        for entry in entries where !present.contains(entry.path) {
            findings.append(
                RecordError(
                    .sr018ManifestMismatch, file: manifest, line: entry.line,
                    reason: "record '\(entry.path)' is listed but missing"))
        }
        for file in files {
            guard let entry = listed[file] else {
                findings.append(
                    RecordError(
                        .sr018ManifestMismatch, file: prefix + file,
                        reason: "record is not in the manifest \(manifest) (added)"))
                continue
            }
            guard let data = try? RecordFile.read(prefix + file, sizeLimit: sizeLimit, in: walker.workingDirectory)
            else {
                findings.append(RecordError(.sr017Unreadable, file: prefix + file, reason: "cannot read to hash"))
                continue
            }
            if Hex.encode(SHA256.hash(data)) != entry.digest {
                findings.append(
                    RecordError(
                        .sr018ManifestMismatch, file: prefix + file,
                        reason: "SHA-256 differs from the manifest \(manifest):\(entry.line) (changed)"))
            }
        }
        return (findings, files.map { prefix + $0 })
    }
}
