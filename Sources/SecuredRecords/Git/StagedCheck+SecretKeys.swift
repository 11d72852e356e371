extension StagedCheck {
    /// Staged files that hold secret key material, whatever their names and whatever else is
    /// wrong with them: a line (or flow mapping entry) `enc`, `mac` or `sign` with a value that
    /// looks like key bytes (``KeyMaterialScanner``), in UTF-8, Latin-1, UTF-16 or UTF-32, at
    /// any size. A public key file (`.pub`), a passphrase key file (`.key.pw`) and an age file
    /// (`.key.age`) hold no such line and are meant to be committed. Each finding names the
    /// file, the fields found (never their values) and the fix: take it out of the index and
    /// rotate the key, which anyone who saw the commit may hold.
    ///
    /// The index is searched by `git grep --cached` for the field names, and for the files
    /// git takes for binary (UTF-16 text is), so that only those few files are read; each is
    /// read as a stream, never whole. When git grep cannot run, every staged file is read.
    ///
    /// - Parameter staged: the staged files (all of them). Run from the repository's root.
    /// - Returns: one refusal per file, in path order.
    package static func secretKeys(in staged: [Git.StagedFile]) -> [RecordError] {
        var out: [RecordError] = []
        for file in keyMaterialCandidates(in: staged) {
            var scanner = KeyMaterialScanner()
            let read = Subprocess.stream(Git.command(["cat-file", "blob", file.id])) { scanner.feed($0) }
            scanner.finish()
            let fields = ["enc", "mac", "sign"].filter(scanner.fields.contains)
            let fix = SuggestedCommand.words(["git", "rm", "--cached", "--"], paths: [file.path])
            let rotate =
                "if it was ever pushed or shared, rotate the key (secured keygen, then secured rotate)"
            if case .success(0) = read {
                guard !fields.isEmpty else { continue }
                out.append(
                    RecordError(
                        .refused, file: file.path,
                        reason:
                            "is a secret key file, or holds a secret key's values (\(fields.joined(separator: ", "))): a secret key must never be committed. Take it out of the commit with: \(fix) (and add it to .gitignore); \(rotate)"
                    ))
            } else {
                // Not read: it cannot be shown to hold no key, so it does not pass in silence.
                out.append(
                    RecordError(
                        .refused, file: file.path,
                        reason:
                            "its staged version could not be read to check it for secret key material; if it holds a key, take it out of the commit with: \(fix); \(rotate)"
                    ))
            }
        }
        return out
    }

    /// The staged files that may hold key material: those where `git grep --cached` finds a
    /// field name followed by `:` (any bytes taken as text), and those it takes for binary.
    private static func keyMaterialCandidates(in staged: [Git.StagedFile]) -> [Git.StagedFile] {
        var candidates: Set<String> = []
        var start = 0
        while start < staged.count {
            let files = staged[start..<min(start + 500, staged.count)]
            start += 500
            let chunk = files.map { ":(literal)" + $0.path }
            // Exit status 1: no match in this chunk.
            guard
                let named = try? Git.run(
                    ["grep", "--cached", "-l", "-z", "-a", "-i", "-E", "(enc|mac|sign)[\"']?[[:space:]]*:", "--"]
                        + chunk, allowing: [1]),
                let text = try? Git.run(["grep", "--cached", "-l", "-z", "-I", "-e", "", "--"] + chunk, allowing: [1])
            else {
                candidates.formUnion(files.map(\.path))
                continue
            }
            candidates.formUnion(named.split(separator: 0).map { FilePath.decode($0) })
            let textFiles = Set(text.split(separator: 0).map { FilePath.decode($0) })
            candidates.formUnion(files.map(\.path).filter { !textFiles.contains($0) })
        }
        return staged.filter { candidates.contains($0.path) && $0.id != emptyBlobID }
    }

    /// The id of the empty blob: a file with nothing in it.
    static let emptyBlobID = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
}
