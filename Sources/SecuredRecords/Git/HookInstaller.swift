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

    /// A hook written at `path`, `created` when there was none.
    package init(path: String, created: Bool) {
        self.path = path
        self.created = created
    }
}

/// The rules of the git pre-commit hook that runs `secured hook check`: which hook is ours
/// (it carries ``marker``), what it says, and where it goes. A hook secured did not write is
/// never overwritten.
package enum HookInstaller {
    /// The line that marks a hook as written by secured; a hook without it is someone else's.
    package static let marker = "# secured pre-commit hook (written by 'secured hook install')"

    /// The hook's file name in the hooks folder.
    package static let fileName = "pre-commit"

    /// Writes the pre-commit hook into `hooksDirectory`, creating that folder and the missing
    /// folders above it (`core.hooksPath=.githooks/pre` in a fresh clone).
    ///
    /// - Parameters:
    ///   - hooksDirectory: where git looks for hooks (`git rev-parse --git-path hooks`).
    ///   - secured: the executable the hook runs (an absolute path; `secured` on PATH when it
    ///     is gone).
    /// - Returns: the hook's path, and whether it was created or updated.
    /// - Throws: `RecordError` `.refused` (exit 1) when a pre-commit hook secured did not
    ///   write is there; `ConfigurationError` (exit 2) when the hooks folder cannot be created
    ///   or is not a folder; `RecordError` `.io` when the hook cannot be written.
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
        if exists {
            try AtomicFileWriter.replaceContents(of: path, with: bytes)
        } else {
            try AtomicFileWriter.create(at: path, with: bytes, mode: 0o755)
        }
        return HookInstallResult(path: path, created: !exists)
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
        """
        #!/bin/sh
        \(marker)
        # Refuses a commit that stages plaintext where the policy (.secured.yaml) requires
        # sealed records, and runs the policy's checks on the staged records.
        # Remove this file to uninstall; 'git commit --no-verify' skips it once.
        installed=\(ShellWord.quoted(secured))
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
