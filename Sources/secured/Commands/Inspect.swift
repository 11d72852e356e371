import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show one record's or one blob's structure.",
            discussion: """
                Shows lengths, blocks, the IV, the signature's key id and status, and with a key
                whether the padding checks out and the key's fingerprint. The content itself is
                shown only with --show-content. A signed record whose signature fails is never
                decrypted.

                Examples:
                  secured inspect content/posts/a.md
                  secured inspect --blob 'F8oF...==;End7u4JWsuw9WoY+bdGB3w==' --key old.key
                  secured inspect content/posts/a.md --key site-2026.key --show-content

                Exit status: 0 well-formed (and, with a key, verified and decrypted); 1 a finding
                of severity error; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("The record (or use --blob).", valueName: "path"))
        var path: String?

        @Option(help: ArgumentHelp("A 'secured' value to inspect instead of a record.", valueName: "blob"))
        var blob: String?

        @OptionGroup var keys: KeyOptions

        @Flag(help: "Print the decrypted content (needs a key).")
        var showContent = false

        func validate() throws {
            if (path == nil) == (blob == nil) { throw ValidationError("give either a PATH or --blob, not both") }
        }

        func run() throws {
            let ring = try keys.loadRing()
            if showContent && ring.isEmpty {
                Output.error("error: --show-content needs a key: pass --key PATH or set SECURED_KEY")
                throw ExitCode(2)
            }
            var out: [String] = []
            var failed = false
            var value: SealedValue?
            var signatureCheck: SignatureCheck = .unsigned
            var signatureFailed = false
            if let blob {
                out.append("blob: \(blob.utf8.count) characters")
                let defects = SealedValue.defects(in: blob)
                for d in defects { out.append("  \(d.code) \(d.description)") }
                failed = !defects.isEmpty
                value = try? SealedValue(parsing: blob)
            } else if let path {
                let record: Record
                do {
                    record = try RecordFileOperations.load(path)
                    try FrontMatterValidator.validate(record)
                } catch {
                    Output.error(error.description)
                    throw ExitCode(1)
                }
                out.append("record: \(path)")
                out.append(
                    "  \(record.bytes.count) bytes, \(record.lineTerminator == .crlf ? "CRLF" : "LF") line ends\(record.hasBOM ? ", BOM" : "")"
                )
                out.append(
                    "  front matter: lines \(record.openingLine.number)-\(record.closingLine.number), \(record.topLevelLines.count) top-level keys"
                )
                out.append(
                    "  body: \(record.body.count) byte\(record.body.count == 1 ? "" : "s")\(record.isBodyBlank ? " (blank)" : "")"
                )
                if let line = record.securedLine {
                    out.append("secured: line \(line.line.number)")
                    do {
                        value = try RecordSealer.blob(of: record)
                    } catch {
                        out.append("  \(error.code.rawValue) \(error.reason)")
                        failed = true
                    }
                    if !record.isBodyBlank {
                        out.append("  SR016 sealed record still has a non-blank body")
                        failed = true
                    }
                } else {
                    out.append("secured: none")
                }
                switch RecordSigner.signature(of: record) {
                case .success(nil): out.append("signature: none")
                case .success(let sig?):
                    out.append("signature: line \(sig.line), version v1, key id \(sig.keyID)")
                    switch RecordSigner.verify(record, keys: ring) {
                    case .success(let check):
                        signatureCheck = check
                        out.append(
                            "  status: \(check == .notChecked(keyID: sig.keyID) ? "not checked (no key given)" : "valid")"
                        )
                    case .failure(let error):
                        out.append("  status: \(error.code.rawValue) \(error.reason)")
                        failed = true
                        signatureFailed = true
                    }
                case .failure(let error):
                    out.append("signature: \(error.code.rawValue) \(error.reason)")
                    failed = true
                    signatureFailed = true
                }
            }
            var content: [UInt8]?
            if let value {
                out.append("  ciphertext: \(value.ciphertext.count) bytes, \(value.blockCount) blocks of 16")
                out.append("  IV: \(value.iv)")
                for key in ring.keys {
                    out.append("key \(key.id): fingerprint \(key.fingerprint)")
                }
                if !ring.isEmpty {
                    if signatureFailed {
                        out.append("  padding: not checked (the signature failed; nothing is decrypted)")
                    } else {
                        var candidates = ring.keys
                        if case .valid(let id) = signatureCheck { candidates = ring.keys.filter { $0.id == id } }
                        var opened = false
                        for key in candidates {
                            if let plain = try? AESCBC.decrypt(value.ciphertext, using: key.encryptionKey, iv: value.iv)
                            {
                                out.append(
                                    "  padding: checks out with key \(key.id); content \(plain.count) bytes\(Record.isValidUTF8(plain[...]) ? ", UTF-8" : ", not UTF-8 (SR013)")"
                                )
                                content = plain
                                opened = true
                                break
                            }
                        }
                        if !opened {
                            out.append("  padding: SR012 fails with \(candidates.map(\.id).joined(separator: ", "))")
                            failed = true
                        }
                    }
                }
            }
            Output.data(out.joined(separator: "\n") + "\n")
            if showContent, var content {
                Output.data("content:\n")
                Output.dataBytes(content)
                secureWipe(&content)
            }
            if failed { throw ExitCode(1) }
        }
    }
}
