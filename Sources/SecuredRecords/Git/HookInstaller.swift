#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `secured hook install` did: the pre-commit hook it wrote, and whether it was new.
package struct HookInstallResult: Sendable, Equatable {
    /// The hook's path (in the hooks folder git uses).
    package var path: String
    /// `true` when there was no hook; `false` when a hook secured wrote was updated.
    package var created: Bool
    /// Where the old hook was kept (`pre-commit.secured-old`) when it was not a hook secured
    /// writes, as it is (edited by hand since); `nil` when nothing needed keeping.
    package var keptAs: String?

    /// A hook written at `path`, `created` when there was none, the old one kept at `keptAs`.
    package init(path: String, created: Bool, keptAs: String? = nil) {
        self.path = path
        self.created = created
        self.keptAs = keptAs
    }
}

/// The rules of the git pre-commit hook that runs `secured hook check`: which hook is ours
/// (it carries ``marker``), what it says, and where it goes. A hook secured did not write is
/// never overwritten; one it wrote that was edited since is kept beside it before the update
/// (``oldSuffix``), so that no line a user added is lost.
package enum HookInstaller {
    /// The line that marks a hook as written by secured; a hook without it is someone else's.
    package static let marker = "# secured pre-commit hook (written by 'secured hook install')"

    /// The hook's file name in the hooks folder.
    package static let fileName = "pre-commit"

    /// What is appended to the hook's path to keep a hook secured wrote that was edited since
    /// (`pre-commit.secured-old`).
    package static let oldSuffix = ".secured-old"

    /// Writes the pre-commit hook into `hooksDirectory`, creating that folder and the missing
    /// folders above it (`core.hooksPath=.githooks/pre` in a fresh clone).
    ///
    /// - Parameters:
    ///   - hooksDirectory: where git looks for hooks (`git rev-parse --git-path hooks`).
    ///   - secured: the executable the hook runs (an absolute path; `secured` on PATH when it
    ///     is gone).
    /// - Returns: the hook's path, whether it was created or updated, and where an edited hook
    ///   was kept (a hook secured wrote whose text is not what secured writes for any path:
    ///   moved to `pre-commit.secured-old` before the new one is written).
    /// - Throws: `RecordError` `.refused` (exit 1) when a pre-commit hook secured did not
    ///   write is there, or when an edited hook is to be kept and `pre-commit.secured-old` is
    ///   there; `ConfigurationError` (exit 2) when the hooks folder cannot be created or is
    ///   not a folder; `RecordError` `.io` when the hook cannot be written.
    package static func install(hooksDirectory: String, secured: String) throws -> HookInstallResult {
        let path = (hooksDirectory.hasSuffix("/") ? hooksDirectory : hooksDirectory + "/") + fileName
        let exists = FilePath.exists(path)
        if exists && !isOurs(path) {
            throw RecordError(
                .refused, file: path,
                reason:
                    "a pre-commit hook that secured did not write is there; not overwritten (add 'secured hook check' to it yourself)"
            )
        }
        try makeFolder(hooksDirectory)
        let bytes = Array(script(secured: secured).utf8)
        guard exists else {
            try AtomicFileWriter.create(at: path, with: bytes, mode: 0o755)
            return HookInstallResult(path: path, created: true)
        }
        let old = try RecordFile.read(path)
        let kept = isUnedited(old) ? nil : try keep(old, of: path)
        try AtomicFileWriter.replaceContents(of: path, with: bytes)
        return HookInstallResult(path: path, created: false, keptAs: kept)
    }

    /// Writes `old`, the text of the hook at `path`, to `path` + ``oldSuffix`` (with the hook's
    /// mode), refusing to overwrite a file there.
    ///
    /// - Returns: the path it was kept at.
    private static func keep(_ old: [UInt8], of path: String) throws(RecordError) -> String {
        let kept = path + oldSuffix
        guard !FilePath.exists(kept) else {
            throw RecordError(
                .refused, file: kept,
                reason:
                    "the pre-commit hook secured wrote was edited since; its text would be kept here, but this file is there: nothing overwritten (move this file away, then install again)"
            )
        }
        let mode = FilePath.status(path).map { mode_t($0.st_mode & 0o777) } ?? 0o755
        try AtomicFileWriter.create(at: kept, with: old, mode: mode)
        return kept
    }

    /// Whether `hook` is, byte for byte, a hook secured writes (``script(secured:)``) for some
    /// path: only the `installed=` word differs, and it is a word ``ShellWord/quoted(_:)``
    /// writes. Anything else (a line added, a word changed) is an edit to keep.
    package static func isUnedited(_ hook: [UInt8]) -> Bool {
        let template = Array(script(word: "\u{0}").utf8)
        guard let hole = template.firstIndex(of: 0) else { return false }
        let head = template[..<hole]
        let tail = template[(hole + 1)...]
        guard hook.count > head.count + tail.count, hook.starts(with: head),
            hook.reversed().starts(with: tail.reversed())
        else { return false }
        let word = Array(hook[head.count..<(hook.count - tail.count)])
        guard !word.contains(UInt8(ascii: "\n")), let path = unquoted(word) else { return false }
        return Array(ShellWord.quoted(path).utf8) == word
    }

    /// The path a word of ``ShellWord/quoted(_:)`` stands for (`'a'\''b'`, `$'a\nb'`, or a
    /// plain word), read loosely: the caller checks that quoting it again gives the word.
    private static func unquoted(_ word: [UInt8]) -> String? {
        let quote = UInt8(ascii: "'")
        if word.count >= 2, word.first == quote, word.last == quote {
            return String(decoding: word.dropFirst().dropLast(), as: UTF8.self).replacingEach("'\\''", with: "'")
        }
        guard word.count >= 3, word.starts(with: Array("$'".utf8)), word.last == quote else {
            return FilePath.decode(word)
        }
        var out: [UInt8] = []
        var i = 2
        let end = word.count - 1
        while i < end {
            guard word[i] == UInt8(ascii: "\\"), i + 1 < end else {
                out.append(word[i])
                i += 1
                continue
            }
            switch word[i + 1] {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "x"):
                guard i + 3 < end, let b = UInt8(String(decoding: word[(i + 2)...(i + 3)], as: UTF8.self), radix: 16)
                else { return nil }
                out.append(b)
                i += 2
            default: out.append(word[i + 1])
            }
            i += 2
        }
        return FilePath.decode(out)
    }

    /// Whether the hook at `path` is one secured wrote (it holds ``marker``); a file that
    /// cannot be read is not.
    package static func isOurs(_ path: String) -> Bool {
        let existing = (try? RecordFile.read(path)) ?? []
        return String(decoding: existing, as: UTF8.self).includes(marker)
    }

    /// The hook: it runs `secured hook check` with `secured` (one shell word however the
    /// path is spelled, ``ShellWord/quoted(_:)``), or with the `secured` on PATH when that
    /// file is gone, and says where it looked when there is none.
    package static func script(secured: String) -> String {
        script(word: ShellWord.quoted(secured))
    }

    /// The hook, with `word` (a path as one shell word) as the `secured` it runs.
    private static func script(word: String) -> String {
        """
        #!/bin/sh
        \(marker)
        # Refuses a commit that stages plaintext where the policy (.secured.yaml) requires
        # sealed records, and runs the policy's checks on the staged records.
        # Remove this file to uninstall; 'git commit --no-verify' skips it once.
        installed=\(word)
        secured=$installed
        if [ ! -x "$secured" ]; then
          secured=$(command -v secured) || {
            printf '%s\\n' "secured pre-commit hook: secured is not installed (it was at $installed)" >&2
            exit 1
          }
        fi
        exec "$secured" hook check

        """
    }

    /// Creates `dir` and the folders above it that are missing.
    ///
    /// - Throws: `ConfigurationError` (exit 2) naming the folder that cannot be created and
    ///   why, or saying that `dir` is not a folder.
    package static func makeFolder(_ dir: String) throws(ConfigurationError) {
        var missing: [String] = []
        var folder = Substring(dir)
        while folder.last == "/" { folder = folder.dropLast() }
        while !folder.isEmpty && !FilePath.exists(String(folder)) {
            missing.insert(String(folder), at: 0)
            guard let slash = folder.lastIndex(of: "/") else { break }
            folder = folder[..<slash]
        }
        for folder in missing where !FilePath.makeDirectory(folder) {
            let reason = String(cString: strerror(errno))
            throw ConfigurationError(
                .unwritable,
                "\(FilePath.display(folder)): cannot create the hooks folder (\(reason)); create it with: mkdir -p -- \(ShellWord.quoted(dir)), then run secured hook install again"
            )
        }
        guard FilePath.isDirectory(dir) else {
            throw ConfigurationError(
                .usage,
                "\(FilePath.display(dir)): the hooks folder (core.hooksPath) is not a folder; fix core.hooksPath, then run secured hook install again"
            )
        }
    }
}
