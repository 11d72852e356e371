import SecuredCrypto

extension Manifest {
    /// A manifest's lines (SPEC section 6): its entries, its `# signature:` line, and what is
    /// wrong with them (SR018 for a malformed, repeated or out-of-order line; SR019 for a
    /// signature line that is repeated or not last).
    struct Parsed {
        /// One entry a record: its path, its SHA-256 in hex, its line.
        var entries: [(path: String, digest: String, line: Int)] = []
        /// The `# signature:` line and its number, if any.
        var signatureLine: (text: String, number: Int)?
        /// Where the signed bytes end (the start of the signature line).
        var bodyEnd = 0
        /// What is wrong with the lines.
        var findings: [RecordError] = []

        init(_ bytes: [UInt8], file manifest: String) {
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
            // Everything up to the last line: entries; the last non-empty line: the signature.
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
                                .sr019ManifestSignature, file: manifest, line: number, reason: "a second signature line"
                            ))
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
                guard let entry = Manifest.parseEntry(text) else {
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
