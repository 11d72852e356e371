import SecuredCrypto

/// The one rule every command that reads keys and writes a file follows: it never writes over
/// a file it reads as a key (a secret key's `mac` and `sign` would be lost for good).
extension KeyFileOperations {
    /// Whether `a` and `b` are the same file: the same device and inode, whatever the spelling
    /// of the path (`./k.key`, `dir/../k.key`) or a symbolic link to it. `false` when either
    /// does not exist.
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        guard let x = FilePath.status(a), let y = FilePath.status(b) else { return false }
        return x.st_dev == y.st_dev && x.st_ino == y.st_ino
    }

    /// Refuses to write `outputs` when one of them is a file read as a key: one of `inputs`
    /// (key files, identity files, the passphrase file), or a key file loaded from a folder
    /// among them.
    ///
    /// - Parameters:
    ///   - outputs: the files about to be written.
    ///   - inputs: what the command reads as keys (files or folders).
    /// - Throws: ``ConfigurationError`` (exit 2) naming the file; nothing is written.
    public static func refuseWritingOverKeys(_ outputs: [String], inputs: [String]) throws(ConfigurationError) {
        var read: [String] = []
        for input in inputs {
            guard let info = FilePath.status(input) else { continue }
            if FileKind(info.st_mode) == .directory {
                let base = input.hasSuffix("/") ? input : input + "/"
                read += (FilePath.entries(of: input) ?? []).map(\.name).filter(isKeyFileName).map { base + $0 }
            } else {
                read.append(input)
            }
        }
        for output in outputs {
            if let input = read.first(where: { isSameFile(output, $0) }) {
                let same = FilePath.display(input) == FilePath.display(output) ? "" : " (\(FilePath.display(input)))"
                throw ConfigurationError(
                    .wouldOverwrite,
                    "\(FilePath.display(output)) is a file this command reads as a key\(same): it is never written over; choose another output path"
                )
            }
        }
    }

    /// Whether `path` holds an age-encrypted key file (`<id>.key.age`). Re-sharing one in place
    /// (`share K.key.age --out K.key.age`) writes the whole key file again, to a new list of
    /// recipients: nothing of the key is lost, so that one rewrite is allowed.
    public static func isAgeKeyFile(_ path: String) -> Bool {
        guard let bytes = try? RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize) else { return false }
        return AgeFile.looksLikeAge(bytes)
    }

    /// Whether a folder entry named `name` is loaded as a key (`*.key`, `*.pub`, `*.key.age`,
    /// `*.key.pw`).
    static func isKeyFileName(_ name: String) -> Bool {
        [".key", ".pub", ".key.age", ".key.pw"].contains { name.hasSuffix($0) }
    }
}
