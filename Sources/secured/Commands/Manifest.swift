import ArgumentParser
import SecuredRecords

extension Secured {
    struct ManifestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifest",
            abstract: "Write or check a signed corpus manifest (sha256sum format).",
            discussion: """
                A manifest lists every record of a corpus with its SHA-256, so that a deleted, added or swapped record is caught. It ends with an HMAC signature line when the key has 'mac', and with 'sign' a detached minisign signature is written beside it (MANIFEST.sha256.minisig), so anyone holding only the public key can check the corpus with standard tools:
                  minisign -Vm MANIFEST.sha256 -p Keys/site.pub && sha256sum -c MANIFEST.sha256

                Examples:
                  secured manifest build content --key site-2026.key
                  secured manifest check content/MANIFEST.sha256 --key site-2026.key
                """,
            subcommands: [Build.self, Check.self])

        struct Build: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a signed manifest of the records under ROOT.",
                discussion: """
                    An existing manifest is replaced atomically (its mode kept); a new one is created with mode 0644.

                    Example:
                      secured manifest build content --key site-2026.key   # writes content/MANIFEST.sha256

                    Exit status: 0 written; 1 a record cannot be listed (a path with a newline, carriage return or backslash) or read; 2 usage or configuration error.
                    """)

            @Argument(help: ArgumentHelp("The corpus root.", valueName: "root"))
            var root: String

            @OptionGroup var keys: KeyOptions
            @OptionGroup var walk: WalkOptions

            @Option(help: ArgumentHelp("Where to write it (default: ROOT/MANIFEST.sha256).", valueName: "path"))
            var out: String?

            @Option(help: ArgumentHelp("text (stderr) or json (one document on stdout).", valueName: "format"))
            var format: CommandFormat = .text

            func run() throws {
                let key = try keys.loadSingle(purpose: "manifest build")
                try WalkOptions.refuseMissing(!FilePath.exists(root) ? [root] : [])
                try walk.resolvePolicies(for: [root])
                defer { try? walk.refuseBadPolicies() }
                do {
                    let written = try Manifest.write(
                        root: root, key: key, walker: walk.walker, out: out, sizeLimit: walk.sizeLimit)
                    if format == .json { Output.json(written) }
                    var kinds: [String] = []
                    if written.hmacLine { kinds.append("HMAC line") }
                    if let minisig = written.minisig { kinds.append("detached signature \(FilePath.display(minisig))") }
                    Output.error(
                        "wrote \(FilePath.display(written.path)): \(written.records) records, signed with \(written.keyID) (\(kinds.joined(separator: ", ")))"
                    )
                    if let stale = written.removedMinisig {
                        Output.error(
                            "\(FilePath.display(stale)): removed (it signed an older manifest; this key has no 'sign')")
                    }
                } catch {
                    Output.error(error.description)
                    throw ExitCode(1)
                }
            }
        }

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check a manifest against the corpus and its signature.",
                discussion: """
                    Example:
                      secured manifest check content/MANIFEST.sha256 --key site-2026.key

                    Each signature the supplied keys can verify is verified: the HMAC line with the secret key, the .minisig with the public key (--key Keys/site.pub). The report's notes say which were verified and which could not be checked.

                    Exit status: 0 the corpus matches and the signatures are valid; 1 SR018/SR019 findings; 2 usage or configuration error.
                    """)

            @Argument(
                help: ArgumentHelp(
                    "The manifest (default: the one the policy file, .secured.yaml, names).", valueName: "manifest"))
            var manifest: String?

            @Option(help: ArgumentHelp("The corpus root (default: the manifest's folder).", valueName: "dir"))
            var root: String?

            @OptionGroup var keys: KeyOptions
            @OptionGroup var walk: WalkOptions

            @Option(help: ArgumentHelp("Output format: text, json, junit, github or sarif.", valueName: "format"))
            var format: OutputFormat = .text

            func run() throws {
                try walk.resolvePolicies(for: ["."])
                guard
                    let manifest = manifest
                        ?? (walk.noPolicy ? nil : walk.policies.policy(for: ".", isFolder: true)?.manifest)
                else {
                    throw Output.usage("name the manifest to check (no policy file, .secured.yaml, names one)")
                }
                try walk.resolvePolicies(for: [manifest])
                let (ring, keyNotes) = try keys.loadRingAndNotes(policies: walk)
                try WalkOptions.refuseMissing(!FilePath.exists(manifest) ? [manifest] : [])
                let start = Output.now()
                let (findings, notes) = Manifest.check(
                    manifest: manifest, root: root ?? Manifest.defaultRoot(of: manifest), keys: ring,
                    walker: walk.walker, sizeLimit: walk.sizeLimit)
                let run = AuditRun(findings: findings, notes: keyNotes + notes)
                Reporter.render(run, format: format, elapsed: Output.now() - start, command: "manifest check")
                if run.hasErrors { throw ExitCode(1) }
            }
        }
    }
}
