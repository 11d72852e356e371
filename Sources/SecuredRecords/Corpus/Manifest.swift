import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A signed corpus manifest (SPEC section 6): `sha256sum` lines for every record, sorted by
/// path bytes, then `# signature: v1;<key id>;<B64(HMAC-SHA256(K_mac, "secured-manifest-v1\n" || lines))>`.
/// `sha256sum -c` checks the hashes of a manifest built here as it is.
///
/// ```swift
/// let text = try Manifest.build(root: "content", key: key, excluding: "content/MANIFEST.sha256")
/// let findings = Manifest.check(manifest: "content/MANIFEST.sha256", root: "content", keys: ring)
/// ```
public enum Manifest {
    /// The default file name, in the corpus root.
    public static let defaultName = "MANIFEST.sha256"
    /// The largest manifest read: 64 MiB, about 600,000 records.
    public static let maximumSize = 64 * 1024 * 1024

    static let domain = Array("secured-manifest-v1\n".utf8)

    /// The relative paths of the records under `root`, as an audit of `root` would check them.
    static func relativeFiles(root: String, walker: CorpusWalker, excluding: String?) -> (
        files: [String], errors: [RecordError]
    ) {
        let walk = walker.walk([root])
        let prefix = root.hasSuffix("/") ? root : root + "/"
        // The manifest and its detached signature are never listed.
        let excluded = Set(excluding.map { [normalise($0), normalise($0 + minisigSuffix)] } ?? [])
        var files: [String] = []
        for path in walk.files where !excluded.contains(normalise(path)) {
            files.append(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path)
        }
        files = FilePath.sortedBytewise(files)
        let missing = walk.missing.map {
            RecordError(.sr017Unreadable, file: $0, reason: "the corpus root does not exist")
        }
        return (files, missing + walk.errors)
    }

    private static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." { parts.append(part) }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// Builds the manifest text for the records under `root`.
    ///
    /// - Parameters:
    ///   - root: the corpus root.
    ///   - key: a key with a `mac`.
    ///   - walker: the include pattern (as the audit's) and the working directory relative
    ///     paths start from (``CorpusWalker/workingDirectory``); messages name them as given.
    ///   - excluding: the manifest's own path, never listed.
    ///   - sizeLimit: the largest record read.
    /// - Returns: the manifest text.
    /// - Throws: ``RecordError``: `.refused` for a key without `mac` or a path holding a
    ///   newline, carriage return or backslash (named); SR017 for an unreadable record.
    public static func build(
        root: String, key: SecuredKey, walker: CorpusWalker = CorpusWalker(), excluding: String? = nil,
        sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> String {
        guard key.authenticationKey != nil || key.signingKey != nil else {
            throw RecordError(
                .refused, file: root, reason: "key '\(key.id)' has neither 'mac' nor 'sign': it cannot sign a manifest")
        }
        let (files, errors) = relativeFiles(root: root, walker: walker, excluding: excluding)
        if let first = errors.first { throw first }
        var body = ""
        let prefix = root.hasSuffix("/") ? root : root + "/"
        for file in files {
            if file.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\\" }) {
                throw RecordError(
                    .refused, file: prefix + file,
                    reason:
                        "path holds a newline, carriage return or backslash; sha256sum would escape it, so it cannot be listed"
                )
            }
            let bytes = try RecordFile.read(prefix + file, sizeLimit: sizeLimit, in: walker.workingDirectory)
            body += Hex.encode(SHA256.hash(bytes)) + "  " + file + "\n"
        }
        // The HMAC line when the key has `mac`; with `sign`, the detached `.minisig` (``write``).
        guard let macKey = key.authenticationKey else { return body }
        let tag = tag(Array(body.utf8), macKey: macKey)
        return body + signaturePrefix + " " + SignatureValue(keyID: key.id, tag: tag).serialized + "\n"
    }

    /// What ``write(root:key:walker:out:sizeLimit:)`` wrote.
    public struct Written: Sendable, Codable {
        /// The manifest's path.
        public var path: String
        /// Number of records listed.
        public var records: Int
        /// The key that signed it.
        public var keyID: String
        /// Whether it carries the HMAC line.
        public var hmacLine: Bool
        /// The detached signature written beside it, if any.
        public var minisig: String?
        /// A stale detached signature removed (the key has no `sign`), if any.
        public var removedMinisig: String?
    }

    /// Builds the manifest of the records under `root` and writes it atomically, replacing
    /// an existing manifest (its mode kept) or creating a new one (mode 0644).
    ///
    /// - Parameters:
    ///   - root: the corpus root.
    ///   - key: a key with `mac`, `sign` or both.
    ///   - walker: the include pattern (as the audit's) and the working directory relative
    ///     paths start from (``CorpusWalker/workingDirectory``); messages name them as given.
    ///   - out: where to write it; by default `ROOT/MANIFEST.sha256`.
    ///   - sizeLimit: the largest record read.
    /// - Returns: what was written.
    /// - Throws: what ``build(root:key:walker:excluding:sizeLimit:)`` throws, `.io` when it
    ///   cannot be written.
    public static func write(
        root: String, key: SecuredKey, walker: CorpusWalker = CorpusWalker(), out: String? = nil,
        sizeLimit: Int = Record.defaultSizeLimit
    ) throws(RecordError) -> Written {
        let path = out ?? (root.hasSuffix("/") ? root : root + "/") + defaultName
        if let problem = nameProblem(path) { throw RecordError(.refused, file: path, reason: problem) }
        let text = try build(root: root, key: key, walker: walker, excluding: path, sizeLimit: sizeLimit)
        let bytes = Array(text.utf8)
        try replaceOrCreate(path, bytes, in: walker.workingDirectory)
        let minisig = path + minisigSuffix
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var written = Written(
            path: path, records: bytes.count { $0 == 0x0A } - (key.authenticationKey == nil ? 0 : 1), keyID: key.id,
            hmacLine: key.authenticationKey != nil)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if let detached = try detachedSignature(of: bytes, name: name, key: key, timestamp: Int(now.tv_sec)) {
            try replaceOrCreate(minisig, Array(detached.utf8), in: walker.workingDirectory)
            written.minisig = minisig
        } else if FilePath.kind(FilePath.resolved(minisig, in: walker.workingDirectory)) != nil {
            // It signs an older manifest and could no longer match.
            guard FilePath.removeFile(FilePath.resolved(minisig, in: walker.workingDirectory)) else {
                throw RecordError(
                    .io, file: minisig, reason: "cannot remove the stale signature: \(RecordFile.errnoText())")
            }
            written.removedMinisig = minisig
        }
        return written
    }

    /// Writes `path`, resolved from `workingDirectory` (``FilePath/resolved(_:in:)``), errors
    /// naming it as given.
    private static func replaceOrCreate(_ path: String, _ bytes: [UInt8], in workingDirectory: String?)
        throws(RecordError)
    {
        let file = FilePath.resolved(path, in: workingDirectory)
        do {
            try AtomicFileWriter.replaceOrCreate(file, bytes)
        } catch {
            var error = error
            if error.file == file { error.file = path }
            throw error
        }
    }

    /// The corpus root a manifest describes when none is given: its folder, as `sha256sum -c`
    /// run there assumes ("." for a bare name).
    public static func defaultRoot(of manifest: String) -> String {
        guard let slash = manifest.lastIndex(of: "/") else { return "." }
        let dir = String(manifest[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    static let signaturePrefix = "# signature:"

    static func tag(_ body: [UInt8], macKey: SymmetricKey) -> [UInt8] {
        SignatureValue.tag(domain: domain, macKey: macKey) { feed in body.withUnsafeBytes { feed($0) } }
    }

    /// Checks a manifest against the records under `root`: its lines (SR018), its
    /// signatures (SR019), then every record's SHA-256 (SR018).
    ///
    /// - Parameters:
    ///   - manifest: the manifest file.
    ///   - root: the corpus root (the manifest's folder, as `sha256sum -c` run there assumes).
    ///   - keys: keys for the signature; with none, the signature is not checked (a note says so).
    ///   - walker: the include pattern (as the audit's) and the working directory relative
    ///     paths start from (``CorpusWalker/workingDirectory``); messages name them as given.
    ///   - sizeLimit: the largest record read.
    /// - Returns: SR017, SR018 and SR019 findings, notes, and the records compared (for the
    ///   report's counts).
    public static func check(
        manifest: String, root: String, keys: KeyRing, walker: CorpusWalker = CorpusWalker(),
        sizeLimit: Int = Record.defaultSizeLimit
    ) -> (findings: [RecordError], notes: [Note], records: [String]) {
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(manifest, sizeLimit: maximumSize, in: walker.workingDirectory)
        } catch {
            return (
                [RecordError(.sr018ManifestMismatch, file: manifest, reason: "manifest unreadable: \(error.reason)")],
                [], []
            )
        }
        let parsed = Parsed(bytes, file: manifest)
        let signatures = checkSignatures(
            parsed, bytes: bytes, manifest: manifest, keys: keys, workingDirectory: walker.workingDirectory)
        let compared = compare(parsed.entries, manifest: manifest, root: root, walker: walker, sizeLimit: sizeLimit)
        return (parsed.findings + signatures.findings + compared.findings, signatures.notes, compared.records)
    }
}
