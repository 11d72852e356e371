/// Copies of a key kept for others: `<id>.key.age`, the key encrypted to its holders' age
/// recipients, and `<id>.<label>.key.pw`, its read-only part under a group of readers'
/// passphrase (SPEC section 3). After a rotation they still hold the old key, and the new one
/// must be shared in their place: `rotate` names each, with the `secured share` that does it.
package enum KeyCopies {
    /// A copy of a key.
    package struct Copy: Sendable, Equatable {
        /// The file, shortened from the current folder.
        package var path: String
        /// The folder it is in, as the file is named.
        package var folder: String
        /// A passphrase key file's label; `nil` for an age file.
        package var label: String?
    }

    /// The copies of key `id` in the folders of `files` (the old key's own files) and of the
    /// key files `policies` name, each once, in the order found.
    ///
    /// - Parameters:
    ///   - id: the key's id.
    ///   - files: files whose folders to look in (the `--from` files).
    ///   - policies: the policies in force; the folders of their `keys:` files are looked in.
    /// - Returns: the copies.
    package static func find(id: String, beside files: [String], policies: [Policy]) -> [Copy] {
        var folders: [String] = []
        for file in files + policies.flatMap(\.keyFiles) {
            let folder = FilePath.folder(of: file)
            if !folders.contains(folder) { folders.append(folder) }
        }
        var out: [Copy] = []
        for folder in folders {
            for name in (FilePath.entries(of: folder) ?? []).map(\.name).sorted(by: FilePath.precedes) {
                let path = folder == "." ? name : (folder == "/" ? "" : folder) + "/" + name
                guard FilePath.kind(path) == .regular, !out.contains(where: { $0.path == path }) else { continue }
                let shownFolder = folder
                if name == id + ".key.age" {
                    out.append(Copy(path: path, folder: shownFolder, label: nil))
                } else if name.hasPrefix(id + "."), name.hasSuffix(".key.pw") {
                    let label = String(name.dropFirst(id.count + 1).dropLast(".key.pw".count))
                    if isLabel(label) { out.append(Copy(path: path, folder: shownFolder, label: label)) }
                }
            }
        }
        return out
    }

    /// What `rotate` says about each copy of the old key: the `secured share` that writes the
    /// new key's copy beside it (the recipients of an age file are for the user to fill in).
    ///
    /// - Parameters:
    ///   - oldID: the rotated-from key's id.
    ///   - newKey: the new key file, as given (`--to`).
    ///   - newID: its id.
    ///   - files: the old key's files (`--from`).
    ///   - policies: the policies in force.
    /// - Returns: one note per copy.
    package static func reshareNotes(
        oldID: String, newKey: String, newID: String, beside files: [String], policies: [Policy]
    ) -> [Note] {
        find(id: oldID, beside: files, policies: policies).map { copy in
            let folder = copy.folder == "." ? "" : copy.folder + "/"
            let key = SuggestedKey.word(newKey)
            guard let label = copy.label else {
                let out = ShellWord.argument(folder + newID + ".key.age")
                return Note(
                    .oldKeyShared, path: copy.path,
                    message:
                        "holds the old key '\(oldID)' for its age recipients: share the new key with the holders who stay, then delete this file: secured share \(key) -r RECIPIENT --out \(out) (RECIPIENT: each holder's age1… recipient, one -r each)"
                )
            }
            let out = ShellWord.argument(folder + newID + "." + label + ".key.pw")
            return Note(
                .oldKeyShared, path: copy.path,
                message:
                    "holds the old key '\(oldID)' for the '\(label)' readers' passphrase: it no longer opens the rotated records; write the new key's, publish it wherever this one is published (a site's keys/ folder), then delete this file: secured share \(key) --passphrase --label \(label) --out \(out)"
            )
        }
    }

    /// Whether `text` is a passphrase key file's label: 1-32 of `[A-Za-z0-9_-]`.
    static func isLabel(_ text: String) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy {
                switch $0 {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }
}
