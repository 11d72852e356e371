import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--passphrase-file PATH`, or SECURED_PASSPHRASE, or the terminal: what opens passphrase key
/// files (`<id>.<label>.key.pw`, SPEC 1.2 section 3) and what `share --passphrase` wraps with.
struct PassphraseOptions: ParsableArguments {
    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp(
            "A file holding the passphrase of passphrase key files (*.key.pw), on one line. Without it, SECURED_PASSPHRASE is read, then the terminal asked.",
            valueName: "path"))
    var path: String?

    /// The passphrase given by `--passphrase-file` or SECURED_PASSPHRASE, or `nil`.
    ///
    /// - Throws: ``KeyFileError`` for a bad passphrase file (exit 2).
    func given() throws -> Passphrase? {
        try KeyRing.loadPassphrase(path: path)
    }

    /// Where keys come from: `paths` (or SECURED_KEY), age `identities`, and this passphrase
    /// (given, or else the terminal asked when a passphrase key file is named). Every command
    /// that loads keys goes through here, so each takes the passphrase the same way.
    func sources(paths: [String], identities: [AgeIdentity]) throws -> KeySources {
        KeySources(paths: paths, identities: identities, passphrase: try given(), askPassphrase: Self.askTerminal)
    }

    /// The passphrase given, else asked on the terminal (twice when `confirm`, for writers);
    /// with no terminal and nothing given, a ``ConfigurationError`` (exit 2).
    func required(for what: String, confirm: Bool) throws -> Passphrase {
        if let passphrase = try given() { return passphrase }
        guard TerminalPassphrase.isAvailable else {
            throw ConfigurationError(
                .passphrase,
                "\(what) needs a passphrase: pass --passphrase-file PATH or set SECURED_PASSPHRASE (there is no terminal to ask)"
            )
        }
        guard let first = TerminalPassphrase.ask("Passphrase for \(what): ") else {
            throw ConfigurationError(.passphrase, "no passphrase was entered")
        }
        guard confirm else { return first }
        // A writer's passphrase too short is said now, not after it was typed twice.
        try PassphraseKeyFile.checkLength(of: first)
        guard let again = TerminalPassphrase.ask("The same passphrase again: "), again.hasSameBytes(as: first) else {
            throw ConfigurationError(.passphrase, "the two passphrases differ; nothing written")
        }
        return first
    }

    /// What asks the terminal for a passphrase key file's passphrase, once (`nil` without one).
    static func askTerminal(_ source: String) -> Passphrase? {
        TerminalPassphrase.ask("Passphrase for \(source): ")
    }
}
