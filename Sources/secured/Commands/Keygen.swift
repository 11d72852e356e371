import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new key file (mode 0600) and print its id and fingerprint.",
            discussion: """
                Both the AES-256 key (enc) and the HMAC-SHA256 key (mac) are drawn from OpenSSL's CSPRNG. The key bytes are written to the file only, never printed. An existing file is never overwritten.

                Example:
                  secured keygen --id site-2026 --out ~/.config/secured/site-2026.key

                Stdout holds "<id> <fingerprint>", or with --format json one document with the id, fingerprint and path.

                Exit status: 0 written; 1 the file exists or cannot be written; 2 usage error.
                """)

        @Option(help: ArgumentHelp("Key id: 1-64 of [A-Za-z0-9._-].", valueName: "id"))
        var id: String = "key"

        @Option(help: ArgumentHelp("Where to write the key file (default: <id>.key).", valueName: "path"))
        var out: String?

        @Option(help: ArgumentHelp("text or json (one document on stdout).", valueName: "format"))
        var format: CommandFormat = .text

        struct Document: Encodable {
            var command = "keygen"
            var id: String
            var fingerprint: String
            var path: String
        }

        func validate() throws {
            guard SecuredKey.isValidID(id) else { throw ValidationError("--id must be 1-64 of [A-Za-z0-9._-]") }
        }

        func run() throws {
            let path = out ?? "\(id).key"
            let created = Output.utcTimestamp()
            let key = try SecuredKey.generate(id: id, created: created)
            let text = key.keyFileText(comment: [
                "secured key file. SECRET: anyone holding it can read and forge records.",
                "Keep it out of version control; pass it to CI as the SECURED_KEY secret.",
            ])
            do {
                try AtomicFileWriter.create(at: path, with: Array(text.utf8), mode: 0o600)
            } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
            if format == .json {
                Output.json(Document(id: key.id, fingerprint: key.fingerprint, path: FilePath.display(path)))
            } else {
                Output.data("\(key.id) \(key.fingerprint)\n")
            }
            Output.error("wrote \(path) (mode 0600): key \(key.id), fingerprint \(key.fingerprint)")
        }
    }
}
