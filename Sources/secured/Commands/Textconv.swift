import ArgumentParser
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Secured {
    struct Textconv: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a record with its body opened, for git diff (a textconv driver).",
            discussion: """
                Prints the front matter without its 'secured' and 'signature' lines, then the plaintext — whenever 'open' would open the record with the keys available (--key, SECURED_KEY, the policy's keys). Otherwise (no key, only a public key, a signature that fails, not a record) it prints the file unchanged and one line saying why. It always exits 0 (a failing textconv makes git diff stop) and never writes a file.

                Set up, once per clone:
                  echo '*.md diff=secured' >> .gitattributes
                  git config diff.secured.textconv "secured textconv"

                Never set diff.secured.cachetextconv: git would store the plaintext in refs/notes/textconv.

                Exit status: always 0 (errors are the marker line).
                """)

        @Argument(help: ArgumentHelp("The file git passes.", valueName: "file"))
        var file: String

        @OptionGroup var keys: KeyOptions

        @Flag(help: "Ignore policy files (.secured.yaml).")
        var noPolicy = false

        func run() {
            // git hands the old side over as a temporary file: the policy is the one of the
            // current folder (git runs textconv at the work tree's root) when the file has none.
            if !noPolicy && processPolicies.policy(for: file) == nil {
                _ = processPolicies.policy(for: ".", isFolder: true)
            }
            let bytes: [UInt8]
            do {
                bytes = try RecordFile.read(file)
            } catch {
                // Not read whole (over the size limit): shown unchanged all the same, streamed,
                // so that git diff still shows every change in it.
                if let (count, last) = try? RecordFile.stream(file, { Output.writeAll(1, $0) }) {
                    Output.data(
                        (last == 0x0A || count == 0 ? "" : "\n") + "[secured textconv: not opened: \(error.reason)]\n")
                } else {
                    Output.data("[secured textconv: cannot read \(FilePath.display(file)): \(error.reason)]\n")
                }
                return
            }
            func unchanged(_ why: String?) {
                Output.dataBytes(bytes)
                if let why {
                    Output.data(
                        (bytes.last == 0x0A || bytes.isEmpty ? "" : "\n") + "[secured textconv: not opened: \(why)]\n")
                }
            }
            guard let record = try? Record(parsing: bytes, file: file), record.readBlob() != nil else {
                unchanged(nil)  // not a sealed record: nothing to open
                return
            }
            let ring: KeyRing
            do {
                ring = try KeyRing.load(
                    paths: keys.keyPaths,
                    policyKeyFiles: noPolicy ? [] : processPolicies.policies.flatMap(\.keyFiles),
                    identities: KeyRing.loadIdentities(paths: keys.age.paths).identities
                ).ring
            } catch {
                unchanged("the keys cannot be loaded (\(error.description))")
                return
            }
            if ring.isEmpty { return unchanged("no key (pass --key or set SECURED_KEY)") }
            if ring.isPublicOnly { return unchanged("only public keys (a public key verifies, it cannot decrypt)") }
            do {
                let (restored, _) = try RecordSealer.openInPlace(record, keys: ring)
                Output.dataBytes(restored.bytes)
            } catch {
                unchanged(error.code.isDiagnostic ? "\(error.code.rawValue) \(error.reason)" : error.reason)
            }
        }
    }
}
