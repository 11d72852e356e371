/// A command that a message suggests the user run, written so that a POSIX shell runs exactly
/// what it says, whatever a path in it holds: every word that comes from a file name, a policy
/// or a record is one ``ShellWord`` (quoted), and paths come after `--`. Every suggestion of
/// the tool is built here or with ``ShellWord/quoted(_:)``, never by pasting a name into text.
///
/// ```swift
/// SuggestedCommand.words(["chmod", "600", "--"], paths: ["Keys/a b.key"])  // chmod 600 -- 'Keys/a b.key'
/// ```
package enum SuggestedCommand {
    /// `words` (the command and its options, written by the tool) followed by `paths`, each
    /// quoted as one shell word.
    ///
    /// - Parameters:
    ///   - words: the tool's own words (`chmod`, `600`, `--`), written as they are.
    ///   - paths: words from outside (file names), each quoted.
    /// - Returns: one line a shell runs as written.
    package static func words(_ words: [String], paths: [String]) -> String {
        (words + paths.map(ShellWord.quoted)).joined(separator: " ")
    }

    /// A `secured` command that needs a key: `secured WORDS --key K -- PATHS`, with the key the
    /// run knows (``SuggestedKey``: `--key` and its path as one shell word, nothing when
    /// `SECURED_KEY` holds it, `--key KEY` when no key is known), then `--` and the paths
    /// quoted (no `--` when there is none).
    ///
    /// ```swift
    /// SuggestedCommand.secured(["sign"], key: .unknown, .write, paths: ["a b.md"])  // secured sign --key KEY -- 'a b.md'
    /// ```
    ///
    /// - Parameters:
    ///   - words: the subcommand and its options (`["seal", "--reseal"]`).
    ///   - key: the keys the run knows.
    ///   - purpose: what the command does with the key.
    ///   - keyID: the key id the record names, preferred when its key is known.
    ///   - paths: words from outside (records, folders), each quoted.
    /// - Returns: one line a shell runs as written.
    package static func secured(
        _ words: [String], key: SuggestedKey, _ purpose: SuggestedKey.Purpose, keyID: String? = nil, paths: [String]
    ) -> String {
        let option = key.option(purpose, keyID: keyID)
        let tail = paths.isEmpty ? [] : ["--"] + paths.map(ShellWord.quoted)
        return (["secured"] + words + (option.isEmpty ? [] : [option]) + tail).joined(separator: " ")
    }
}

extension KeyRing {
    /// The warning for a key or identity file that group or others may read (SPEC section 3),
    /// with the `chmod` that fixes it, quoted so that it runs as written whatever the name.
    ///
    /// - Parameters:
    ///   - what: "key file", "age identity file".
    ///   - path: the file, as the caller named it.
    ///   - mode: its `st_mode`.
    /// - Returns: `file: warning: …; run chmod 600 -- FILE`.
    package static func modeWarning(_ what: String, path: String, mode: UInt32) -> String {
        let octal = String(mode & 0o777, radix: 8)
        let fix = SuggestedCommand.words(["chmod", "600", "--"], paths: [path])
        return "\(FilePath.display(path)): warning: \(what) is readable by group or others (mode \(octal)); run \(fix)"
    }
}
