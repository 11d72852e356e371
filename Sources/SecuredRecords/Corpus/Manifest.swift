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
        files.sort(by: FilePath.precedes)
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
    ///   - walker: the include pattern (as the audit's).
    ///   - excluding: the manifest's own path, never listed.
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
            let bytes = try RecordFile.read(prefix + file, sizeLimit: sizeLimit)
            let digest: [UInt8]
            do { digest = try SHA256.hash(bytes) } catch {
                throw RecordError(.io, file: prefix + file, reason: "cannot hash: \(error)")
            }
            body += Hex.encode(digest) + "  " + file + "\n"
        }
        // The HMAC line when the key has `mac`; with `sign`, the detached `.minisig` (``write``).
        guard let macKey = key.authenticationKey else { return body }
        let tag = try tag(Array(body.utf8), macKey: macKey, file: root)
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
    ///   - out: where to write it; by default `ROOT/MANIFEST.sha256`.
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
        try AtomicFileWriter.replaceOrCreate(path, bytes)
        let minisig = path + minisigSuffix
        let name = String(path.split(separator: "/").last ?? Substring(path))
        var written = Written(
            path: path, records: bytes.count { $0 == 0x0A } - (key.authenticationKey == nil ? 0 : 1), keyID: key.id,
            hmacLine: key.authenticationKey != nil)
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        if let detached = try detachedSignature(of: bytes, name: name, key: key, timestamp: Int(now.tv_sec)) {
            try AtomicFileWriter.replaceOrCreate(minisig, Array(detached.utf8))
            written.minisig = minisig
        } else if FilePath.kind(minisig) != nil {
            // It signs an older manifest and could no longer match.
            guard FilePath.removeFile(minisig) else {
                throw RecordError(
                    .io, file: minisig, reason: "cannot remove the stale signature: \(RecordFile.errnoText())")
            }
            written.removedMinisig = minisig
        }
        return written
    }

    /// The corpus root a manifest describes when none is given: its folder, as `sha256sum -c`
    /// run there assumes ("." for a bare name).
    public static func defaultRoot(of manifest: String) -> String {
        guard let slash = manifest.lastIndex(of: "/") else { return "." }
        let dir = String(manifest[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    private static let signaturePrefix = "# signature:"

    private static func tag(_ body: [UInt8], macKey: SymmetricKey, file: String) throws(RecordError) -> [UInt8] {
        try SignatureValue.tag(domain: domain, macKey: macKey, file: file) { feed in
            try body.withUnsafeBytes { try feed($0) }
        }
    }

    /// Checks a manifest against the records under `root`.
    ///
    /// - Parameters:
    ///   - manifest: the manifest file.
    ///   - root: the corpus root (the manifest's folder, as `sha256sum -c` run there assumes).
    ///   - keys: keys for the signature; with none, the signature is not checked (a note says so).
    ///   - walker: the include pattern (as the audit's).
    /// - Returns: SR018 and SR019 findings, and notes.
    public static func check(
        manifest: String, root: String, keys: KeyRing, walker: CorpusWalker = CorpusWalker(),
        sizeLimit: Int = Record.defaultSizeLimit
    ) -> (findings: [RecordError], notes: [Note]) {
        var findings: [RecordError] = []
        var notes: [Note] = []
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(manifest, sizeLimit: maximumSize)
        } catch {
            return (
                [RecordError(.sr018ManifestMismatch, file: manifest, reason: "manifest unreadable: \(error.reason)")],
                []
            )
        }
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
        // Everything up to the last line: entries; the last non-empty line: the signature.
        var entries: [(path: String, digest: String, line: Int)] = []
        var signatureLine: (text: String, number: Int)?
        var bodyEnd = 0
        var offset = 0
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let lineStart = offset
            offset += raw.count + 1
            if index == lines.count - 1 && raw.isEmpty { break }  // after the final newline
            let text = String(decoding: raw, as: UTF8.self)
            if text.hasPrefix(signaturePrefix) {
                if signatureLine != nil {
                    findings.append(
                        RecordError(
                            .sr019ManifestSignature, file: manifest, line: number, reason: "a second signature line"))
                }
                signatureLine = (text, number)
                bodyEnd = lineStart
                continue
            }
            if signatureLine != nil {
                findings.append(
                    RecordError(
                        .sr019ManifestSignature, file: manifest, line: number,
                        reason: "line after the signature line; the signature must be last"))
                continue
            }
            guard let entry = parseEntry(text) else {
                findings.append(
                    RecordError(
                        .sr018ManifestMismatch, file: manifest, line: number,
                        reason: "malformed line: expected '<64 hex>  <path>'"))
                continue
            }
            if let previous = entries.last {
                if previous.path == entry.path {
                    findings.append(
                        RecordError(
                            .sr018ManifestMismatch, file: manifest, line: number,
                            reason: "'\(entry.path)' is listed twice"))
                    continue
                }
                if !FilePath.precedes(previous.path, entry.path) {
                    findings.append(
                        RecordError(
                            .sr018ManifestMismatch, file: manifest, line: number,
                            reason: "'\(entry.path)' is out of order (paths are sorted bytewise)"))
                }
            }
            entries.append((entry.path, entry.digest, number))
        }

        // The signatures: the HMAC line, the detached .minisig, or both (SPEC section 6).
        var verified: [String] = []
        var unverifiable: [String] = []
        var signatureFindings = 0
        func signatureFinding(_ line: Int?, _ file: String, _ reason: String) {
            findings.append(RecordError(.sr019ManifestSignature, file: file, line: line, reason: reason))
            signatureFindings += 1
        }
        if let (text, number) = signatureLine {
            let value = text.dropFirst(signaturePrefix.count).drop { $0 == " " }
            switch SignatureValue.parse(value) {
            case .failure(let problem):
                signatureFinding(number, manifest, "malformed signature line: \(problem.reason)")
            case .success(let signature) where signature.algorithm != .hmacSHA256:
                signatureFinding(
                    number, manifest,
                    "malformed signature line: it holds HMAC (v1) signatures only; the Ed25519 one is the .minisig")
            case .success(let signature) where keys.isEmpty:
                unverifiable.append("the '# signature:' line (key '\(signature.keyID)')")
            case .success(let signature):
                if let key = keys.key(id: signature.keyID), let macKey = key.authenticationKey {
                    let expected = try? Manifest.tag(Array(bytes[..<bodyEnd]), macKey: macKey, file: manifest)
                    if expected.map({ ConstantTime.equals($0, signature.tag) }) == true {
                        verified.append("the '# signature:' line (HMAC, key '\(key.id)')")
                    } else {
                        signatureFinding(
                            number, manifest,
                            "manifest signature does not match key '\(key.id)': the manifest was changed or the key is wrong"
                        )
                    }
                } else {
                    unverifiable.append(
                        "the '# signature:' line: key '\(signature.keyID)' was not supplied as a secret key with 'mac'")
                }
            }
        }
        let minisigPath = manifest + minisigSuffix
        let hasMinisig = FilePath.kind(minisigPath) != nil
        if hasMinisig {
            switch readMinisig(minisigPath) {
            case .failure(let problem) where !keys.isEmpty:
                signatureFinding(problem.line, minisigPath, "malformed detached signature: \(problem.reason)")
            case .failure: unverifiable.append("the detached signature \(FilePath.display(minisigPath)) (malformed)")
            case .success where keys.isEmpty:
                unverifiable.append("the detached signature \(FilePath.display(minisigPath))")
            case .success(let signature):
                if let pub = keys.publicKey(keyNumber: signature.keyNumber) {
                    switch (try? signature.verify(bytes, with: pub.key)) ?? .signatureFails {
                    case .valid:
                        verified.append("the detached signature (Ed25519, key '\(pub.id)')")
                    case .signatureFails:
                        signatureFinding(
                            nil, minisigPath,
                            "detached signature does not match public key '\(pub.id)': the manifest was changed or the key is wrong"
                        )
                    case .trustedCommentFails:
                        signatureFinding(
                            nil, minisigPath,
                            "the trusted comment of the detached signature was changed (global signature fails)")
                    }
                } else {
                    unverifiable.append(
                        "the detached signature: no supplied public key has minisign key ID \(SecuredPublicKey.minisignKeyID(of: signature.keyNumber))"
                    )
                }
            }
        }
        if signatureLine == nil && !hasMinisig {
            signatureFinding(nil, manifest, "manifest has neither a '# signature:' line nor a detached .minisig")
        } else if keys.isEmpty {
            notes.append(
                Note(
                    .manifestSignatureNotChecked, path: manifest, line: signatureLine?.number,
                    message: "no key supplied; not checked: \(unverifiable.joined(separator: "; "))"))
        } else if verified.isEmpty && signatureFindings == 0 {
            signatureFinding(
                signatureLine?.number, manifest,
                "no signature of the manifest could be checked with the supplied keys: \(unverifiable.joined(separator: "; "))"
            )
        } else {
            if !verified.isEmpty {
                notes.append(
                    Note(
                        .manifestSignatureVerified, path: manifest,
                        message: "verified: \(verified.joined(separator: "; "))"))
            }
            if !unverifiable.isEmpty && signatureFindings == 0 {
                notes.append(
                    Note(
                        .manifestSignatureNotChecked, path: manifest,
                        message: "not checked: \(unverifiable.joined(separator: "; "))"))
            }
        }

        // The records.
        let (files, errors) = relativeFiles(root: root, walker: walker, excluding: manifest)
        findings += errors
        let listed = Dictionary(entries.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        let present = Set(files)
        let prefix = root.hasSuffix("/") ? root : root + "/"
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
            guard let data = try? RecordFile.read(prefix + file, sizeLimit: sizeLimit),
                let digest = try? SHA256.hash(data)
            else {
                findings.append(RecordError(.sr017Unreadable, file: prefix + file, reason: "cannot read to hash"))
                continue
            }
            if Hex.encode(digest) != entry.digest {
                findings.append(
                    RecordError(
                        .sr018ManifestMismatch, file: prefix + file,
                        reason: "SHA-256 differs from the manifest \(manifest):\(entry.line) (changed)"))
            }
        }
        return (findings, notes)
    }

    /// The detached signature beside a manifest, parsed.
    private static func readMinisig(_ path: String) -> Result<MinisignSignature, MinisignSignature.FormatError> {
        guard let bytes = try? RecordFile.read(path, sizeLimit: 64 * 1024), Record.isValidUTF8(bytes[...]) else {
            return .failure(.init(line: nil, reason: "unreadable, over 64 KiB, or not UTF-8"))
        }
        do {
            return .success(try MinisignSignature(parsing: String(decoding: bytes, as: UTF8.self)))
        } catch {
            return .failure(error)
        }
    }

    private static func parseEntry(_ text: String) -> (path: String, digest: String)? {
        let utf8 = Array(text.utf8)
        guard utf8.count > 66, utf8[64] == 0x20, utf8[65] == 0x20 else { return nil }
        for c in utf8[..<64] where !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) { return nil }
        let path = String(decoding: utf8[66...], as: UTF8.self)
        guard !path.contains("\r"), !path.contains("\\") else { return nil }
        return (path, String(decoding: utf8[..<64], as: UTF8.self))
    }
}
