import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The key that a command a message suggests passes (`secured sign --key … -- PATH`): the one
/// rule for every suggestion that needs a key, so that a hint runs as pasted.
///
/// The key is the first one the tool knows that can do the job, in this order: the `--key`
/// files, `SECURED_KEY` (then the command needs no `--key`: it reads the variable too), the
/// secret key files the policy's `keys:` name, and the per-user key folder's files for the
/// policy's keys (``KeyFileOperations/userKeyFiles(for:environment:)``). A key whose id a
/// finding names comes first. When none is known, the command says `--key KEY`, and the text
/// before it says what to put there (``fillIn(_:keyID:)``).
///
/// Only plain key files count: a `.key.age` needs an identity and a `.key.pw` a passphrase
/// that a pasted command may not have, and a public key opens nothing.
package struct SuggestedKey: Sendable, Equatable {
    /// What a suggested command does with its key.
    package enum Purpose: Sendable {
        /// Seals, signs, re-seals, rebuilds a manifest: a secret key with `sign` or `mac`.
        case write
        /// Opens or audits: any secret key, a read-only one included.
        case read
    }

    /// A key the tool knows.
    package struct Known: Sendable, Equatable {
        /// Its id.
        package var id: String
        /// Its file, or `nil` for `SECURED_KEY`.
        package var path: String?
        /// Whether it signs (`sign` or `mac`), not only decrypts.
        package var writes: Bool
    }

    /// The keys known, in the order of the rule.
    package var known: [Known]

    /// No key known: suggestions say `--key KEY`.
    package static let unknown = SuggestedKey(known: [])

    /// - Parameter known: the keys known, in order.
    package init(known: [Known]) { self.known = known }

    /// The keys a run knows, in the rule's order.
    ///
    /// - Parameters:
    ///   - keyPaths: `--key`'s files and folders, as given.
    ///   - policies: the policies in force (their `keys:`).
    ///   - environment: where `SECURED_KEY`, `HOME` and `XDG_CONFIG_HOME` are looked up (the
    ///     process's when `nil`).
    package static func find(keyPaths: [String], policies: [Policy], environment: [String: String]? = nil)
        -> SuggestedKey
    {
        var known: [Known] = []
        func add(_ path: String) {
            guard let key = plainKey(path), !known.contains(where: { $0.id == key.id }) else { return }
            known.append(Known(id: key.id, path: path, writes: !key.isReadOnly))
        }
        for path in keyPaths { FilePath.isDirectory(path) ? keyFiles(in: path).forEach(add) : add(path) }
        if let text = try? KeyRing.environmentText("SECURED_KEY", in: environment),
            let key = try? SecuredKey(parsing: text), !known.contains(where: { $0.id == key.id })
        {
            known.append(Known(id: key.id, path: nil, writes: !key.isReadOnly))
        }
        for policy in policies { policy.keyFiles.forEach(add) }
        KeyFileOperations.userKeyFiles(for: policies, environment: environment).files.forEach(add)
        return SuggestedKey(known: known)
    }

    /// The key a command about a record of `keyID` passes: that id's key when known, else the
    /// first that does the job.
    package func key(for purpose: Purpose, keyID: String? = nil) -> Known? {
        let able = known.filter { purpose == .read || $0.writes }
        return able.first { $0.id == keyID } ?? able.first
    }

    /// `--key PATH` (the path one shell word, never read as an option: `--key ./-x.key`; a home
    /// folder's path as `~/…`), nothing when the key is `SECURED_KEY`'s, or `--key KEY` when no
    /// key is known.
    package func option(_ purpose: Purpose, keyID: String? = nil) -> String {
        guard let key = key(for: purpose, keyID: keyID) else { return "--key KEY" }
        return key.path.map { "--key " + Self.word($0) } ?? ""
    }

    /// What to put in place of `KEY` in a command that says `--key KEY`, as a clause that comes
    /// before the command (so that the command stays the end of the line, to select and paste);
    /// `nil` when a key is known.
    package func fillIn(_ purpose: Purpose, keyID: String? = nil) -> String? {
        guard key(for: purpose, keyID: keyID) == nil else { return nil }
        let file = "~/.config/secured/\(keyID ?? "<id>").key"
        return purpose == .write
            ? "in place of KEY, put the path of your secret key file, one with 'sign' or 'mac' such as \(file); no key that signs came from the key files given, SECURED_KEY or the policy's keys"
            : "in place of KEY, put the path of a key file that opens the record, such as \(file); none came from the key files given, SECURED_KEY or the policy's keys"
    }

    /// A path as one shell word that no command reads as an option (an option's value or an
    /// operand, ``ShellWord/argument(_:)``: `./-x.key`); under the home folder, `~/` and the
    /// rest quoted, as a person would type it (the shell expands `~` before an unquoted `/`).
    static func word(_ path: String) -> String {
        let home = getenv("HOME").map { String(cString: $0) } ?? ""
        let prefix = home.hasSuffix("/") ? home : home + "/"
        if home.count > 1, path.hasPrefix(prefix) {
            return "~/" + ShellWord.quoted(String(path.dropFirst(prefix.count)))
        }
        return ShellWord.argument(path)
    }

    /// The key in a plain key file (not a public, age or passphrase key file), or `nil`.
    private static func plainKey(_ path: String) -> SecuredKey? {
        guard !path.hasSuffix(".pub"), !path.hasSuffix(".key.age"), !path.hasSuffix(".key.pw"),
            FilePath.kind(path) == .regular,
            var bytes = try? RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
        else { return nil }
        defer { secureWipe(&bytes) }
        guard UTF8Validation.isValid(bytes[...]) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard !SecuredPublicKey.looksLikePublicKeyFile(text), !PassphraseKeyFile.looksLikePassphraseKeyFile(text),
            !AgeFile.looksLikeAge(bytes)
        else { return nil }
        return try? SecuredKey(parsing: text)
    }

    /// The `*.key` files directly in a folder.
    private static func keyFiles(in dir: String) -> [String] {
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        return (FilePath.entries(of: dir) ?? []).map(\.name).filter { $0.hasSuffix(".key") && !$0.hasPrefix(".") }
            .sorted(by: FilePath.precedes).map { base + $0 }
    }
}
