import SecuredCrypto

/// Where trust comes from in a pull request (`audit --trust-from REF`): the policy files and
/// the key files as they are at a commit the change cannot touch (the base branch), not as the
/// change left them in the work tree. A pull request controls every file it adds, a policy and
/// a public key included; with a base, a policy the change added is not applied, one it
/// changed or deleted is applied as it was, and a key file is read as it was — each of these
/// reported as a note that names the file.
///
/// It reads git's object database through git's own plumbing (`rev-parse`, `ls-tree`,
/// `cat-file`), from the current folder's repository. The same reading of the index
/// (``index()``, `ls-files`) gives the pre-commit hook the staged policies.
package final class TrustBase: Sendable {
    /// The reference as given (`origin/main`).
    package let reference: String
    /// The commit it names.
    package let commit: String
    /// The work tree's root, absolute (`git rev-parse --show-toplevel`).
    let root: String
    /// Where git runs, relative to the root (`git rev-parse --show-prefix`: `content/` or
    /// empty), so that relative paths are placed without reading the working directory.
    let prefix: String
    /// Every file at the commit: its path relative to the root, its blob id and size (not
    /// known for the index until read).
    private let files: [String: (id: String, size: Int?)]
    /// Whether this is the index (``index()``), not a commit: the pre-commit hook's policies.
    package let isIndex: Bool

    /// Largest policy or key file read from the base, in bytes.
    static let sizeLimit = 1 << 20

    /// Looks up `reference` in the repository around the current folder.
    ///
    /// - Parameter reference: a branch, tag or commit (`origin/main`, a full SHA).
    /// - Throws: ``ConfigurationError`` (exit 2): not in a repository, or no such commit
    ///   (a shallow clone may lack the base: fetch it first).
    package convenience init(reference: String) throws(ConfigurationError) {
        let root: String
        let prefix: String
        let commit: String
        do {
            (root, prefix) = try Self.workTreeRoot()
            commit = String(
                decoding: try Git.run(["rev-parse", "--verify", "--quiet", "--end-of-options", reference + "^{commit}"]
                ),
                as: UTF8.self
            ).trimmingSuffix("\n")
        } catch {
            throw ConfigurationError(
                .notFound,
                "\(FilePath.display(reference)): no such commit in this repository (\(error.description)); in a shallow clone, fetch the base branch first",
                remedy: .trustedBase)
        }
        var files: [String: (id: String, size: Int?)] = [:]
        do {
            // "<mode> SP <type> SP <id> SP+ <size> TAB <path> NUL" per entry.
            let listing = try Git.run(["ls-tree", "-r", "-z", "-l", "--full-tree", commit])
            for entry in listing.split(separator: 0) {
                guard let tab = entry.firstIndex(of: 0x09) else { continue }
                let fields = entry[..<tab].split(separator: 0x20)
                guard fields.count == 4, fields[1].elementsEqual("blob".utf8),
                    let size = Int(FilePath.decode(fields[3]))
                else { continue }
                files[FilePath.decode(entry[(tab + 1)...])] = (FilePath.decode(fields[2]), size)
            }
        } catch {
            throw ConfigurationError(
                .unreadable, "\(FilePath.display(reference)): \(error.description)", remedy: .trustedBase)
        }
        self.init(reference: reference, commit: commit, root: root, prefix: prefix, files: files, isIndex: false)
    }

    /// The index (the staged files) of the repository around the current folder, as the
    /// pre-commit hook reads policies: what the commit will hold, not the work tree.
    ///
    /// - Throws: ``ConfigurationError`` (exit 2): not in a repository.
    package static func index() throws(ConfigurationError) -> TrustBase {
        var files: [String: (id: String, size: Int?)] = [:]
        let root: String
        let prefix: String
        do {
            (root, prefix) = try workTreeRoot()
            // "<mode> SP <id> SP <stage> TAB <path> NUL" per entry; a conflicted path has
            // stages 1 to 3, and the commit cannot be made until it is resolved.
            for entry in try Git.run(["ls-files", "-s", "-z"]).split(separator: 0) {
                guard let tab = entry.firstIndex(of: 0x09) else { continue }
                let fields = entry[..<tab].split(separator: 0x20)
                guard fields.count == 3, fields[0].starts(with: "100".utf8) else { continue }
                let path = FilePath.decode(entry[(tab + 1)...])
                if files[path] == nil || fields[2].elementsEqual("0".utf8) {
                    files[path] = (FilePath.decode(fields[1]), nil)
                }
            }
        } catch {
            throw ConfigurationError(.notAGitRepository, "\(error.description) (run it inside a git repository)")
        }
        return TrustBase(reference: ":", commit: "", root: root, prefix: prefix, files: files, isIndex: true)
    }

    private init(
        reference: String, commit: String, root: String, prefix: String, files: [String: (id: String, size: Int?)],
        isIndex: Bool
    ) {
        self.reference = reference
        self.commit = commit
        self.root = root
        self.prefix = prefix
        self.files = files
        self.isIndex = isIndex
    }

    private static func workTreeRoot() throws(Git.Failure) -> (root: String, prefix: String) {
        let prefix = String(decoding: try Git.run(["rev-parse", "--show-prefix"]), as: UTF8.self)
        return (try Git.topLevel(), prefix.trimmingSuffix("\n"))
    }

    /// The commit's short form, for messages.
    package var shortCommit: String { String(commit.prefix(12)) }

    /// How messages name the base: `origin/main (1a2b3c4d5e6f)`, or `the index`.
    package var name: String { isIndex ? "the index" : "\(FilePath.display(reference)) (\(shortCommit))" }

    /// `path` relative to the work tree's root, or `nil` when it lies outside it.
    func relative(_ path: String) -> String? {
        guard path.hasPrefix("/") else {
            let relative = FilePath.normalized(prefix + path)
            return relative == "." ? "" : relative == ".." || relative.hasPrefix("../") ? nil : relative
        }
        let absolute = FilePath.absolute(path, from: "/")
        if absolute == root { return "" }
        let prefix = root == "/" ? "/" : root + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : nil
    }

    /// The bytes of the file at `relative` in the base commit, or `nil` when it has none
    /// there (or one too large to be a policy or a key file).
    func bytes(atRelative relative: String) -> [UInt8]? {
        guard let file = files[relative] else { return nil }
        let size =
            file.size ?? (try? Git.run(["cat-file", "-s", file.id])).flatMap { Int(FilePath.decode($0.dropLast())) }
        guard let size, size <= Self.sizeLimit else { return nil }
        return try? Git.run(["cat-file", "blob", file.id])
    }

    /// The files directly in the folder `relative` at the base commit (names only).
    func names(inFolder relative: String) -> [String] {
        let prefix = relative.isEmpty ? "" : relative + "/"
        return files.keys.compactMap { path -> String? in
            guard path.hasPrefix(prefix) else { return nil }
            let name = path.dropFirst(prefix.count)
            return name.contains("/") ? nil : String(name)
        }.sorted(by: FilePath.precedes)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
