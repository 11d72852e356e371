import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one record's or one blob's structure.",
            discussion: """
                Shows lengths, blocks, the IV, the signature's key id and status, and with a key whether the padding checks out and the key's fingerprint. The content itself is shown only with --show-content. A signed record whose signature fails is never decrypted.

                Examples:
                  secured inspect content/posts/a.md
                  secured inspect --blob 'F8oF...==;End7u4JWsuw9WoY+bdGB3w==' --key old.key
                  secured inspect content/posts/a.md --key site-2026.key --show-content
                  secured inspect content/posts/a.md --format json

                Exit status: 0 well-formed (and, with a key, verified and decrypted); 1 a finding of severity error; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("The record (or use --blob).", valueName: "path"))
        var path: String?

        @Option(help: ArgumentHelp("A 'secured' value to inspect instead of a record.", valueName: "blob"))
        var blob: String?

        @OptionGroup var keys: KeyOptions

        @Flag(help: "Print the decrypted content (needs a key).")
        var showContent = false

        @OptionGroup var output: FormatOptions<PlainFormats>

        func validate() throws {
            if (path == nil) == (blob == nil) { throw ValidationError("give either a PATH or --blob, not both") }
            if showContent && output.format == .json {
                throw ValidationError(
                    "--show-content prints the content as text; it does not combine with --format json")
            }
        }

        /// The JSON document: the inspection without the content.
        struct Document: Encodable {
            var command = "inspect"
            var record: Inspection.Layout?
            var blobCharacters: Int?
            var blob: Inspection.Blob?
            var signature: Inspection.Signature?
            var keys: [Inspection.Key]
            var publicKeys: [Inspection.PublicKey]
            var padding: [String: String]?
            var findings: [JSONFinding]
        }

        func run() throws {
            let ring = try keys.load().ring
            if showContent && ring.isEmpty {
                throw ConfigurationError(.noKey, "--show-content needs a key: pass --key PATH or set SECURED_KEY")
            }
            var inspection: Inspection
            if let blob {
                inspection = Inspection(blob: blob, keys: ring)
            } else {
                let path = path!
                try CorpusScope.refuseMissing(!FilePath.exists(path) ? [path] : [])
                do {
                    inspection = Inspection(record: try RecordFileOperations.load(path), keys: ring)
                } catch {
                    if output.format == .json {
                        Output.json(Document(keys: [], publicKeys: [], findings: [JSONFinding(error)]))
                    }
                    throw error
                }
            }
            defer { if inspection.content != nil { secureWipe(&inspection.content!) } }
            if output.format == .json {
                Output.json(
                    Document(
                        record: inspection.layout, blobCharacters: inspection.blobCharacters, blob: inspection.blob,
                        signature: inspection.signature, keys: inspection.keys, publicKeys: inspection.publicKeys,
                        padding: paddingFields(inspection.padding),
                        findings: inspection.findings.map(JSONFinding.init)))
            } else {
                Output.data(text(inspection).joined(separator: "\n") + "\n")
                if showContent, let content = inspection.content {
                    Output.data("content:\n")
                    Output.dataBytes(content)
                }
            }
            try KeyOptions.refuseFailedUnwraps(ring)
            if inspection.failed { throw ExitCode(1) }
        }

        private func paddingFields(_ padding: Inspection.Padding?) -> [String: String]? {
            switch padding {
            case nil: return nil
            case .notChecked(let reason)?: return ["status": "not checked", "reason": reason]
            case .opened(let id, let bytes, let utf8)?:
                return ["status": "opened", "keyID": id, "contentBytes": "\(bytes)", "utf8": "\(utf8)"]
            case .failed(let tried)?: return ["status": "failed", "tried": tried.joined(separator: ",")]
            }
        }

        private func text(_ i: Inspection) -> [String] {
            var out: [String] = []
            var shown = Set<Int>()
            /// The findings about `field` not shown yet, as "SRxxx reason".
            func take(_ field: String?) -> [String] {
                i.findings.indices.filter { !shown.contains($0) && i.findings[$0].field == field }.map { k in
                    shown.insert(k)
                    return "\(i.findings[k].code.rawValue) \(i.findings[k].reason)"
                }
            }
            if let n = i.blobCharacters { out.append("blob: \(n) characters") }
            if let r = i.layout {
                out.append("record: \(FilePath.display(r.path))")
                out.append("  \(r.bytes) bytes, \(r.lineEnds) line ends\(r.hasBOM ? ", BOM" : "")")
                out.append(
                    "  front matter: lines \(r.frontMatterFirstLine)-\(r.frontMatterLastLine), \(r.topLevelKeys) top-level keys"
                )
                out.append(
                    "  body: \(r.bodyBytes) byte\(r.bodyBytes == 1 ? "" : "s")\(r.bodyIsBlank ? " (blank)" : "")")
                out.append(r.securedLine.map { "secured: line \($0)" } ?? "secured: none")
                if i.blob == nil { out += take("secured").map { "  " + $0 } }
                if let s = i.signature, let id = s.keyID, let line = s.line {
                    out.append("signature: line \(line), version \(s.version ?? "?"), key id \(id)")
                    out.append("  status: \(take("signature").first ?? s.status.rawValue)")
                } else if i.signature != nil {
                    out += take("signature").map { "signature: " + $0 }
                } else {
                    out.append("signature: none")
                }
            } else if i.blob == nil {
                out += take("secured").map { "  " + $0 }
            }
            if let b = i.blob {
                out.append("  ciphertext: \(b.ciphertextBytes) bytes, \(b.blocks) blocks of 16")
                out.append("  IV: \(b.iv)")
            }
            for key in i.keys { out.append("key \(key.id): fingerprint \(key.fingerprint)") }
            for key in i.publicKeys where !i.keys.contains(where: { $0.id == key.id }) {
                out.append("public key \(key.id): minisign key ID \(key.minisignKeyID)")
            }
            switch i.padding {
            case .notChecked(let reason)? where !i.keys.isEmpty || !i.publicKeys.isEmpty:
                out.append("  padding: not checked (\(reason))")
            case .opened(let id, let bytes, let utf8)?:
                out.append("  padding: checks out with key \(id); content \(bytes) bytes\(utf8 ? ", UTF-8" : "")")
            case .failed(let tried)?: out.append("  padding: fails with \(tried.joined(separator: ", "))")
            default: break
            }
            out += i.findings.indices.filter { !shown.contains($0) }.map { "  " + i.findings[$0].description }
            return out
        }
    }
}
