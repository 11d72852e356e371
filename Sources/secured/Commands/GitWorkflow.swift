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
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a commented starting policy file (.secured.yaml).",
            discussion: """
                The policy holds the rules that audit, verify, manifest, textconv, the pre-commit hooks and the GitHub Action share: which files are records, which must be sealed or signed, codes to ignore, the manifest, the keys. Every field is written, with a comment; edit it, then commit it. An existing policy is never overwritten.

                Example:
                  secured init            # writes ./.secured.yaml

                Exit status: 0 written; 1 a policy already exists (it is left as it is); 2 usage error.
                """)

        @Argument(help: ArgumentHelp("The folder to write it in.", valueName: "dir"))
        var dir: String = "."

        func run() throws {
            try WalkOptions.refuseMissing(!FilePath.exists(dir) ? [dir] : [])
            let path = (dir.hasSuffix("/") ? dir : dir + "/") + Policy.fileName
            do {
                try AtomicFileWriter.create(at: path, with: Array(Policy.starter.utf8), mode: 0o644)
            } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
            Output.error("wrote \(FilePath.display(path)): edit it, then commit it")
        }
    }

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
                Output.data("[secured textconv: cannot read \(FilePath.display(file)): \(error.reason)]\n")
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

    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Git pre-commit checks on the staged records, and a hook that runs them.",
            discussion: """
                Examples:
                  secured hook install            # writes the pre-commit hook where git looks for it
                  secured hook check              # what the hook runs: both checks on the index

                With pre-commit (https://pre-commit.com), use the hooks secured-require-sealed and secured-audit of this repository instead (.pre-commit-hooks.yaml).
                """,
            subcommands: [Check.self, Install.self])

        struct Check: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Check the staged version of each added or changed record (the index, not the working tree).",
                discussion: """
                    --sealed refuses records the policy (require-secured) requires sealed while their staged body is plaintext, naming each file and the command that seals it. --audit runs the policy's checks on the staged records with the keys available (--key, SECURED_KEY, the policy's keys; a public key is enough for signatures). Without either flag, both run. Deleted files are skipped; a required record without front matter counts as plaintext. Nothing is ever written.

                    Exit status: 0 the commit may go ahead; 1 it is refused (the findings say why); 2 usage or configuration error (not in a git repository, a bad policy).
                    """)

            @Flag(help: "Refuse plaintext where the policy requires sealed records.")
            var sealed = false

            @Flag(help: "Run the policy's checks on the staged records.")
            var audit = false

            @Flag(help: "Require every staged record sealed (adds to the policy).")
            var requireSecured = false

            @Flag(help: "Require every staged record signed (adds to the policy).")
            var requireSignature = false

            @OptionGroup var keys: KeyOptions
            @OptionGroup var walk: WalkOptions

            func run() throws {
                let staged: [Git.StagedFile]
                do {
                    try Git.enterTopLevel()
                    staged = try Git.stagedFiles()
                } catch {
                    throw Output.usage("\(error.description) (run it inside a git repository)")
                }
                let walker = walk.walker
                let records = StagedCheck.records(in: staged, walker: walker)
                try walk.refuseBadPolicies()
                let both = !sealed && !audit
                var refused = 0
                if sealed || both {
                    let plaintext = StagedCheck.plaintext(
                        in: records, walker: walker, requireEverywhere: requireSecured)
                    for finding in plaintext { Output.error(finding.description) }
                    if !plaintext.isEmpty {
                        Output.error(
                            "secured: commit refused: \(plaintext.count) staged record\(plaintext.count == 1 ? " is" : "s are") plaintext where sealing is required"
                        )
                    }
                    refused += plaintext.count
                }
                if audit || both {
                    let (ring, notes) = try keys.loadRingAndNotes(policies: walk)
                    for note in notes { Output.error(note.description) }
                    var checker = RecordChecker(
                        keys: ring, requireSecured: requireSecured, requireSignature: requireSignature,
                        sizeLimit: walk.sizeLimit)
                    checker.policies = walk.noPolicy ? nil : walk.policies
                    let findings = StagedCheck.audit(records, walker: walker, checker: checker)
                    // The plaintext check already named what it refuses.
                    let shown = findings.filter { !(both && $0.code == .sr003SecuredMissing) }
                    for finding in shown { Output.error(finding.description) }
                    let errors = shown.filter { $0.severity == .error }.count
                    if errors > 0 {
                        Output.error(
                            "secured: commit refused: \(errors) error\(errors == 1 ? "" : "s") in staged records")
                    }
                    refused += errors
                }
                Output.error("secured: \(records.count) staged record\(records.count == 1 ? "" : "s") checked")
                if refused > 0 { throw ExitCode(1) }
            }
        }

        struct Install: ParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Write a git pre-commit hook that runs 'secured hook check'.",
                discussion: """
                    The hook goes where git looks for it (core.hooksPath included). It calls this secured by its absolute path, falling back to the one on PATH. A pre-commit hook that secured did not write is never overwritten: add 'secured hook check' to it yourself. Running install again updates a hook it wrote.

                    Exit status: 0 installed; 1 a hook secured did not write is in the way; 2 not in a git repository.
                    """)

            static let marker = "# secured pre-commit hook (written by 'secured hook install')"

            func run() throws {
                let dir: String
                do {
                    dir = try Git.hooksDirectory()
                } catch {
                    throw Output.usage("\(error.description) (run it inside a git repository)")
                }
                let path = (dir.hasSuffix("/") ? dir : dir + "/") + "pre-commit"
                if FilePath.exists(path) {
                    let existing = (try? RecordFile.read(path)) ?? []
                    guard String(decoding: existing, as: UTF8.self).contains(Self.marker) else {
                        Output.error(
                            "\(FilePath.display(path)): error: a pre-commit hook that secured did not write is there; not overwritten (add 'secured hook check' to it yourself)"
                        )
                        throw ExitCode(1)
                    }
                }
                let script = Self.script(secured: Self.ownPath() ?? "secured")
                do {
                    if !FilePath.exists(dir) {
                        guard FilePath.makeDirectory(dir) else {
                            throw RecordError(.io, file: dir, reason: "cannot create the hooks folder")
                        }
                    }
                    if FilePath.exists(path) {
                        try AtomicFileWriter.replaceContents(of: path, with: Array(script.utf8))
                    } else {
                        try AtomicFileWriter.create(at: path, with: Array(script.utf8), mode: 0o755)
                    }
                } catch let error as RecordError {
                    Output.error(error.description)
                    throw ExitCode(1)
                }
                Output.error(
                    "wrote \(FilePath.display(path)): commits now run 'secured hook check' on the staged records")
            }

            static func script(secured: String) -> String {
                let quoted =
                    "'" + secured.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''")
                    + "'"
                return """
                    #!/bin/sh
                    \(marker)
                    # Refuses a commit that stages plaintext where the policy (.secured.yaml) requires
                    # sealed records, and runs the policy's checks on the staged records.
                    # Remove this file to uninstall; 'git commit --no-verify' skips it once.
                    secured=\(quoted)
                    if [ ! -x "$secured" ]; then
                      secured=$(command -v secured) || {
                        echo "secured pre-commit hook: secured is not installed (it was at \(quoted.replacingQuotes))" >&2
                        exit 1
                      }
                    fi
                    exec "$secured" hook check

                    """
            }

            /// This executable's absolute path (Linux: /proc/self/exe).
            static func ownPath() -> String? {
                var buffer = [CChar](repeating: 0, count: 4096)
                let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
                guard n > 0 else { return nil }
                return FilePath.decode(buffer[..<n].map { UInt8(bitPattern: $0) })
            }
        }
    }
}

extension String {
    /// Text safe inside a double-quoted shell string: the single quotes of a quoted word dropped.
    fileprivate var replacingQuotes: String {
        String(self.filter { $0 != "'" && $0 != "\"" && $0 != "$" && $0 != "`" && $0 != "\\" })
    }
}
