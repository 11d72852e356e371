import ArgumentParser
import SecuredRecords

extension Secured {
    struct Textconv: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a record with its body opened, for git diff (a textconv driver).",
            discussion: """
                Prints the front matter without its 'secured' and 'signature' lines, then the plaintext — whenever 'open' would open the record with the keys available (--key, SECURED_KEY, the policy's keys). Otherwise (no key, only a public key, a signature that fails, not a record) it prints the file unchanged and one line saying why. It always exits 0 (a failing textconv makes git diff stop) and never writes a file.

                Example (set up once per clone):
                  echo '*.md diff=secured' >> .gitattributes
                  git config diff.secured.textconv \\
                    "secured textconv --key ~/.config/secured/site-2026.key"

                git runs the driver with the arguments configured here: the key comes from that --key, from SECURED_KEY in the environment of git diff (SECURED_KEY="$(cat KEYFILE)" git diff), or, with neither, from the policy's keys: a key file it lists, or the secret key in the per-user key folder (~/.config/secured/<id>.key) for each key id it names, as seal, open and the hooks find it. So 'secured textconv' with no --key keeps working after a rotation that updates the policy.

                Never set diff.secured.cachetextconv: git would store the plaintext in refs/notes/textconv.

                Exit status: always 0 (errors are the marker line).
                """)

        @Argument(help: ArgumentHelp("The file git passes.", valueName: "file"))
        var file: String

        @OptionGroup var keys: KeyOptions

        @Flag(help: "Ignore policy files (.secured.yaml).")
        var noPolicy = false

        func run() {
            switch DiffView.of(
                file, keyPaths: noPolicy ? keys.keyPaths : keys.policyKeyPaths(near: [file], announce: false),
                identityPaths: keys.age.paths, passphrasePath: keys.passphrase.path,
                usePolicies: !noPolicy, workingDirectory: WorkingDirectory.current)
            {
            case .opened(let bytes, let authenticated):
                Output.dataBytes(bytes)
                if !authenticated { Self.mark(.unsigned, after: bytes.last) }
            case .unchanged(let bytes, let reason):
                Output.dataBytes(bytes)
                if let reason { Self.mark(.notOpened(reason), after: bytes.last) }
            case .tooLarge(let reason):
                if let (count, last) = try? RecordFile.stream(file, { Output.writeAll(1, $0) }) {
                    Self.mark(.notOpened(reason), after: count == 0 ? nil : last)
                } else {
                    Self.mark(.unreadable(file: file, reason: reason), after: nil)
                }
            case .unreadable(let reason):
                Self.mark(.unreadable(file: file, reason: reason), after: nil)
            }
        }

        /// The marker line after what was shown (``TextconvMarker``): on stdout, where git reads
        /// the driver's text.
        static func mark(_ reason: TextconvMarker.Reason, after last: UInt8?) {
            Output.data(TextconvMarker.line(reason, after: last))
        }
    }
}
