import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new key file (mode 0600) and its public key file, and print the id and fingerprint.",
            discussion: """
                The key file goes to ~/.config/secured/<id>.key by default (or $XDG_CONFIG_HOME/secured), outside every repository: a secret key must never be committed, and keygen warns when told to write one inside a git work tree. The AES-256 key (enc), the HMAC-SHA256 key (mac) and the Ed25519 key (sign) are drawn from OpenSSL's CSPRNG. The key bytes are written to the file only, never printed. The public key file (same name, .pub instead of .key, mode 0644) is in minisign's format: it holds nothing secret, belongs in the repository, and lets anyone verify ed25519 signatures and the manifest's .minisig without the secret key. Existing files are never overwritten.

                With --add-sign KEYFILE, an existing version 1 key (enc and mac) gains a fresh 'sign' (every other line, the file's mode and the fingerprint are kept) and its .pub is written; then 'secured sign' moves the records to public verification, with no re-sealing.

                Examples:
                  secured keygen --id site-2026      # ~/.config/secured/site-2026.key
                  secured keygen --add-sign ~/.config/secured/site-2025.key

                Stdout holds "<id> <fingerprint>", or with --format json one document with the id, fingerprint and paths.

                Exit status: 0 written; 1 a file exists or cannot be written; 2 usage error.
                """)

        @Option(help: ArgumentHelp("Key id: 1-64 of [A-Za-z0-9._-].", valueName: "id"))
        var id: String = "key"

        @Option(
            help: ArgumentHelp(
                "Where to write the key file (default: ~/.config/secured/<id>.key, or $XDG_CONFIG_HOME/secured/<id>.key: outside every repository).",
                valueName: "path"))
        var out: String?

        @Option(help: ArgumentHelp("Give this existing key file a 'sign' instead.", valueName: "keyfile"))
        var addSign: String?

        @OptionGroup var output: FormatOptions<PlainFormats>

        struct Document: Encodable {
            var command = "keygen"
            var id: String
            var fingerprint: String
            var path: String
            var publicKeyPath: String
            var minisignKeyID: String
        }

        func validate() throws {
            guard SecuredKey.isValidID(id) else { throw ValidationError("--id must be 1-64 of [A-Za-z0-9._-]") }
            if addSign != nil && out != nil {
                throw ValidationError("--add-sign takes the key file itself; drop --out")
            }
        }

        func run() throws {
            let written: KeyFileOperations.Written
            if let addSign {
                try CorpusScope.refuseMissing(!FilePath.exists(addSign) ? [addSign] : [])
                written = try KeyFileOperations.addSign(to: addSign)
            } else {
                let path = out ?? KeyFileOperations.userKeyFolder().map { "\($0)/\(id).key" } ?? "\(id).key"
                for folder in try KeyFileOperations.makeMissingFolders(above: path) {
                    Output.error("created folder \(FilePath.display(folder)) (mode 0700)")
                }
                written = try KeyFileOperations.generate(id: id, at: path, created: Output.utcTimestamp())
            }
            if let warning = KeyFileOperations.workTreeWarning(
                for: written.keyPath, workingDirectory: WorkingDirectory.current)
            {
                Output.error(warning)
            }
            let key = written.key
            let pub = key.publicKey!
            if output.format == .json {
                Output.json(
                    Document(
                        id: key.id, fingerprint: key.fingerprint, path: FilePath.display(written.keyPath),
                        publicKeyPath: FilePath.display(written.publicKeyPath), minisignKeyID: pub.minisignKeyID))
            } else {
                Output.data("\(key.id) \(key.fingerprint)\n")
            }
            let what =
                addSign == nil
                ? "wrote \(FilePath.display(written.keyPath)) (mode 0600)"
                : "added 'sign' to \(FilePath.display(written.keyPath))"
            Output.error(
                "\(what): key \(key.id), fingerprint \(key.fingerprint); public key \(FilePath.display(written.publicKeyPath)) (minisign key ID \(pub.minisignKeyID))"
            )
        }
    }

}
