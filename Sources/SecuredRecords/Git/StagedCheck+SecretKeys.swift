import SecuredCrypto

extension StagedCheck {
    /// Staged files that are secret key files, whatever their names: text that parses as a
    /// key file (`id` and `enc`, with or without `mac` and `sign`). A public key file (`.pub`),
    /// a passphrase key file (`.key.pw`) and an age file (`.key.age`) are meant to be committed
    /// and are not refused. Each finding names the file and the fix: take it out of the index
    /// and rotate the key, which anyone who saw the commit may hold.
    ///
    /// The index is searched once by `git grep --cached` for a line that starts a key field,
    /// so that only those few files are read.
    ///
    /// - Parameter staged: the staged files (all of them).
    /// - Returns: one refusal per secret key file.
    public static func secretKeys(in staged: [Git.StagedFile]) -> [RecordError] {
        guard !staged.isEmpty else { return [] }
        let byPath = Dictionary(staged.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var candidates: [String] = []
        var start = 0
        while start < staged.count {
            let chunk = staged[start..<min(start + 500, staged.count)].map { ":(literal)" + $0.path }
            start += 500
            // Exit status 1: no match in this chunk.
            guard
                let out = try? Git.run(
                    ["grep", "--cached", "-l", "-z", "-I", "-E", "^(enc|mac|sign):", "--"] + chunk, allowing: [1])
            else { continue }
            candidates += out.split(separator: 0).map { FilePath.decode($0) }
        }
        var out: [RecordError] = []
        for path in candidates.sorted(by: FilePath.precedes) {
            guard let file = byPath[path],
                let bytes = try? Git.stagedBytes(file, sizeLimit: SecuredKey.maximumFileSize),
                UTF8Validation.isValid(bytes[...])
            else { continue }
            let text = String(decoding: bytes, as: UTF8.self)
            guard !SecuredPublicKey.looksLikePublicKeyFile(text), !PassphraseKeyFile.looksLikePassphraseKeyFile(text),
                !AgeFile.looksLikeAge(bytes), (try? SecuredKey(parsing: text)) != nil
            else { continue }
            let fix = SuggestedCommand.words(["git", "rm", "--cached", "--"], paths: [path])
            out.append(
                RecordError(
                    .refused, file: path,
                    reason:
                        "is a secret key file: a secret key must never be committed. Take it out of the commit with: \(fix) (and add it to .gitignore); if it was ever pushed or shared, rotate the key (secured keygen, then secured rotate)"
                ))
        }
        return out
    }
}
