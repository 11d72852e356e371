import ArgumentParser
import SecuredCrypto
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `secured` command line: a thin layer over SecuredRecords.
struct Secured: ParsableCommand {
    /// `--version`: the version and the commit built from (``VersionInfo``).
    static let version = VersionInfo.text

    static let configuration = CommandConfiguration(
        commandName: "secured",
        abstract: "Seal, sign, open and audit secured article records.",
        discussion: """
            A secured record is a Markdown file whose YAML front matter holds an AES-CBC payload, secured: "<base64 ciphertext>;<base64 IV>", signed with Ed25519 (verified with a public key alone) or HMAC-SHA256.

            Findings have codes, SR001 to SR021: 'secured explain' lists them, 'secured explain SR011' says what one finds and how to fix it (the README has the same table).

            Examples:
              secured keygen --id site-2026     # ~/.config/secured/site-2026.key
              secured seal content/ --key ~/.config/secured/site-2026.key
              secured audit content/ --key Keys/site-2026.pub --require-signature
              secured inspect content/posts/a.md --key ~/.config/secured/site-2026.key

            Keys: --key PATH (repeatable; secret *.key or public *.pub files, or a folder of them), or, when no --key is given, a key file's text in the environment variable SECURED_KEY. A public key verifies and does nothing else: 'secured audit content --key Keys/site.pub --require-signature' checks a corpus with no secret. A key shared with a team, Keys/<id>.key.age, opens with your age identity: --identity PATH or SECURED_AGE_IDENTITY (see 'secured share'). A passphrase key file for readers, Keys/<id>.<label>.key.pw, opens with its passphrase: --passphrase-file PATH, SECURED_PASSPHRASE, or the terminal (see 'secured share --passphrase').

            Policy: the nearest .secured.yaml at or above each record (see 'secured init') holds the rules that audit, verify, manifest, the hooks and the GitHub Action share; flags add to it, --no-policy ignores it.

            Output: data on stdout, diagnostics on stderr; every command but edit, init, hook and textconv (which serve your editor and git) takes --format json for one JSON document on stdout.

            Exit status: 0 all checks passed (warnings alone pass); 1 findings of severity error or a failed operation; 2 usage or configuration error.
            """,
        version: version,
        subcommands: [
            Keygen.self, Pubkey.self, Seal.self, Open.self, Edit.self, Sign.self, Verify.self, Audit.self,
            AuditMerge.self, Inspect.self,
            ManifestCommand.self, Rotate.self, Identity.self, Share.self, Init.self, Hook.self, Textconv.self,
            Leaks.self, Explain.self,
        ]
    )
}

@main
enum Main {
    static func main() {
        // Arguments are bytes: a file name that is not UTF-8 reaches the library intact.
        let arguments = (1..<Int(CommandLine.argc)).map { index in
            CommandLine.unsafeArgv[index].map {
                FilePath.decode(UnsafeBufferPointer(start: $0, count: strlen($0)).map { UInt8(bitPattern: $0) })
            } ?? ""
        }
        // With --format github, every line the tool writes must stay text for the Actions runner.
        if GitHubText.requested(by: arguments) { GitHubText.isActive.store(true, ordering: .relaxed) }
        if Output.quietRequested(by: arguments) { Output.quiet.store(true, ordering: .relaxed) }
        // `--version --format json`: the argument parser knows only a bare --version.
        if let format = VersionInfo.requestedFormat(arguments) { exit(VersionInfo.print(format: format)) }
        do {
            var command = try Secured.parseAsRoot(arguments)
            if !Secured.asksOnlyForHelp(arguments) { try WorkingDirectory.check() }
            try command.run()
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch {
            // Errors map to exit codes here, once (SPEC section 8): a finding or a failed
            // operation 1; a usage or configuration error 2.
            if let status = ExitStatus(error) {
                Output.failure(status.message)
                exit(status.code)
            }
            // The argument parser's usage errors exit 64 by default; SPEC section 8 says 2.
            let code = Secured.exitCode(for: error)
            if code == .success {
                Secured.exit(withError: error)  // --help, --version: printed, exit 0
            }
            let message = Secured.fullMessage(for: error)
            if !message.isEmpty { Output.failure(message) }
            if let word = arguments.first, let near = Secured.nearestCommand(to: word) {
                Output.failure("Did you mean 'secured \(near)'?")
            }
            exit(code == .failure ? 1 : 2)
        }
    }
}

extension Secured {
    /// Whether the arguments ask for help or the version, which need no working folder:
    /// `--help`, `-h` or `--version` before `--`, `help` as the first word, or nothing at all.
    static func asksOnlyForHelp(_ arguments: [String]) -> Bool {
        let options = arguments.prefix { $0 != "--" }
        return arguments.isEmpty || arguments.first == "help"
            || options.contains { $0 == "--help" || $0 == "-h" || $0 == "--version" }
    }
}

/// The exit status and message of an error a command let through (SPEC section 8).
struct ExitStatus {
    var code: Int32
    var message: String

    init?(_ error: any Error) {
        switch error {
        case let error as RecordError: (code, message) = (1, TextRenderer.finding(error))
        case let error as CommandFailure: (code, message) = (error.status, error.message)
        case let error as ConfigurationError: (code, message) = (2, "error: \(Advice.message(error))")
        case let error as KeyFileError: (code, message) = (2, "error: \(Advice.message(error))")
        case let error as PolicyError: (code, message) = (2, "error: \(error.description)")
        default: return nil
        }
    }
}

extension Secured {
    /// The subcommand `word` was probably meant to be (`seel` → `seal`): one whose name is at
    /// most two edits away, when `word` is not a subcommand or an option itself.
    static func nearestCommand(to word: String) -> String? {
        guard !word.hasPrefix("-") else { return nil }
        let names = configuration.subcommands.map { $0._commandName }
        guard !names.contains(word) else { return nil }
        let scored = names.map { ($0, editDistance(Array(word.utf8), Array($0.utf8))) }
        guard let best = scored.min(by: { $0.1 < $1.1 }), best.1 <= 2, best.1 < word.utf8.count else { return nil }
        return best.0
    }

    /// Levenshtein distance, for the few short names above.
    static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}
