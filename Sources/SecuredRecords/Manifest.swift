import SecuredCrypto

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
        let excluded = excluding.map(normalise)
        var files: [String] = []
        for path in walk.files where normalise(path) != excluded {
            files.append(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path)
        }
        files.sort(by: CorpusWalker.precedes)
        return (files, walk.errors)
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
        guard let macKey = key.authenticationKey else {
            throw RecordError(.refused, file: root, reason: "key '\(key.id)' has no 'mac': it cannot sign a manifest")
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
        let tag = try tag(Array(body.utf8), macKey: macKey, file: root)
        return body + "# signature: v1;\(key.id);\(Base64.encode(tag))\n"
    }

    private static func tag(_ body: [UInt8], macKey: SymmetricKey, file: String) throws(RecordError) -> [UInt8] {
        do {
            var mac = try HMACSHA256(key: macKey)
            try mac.update(domain)
            try mac.update(body)
            return try mac.finalize()
        } catch {
            throw RecordError(.io, file: file, reason: "cannot compute HMAC: \(error)")
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
    ) -> (findings: [RecordError], notes: [String]) {
        var findings: [RecordError] = []
        var notes: [String] = []
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
            if text.hasPrefix("# signature:") {
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
                if !CorpusWalker.precedes(previous.path, entry.path) {
                    findings.append(
                        RecordError(
                            .sr018ManifestMismatch, file: manifest, line: number,
                            reason: "'\(entry.path)' is out of order (paths are sorted bytewise)"))
                }
            }
            entries.append((entry.path, entry.digest, number))
        }

        // The signature.
        if let (text, number) = signatureLine {
            let value = text.dropFirst("# signature:".count).drop { $0 == " " }
            let parts = value.split(separator: ";", omittingEmptySubsequences: false)
            if parts.count != 3 || parts[0] != "v1" || !SecuredKey.isValidID(String(parts[1])) {
                findings.append(
                    RecordError(
                        .sr019ManifestSignature, file: manifest, line: number,
                        reason: "malformed signature: expected '# signature: v1;<key id>;<base64>'"))
            } else if let tag = try? Base64.decode(parts[2]), tag.count == 32 {
                if keys.isEmpty {
                    notes.append("\(manifest):\(number): note: no key supplied; the manifest signature was not checked")
                } else if let key = keys.key(id: String(parts[1])), let macKey = key.authenticationKey {
                    let expected = try? Manifest.tag(Array(bytes[..<bodyEnd]), macKey: macKey, file: manifest)
                    if expected == nil || !ConstantTime.equals(expected!, tag) {
                        findings.append(
                            RecordError(
                                .sr019ManifestSignature, file: manifest, line: number,
                                reason:
                                    "manifest signature does not match key '\(key.id)': the manifest was changed or the key is wrong"
                            ))
                    }
                } else {
                    findings.append(
                        RecordError(
                            .sr019ManifestSignature, file: manifest, line: number,
                            reason: "manifest is signed by key id '\(parts[1])', which was not supplied"))
                }
            } else {
                findings.append(
                    RecordError(
                        .sr019ManifestSignature, file: manifest, line: number,
                        reason: "signature tag is not canonical base64 of 32 bytes"))
            }
        } else {
            findings.append(
                RecordError(.sr019ManifestSignature, file: manifest, reason: "manifest has no '# signature:' line"))
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

    private static func parseEntry(_ text: String) -> (path: String, digest: String)? {
        let utf8 = Array(text.utf8)
        guard utf8.count > 66, utf8[64] == 0x20, utf8[65] == 0x20 else { return nil }
        for c in utf8[..<64] where !((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66)) { return nil }
        let path = String(decoding: utf8[66...], as: UTF8.self)
        guard !path.contains("\r"), !path.contains("\\") else { return nil }
        return (path, String(decoding: utf8[..<64], as: UTF8.self))
    }
}
