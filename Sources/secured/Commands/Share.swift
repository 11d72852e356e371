import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Share: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Encrypt a key file to its holders' age recipients (Keys/<id>.key.age), or write its read-only part, plain or under a passphrase.",
            discussion: """
                With --read-only, writes the key's read-only part instead: its id and enc, nothing that signs (mode 0600, never overwritten). That file, with the .pub of the same id, is what a site's front end or an app holds: it opens records and cannot sign or forge them. It is still secret: it reads every record sealed with the key.

                With --passphrase --label LABEL, writes a passphrase key file instead (Keys/<id>.<label>.key.pw, mode 0644): the read-only part under a passphrase (PBKDF2-HMAC-SHA256, 600,000 iterations; AES-256-GCM), for the readers of a members-only page, who type the passphrase in their browser. It is meant to be published beside the site, so anyone can try passphrases against it offline: use a long one (five random words); shorter than 12 characters is refused. The passphrase comes from --passphrase-file PATH, SECURED_PASSPHRASE, or the terminal (asked twice, never shown). Fresh salt and nonce every time; an existing file is replaced atomically. One file per group of readers, each with its own label and passphrase; removing a group means deleting its file and rotating the key.

                The result is an armored age file that can be committed beside Keys/<id>.pub: each holder opens it with their own identity (--identity PATH or SECURED_AGE_IDENTITY), in memory, wherever keys load. A new random file key is used every time. Run it again with a new list of recipients to add or remove holders: the file is replaced atomically. KEYFILE may itself be the .key.age (re-sharing with --identity, no plaintext key file needed).

                Removing a holder does not take back a copy they made: rotate the key itself (secured rotate) when someone leaves.

                Examples:
                  secured share ~/.config/secured/site.key -r age1… -r age1… \\
                    --out Keys/site.key.age
                  secured share Keys/site.key.age --identity ~/.config/secured/identity.txt \\
                    -R Keys/holders.txt --out Keys/site.key.age
                  secured share ~/.config/secured/site.key --read-only \\
                    --out app/site.readonly.key
                  secured share ~/.config/secured/site.key --passphrase --label members \\
                    --out Keys/site.members.key.pw

                Exit status: 0 written; 1 the key file or the output cannot be used; 2 usage error (no recipient, a bad recipient, a passphrase shorter than 12 characters, no passphrase and no terminal).
                """)

        @Argument(
            help: ArgumentHelp("The key file to share (a .key, or a .key.age to re-share).", valueName: "keyfile"))
        var keyFile: String

        @Option(name: .customShort("r"), help: ArgumentHelp("A recipient, age1… (repeatable).", valueName: "age1…"))
        var recipients: [String] = []

        @Option(
            name: .customShort("R"),
            help: ArgumentHelp("A file of recipients, one per line, # comments (repeatable).", valueName: "file"))
        var recipientFiles: [String] = []

        @Flag(
            help: "Write the key's read-only part (id and enc: opens, cannot sign) instead of an age file.")
        var readOnly = false

        @Flag(
            help:
                "Write the key's read-only part under a passphrase (Keys/<id>.<label>.key.pw), for readers in a browser."
        )
        var passphrase = false

        @Option(
            help: ArgumentHelp(
                "With --passphrase: the group of readers who share the passphrase (1-32 of [A-Za-z0-9_-]).",
                valueName: "label"))
        var label: String?

        @Option(
            help: ArgumentHelp(
                "Where to write the armored age file, e.g. Keys/site.key.age (with --read-only: the read-only key file; with --passphrase: Keys/<id>.<label>.key.pw).",
                valueName: "path"))
        var out: String

        @OptionGroup var age: IdentityOptions

        @OptionGroup var passphraseSource: PassphraseOptions

        @OptionGroup var output: FormatOptions<PlainFormats>

        struct Document: Encodable {
            var path: String
            var keyID: String
            var recipients: [String]
            var replaced: Bool
        }

        func validate() throws {
            if readOnly && !(recipients.isEmpty && recipientFiles.isEmpty) {
                throw ValidationError("--read-only writes a plain read-only key file: it takes no -r or -R")
            }
            if passphrase && (readOnly || !(recipients.isEmpty && recipientFiles.isEmpty)) {
                throw ValidationError("--passphrase writes a passphrase key file: it takes no --read-only, -r or -R")
            }
            if passphrase != (label != nil) {
                throw ValidationError(
                    passphrase ? "--passphrase needs --label LABEL" : "--label goes with --passphrase")
            }
        }

        func run() throws {
            try CorpusScope.refuseMissing(!FilePath.exists(keyFile) ? [keyFile] : [])
            // Re-sharing a .key.age in place (to new recipients) rewrites the whole key: allowed.
            let reshare = !readOnly && !passphrase && KeyFileOperations.isAgeKeyFile(keyFile)
            try KeyFileOperations.refuseWritingOverKeys(
                [out], inputs: (reshare ? [] : [keyFile]) + age.paths + [passphraseSource.path].compactMap { $0 })
            if readOnly { return try writeReadOnly() }
            if passphrase { return try writePassphraseKey() }
            let list: [AgeRecipient]
            do {
                list = try KeyFileOperations.recipients(recipients, files: recipientFiles)
            } catch {
                throw ConfigurationError(.usage, error.file == "-r" ? error.reason : error.description)
            }
            let identities = try age.load()
            let shared: KeyFileOperations.Shared
            shared = try KeyFileOperations.share(
                keyFile: keyFile, identities: identities, recipients: list, out: out)
            if output.format == .json {
                Output.json(
                    Document(
                        path: FilePath.display(shared.path), keyID: shared.key.id,
                        recipients: shared.recipients.map(\.description), replaced: shared.replaced))
            }
            let name = shared.path.split(separator: "/").last.map(String.init) ?? shared.path
            if name != "\(shared.key.id).key.age" {
                Output.error("note: key '\(shared.key.id)' is usually shared as Keys/\(shared.key.id).key.age")
            }
            Output.error(
                "\(shared.replaced ? "replaced" : "wrote") \(FilePath.display(shared.path)): key \(shared.key.id) (fingerprint \(shared.key.fingerprint)) for \(shared.recipients.count) recipient\(shared.recipients.count == 1 ? "" : "s"): \(shared.recipients.map(\.description).joined(separator: ", "))"
            )
        }

        struct ReadOnlyDocument: Encodable {
            var path: String
            var keyID: String
            var fingerprint: String
        }

        private func writeReadOnly() throws {
            let key: SecuredKey
            key = try KeyFileOperations.writeReadOnly(keyFile: keyFile, identities: try age.load(), out: out)
            if output.format == .json {
                Output.json(
                    ReadOnlyDocument(path: FilePath.display(out), keyID: key.id, fingerprint: key.fingerprint))
            }
            Output.error(
                "wrote \(FilePath.display(out)) (mode 0600): read-only key \(key.id) (fingerprint \(key.fingerprint): a read-only key has no mac, so its fingerprint is not the full key's); give it, with \(key.id).pub, to what only opens records"
            )
        }

        struct PassphraseDocument: Encodable {
            var path: String
            var keyID: String
            var label: String
            var fingerprint: String
            var replaced: Bool
        }

        private func writePassphraseKey() throws {
            let identities = try age.load()
            let secret = try passphraseSource.required(for: FilePath.display(out), confirm: true)
            let shared = try KeyFileOperations.writePassphraseKey(
                keyFile: keyFile, identities: identities, label: label ?? "", passphrase: secret, out: out)
            if output.format == .json {
                Output.json(
                    PassphraseDocument(
                        path: FilePath.display(out), keyID: shared.key.id, label: shared.label,
                        fingerprint: shared.key.fingerprint, replaced: shared.replaced))
            }
            let name = out.split(separator: "/").last.map(String.init) ?? out
            if name != shared.usualName {
                Output.error("note: this file is usually named \(shared.usualName)")
            }
            Output.error(
                "\(shared.replaced ? "replaced" : "wrote") \(FilePath.display(out)): read-only key \(shared.key.id) (fingerprint \(shared.key.fingerprint): a read-only key has no mac, so its fingerprint is not the full key's) under the passphrase of '\(shared.label)'; publish it beside the site with \(shared.key.id).pub. It protects no more than its passphrase."
            )
        }
    }
}
