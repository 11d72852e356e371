extension StagedCheck {
    /// Notes naming the staged files that lie where records are checked but that the checks
    /// pass over, so that none passes in silence:
    ///
    /// - hidden files (a name starting with `.`), skipped as the audit skips hidden entries
    ///   (SPEC section 8), that the include pattern would select or that a policy's
    ///   `require-secured` covers (`_posts/private/.draft.md`);
    /// - files a policy's `require-secured` covers that its include pattern does not select,
    ///   so they are not records (`_posts/private/post.markdown` under `*.md`, which Jekyll
    ///   renders as a post).
    ///
    /// Policy files and empty files are left out. Each note counts the files and names them.
    ///
    /// - Parameters:
    ///   - staged: the staged files (all of them).
    ///   - walker: selects records, with the run's policies.
    /// - Returns: the notes (none when every such file is checked).
    package static func uncheckedNotes(in staged: [Git.StagedFile], walker: CorpusWalker) -> [Note] {
        var hidden: [String] = []
        var notRecords: [String] = []
        for file in staged where file.id != emptyBlobID {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            guard name != Policy.fileName else { continue }
            let selected = walker.selects(path: file.path, name: name)
            let required = walker.policies?.policy(for: file.path)?.requiresSecured(file.path) == true
            if name.hasPrefix(".") {
                if selected || required { hidden.append(file.path) }
            } else if required && !selected {
                notRecords.append(file.path)
            }
        }
        var notes: [Note] = []
        if !hidden.isEmpty {
            notes.append(
                Note(
                    .stagedNotChecked,
                    message:
                        "\(hidden.count.counted("staged hidden file")) \(hidden.count == 1 ? "is" : "are") not checked (hidden files are skipped, as the audit skips them), though \(hidden.count == 1 ? "it lies" : "they lie") where records are checked: \(list(hidden)); a record named with a leading '.' is never checked, sealed or not: rename it, or keep it out of the commit (git rm --cached)"
                ))
        }
        if !notRecords.isEmpty {
            notes.append(
                Note(
                    .stagedNotChecked,
                    message:
                        "\(notRecords.count.counted("staged file")) \(notRecords.count == 1 ? "lies" : "lie") where the policy requires records sealed (require-secured) but \(notRecords.count == 1 ? "is" : "are") not a record (the include pattern does not select \(notRecords.count == 1 ? "it" : "them")), so \(notRecords.count == 1 ? "it is" : "they are") not checked: \(list(notRecords)); to check \(notRecords.count == 1 ? "it" : "them"), add \(notRecords.count == 1 ? "its" : "their") pattern (say \(pattern(of: notRecords[0]))) to the policy's include"
                ))
        }
        return notes
    }

    /// A pattern that selects a file like `path`: `"*.markdown"`.
    private static func pattern(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "\"\(FilePath.display(name))\"" }
        return "\"*\(FilePath.display(String(name[dot...])))\""
    }

    /// Up to 10 paths, shown, then how many more.
    private static func list(_ paths: [String]) -> String {
        let shown = paths.prefix(10).map(FilePath.display).joined(separator: ", ")
        return paths.count > 10 ? "\(shown) and \(paths.count - 10) more" : shown
    }
}
