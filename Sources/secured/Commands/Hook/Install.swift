import ArgumentParser
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Secured.Hook {
    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a git pre-commit hook that runs 'secured hook check'.",
            discussion: """
                The hook goes where git looks for it (core.hooksPath included). It calls this secured by its absolute path, falling back to the one on PATH. A pre-commit hook that secured did not write is never overwritten: add 'secured hook check' to it yourself. Running install again updates a hook it wrote.

                Example:
                  secured hook install

                Exit status: 0 installed; 1 a hook secured did not write is in the way; 2 not in a git repository, or the hooks folder (core.hooksPath) cannot be created.
                """)

        static let marker = "# secured pre-commit hook (written by 'secured hook install')"

        func run() throws {
            let dir: String
            do {
                dir = try Git.hooksDirectory()
            } catch {
                throw ConfigurationError(.notAGitRepository, "\(error.description) (run it inside a git repository)")
            }
            let path = (dir.hasSuffix("/") ? dir : dir + "/") + "pre-commit"
            if FilePath.exists(path) {
                let existing = (try? RecordFile.read(path)) ?? []
                guard String(decoding: existing, as: UTF8.self).includes(Self.marker) else {
                    Output.error(
                        "\(FilePath.display(path)): error: a pre-commit hook that secured did not write is there; not overwritten (add 'secured hook check' to it yourself)"
                    )
                    throw ExitCode(1)
                }
            }
            let script = Self.script(secured: Self.ownPath() ?? "secured")
            try Self.makeFolder(dir)
            if FilePath.exists(path) {
                try AtomicFileWriter.replaceContents(of: path, with: Array(script.utf8))
            } else {
                try AtomicFileWriter.create(at: path, with: Array(script.utf8), mode: 0o755)
            }
            Output.error(
                "wrote \(FilePath.display(path)): commits now run 'secured hook check' on the staged records")
        }

        /// Creates the hooks folder and the folders above it that are missing
        /// (`core.hooksPath=.githooks/pre` in a fresh clone).
        ///
        /// - Throws: ``ConfigurationError`` (exit 2) naming the folder that cannot be created
        ///   and why; exit 1 is kept for a hook that secured did not write.
        static func makeFolder(_ dir: String) throws(ConfigurationError) {
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

        static func script(secured: String) -> String {
            let quoted =
                "'" + secured.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''")
                + "'"
            return """
                #!/bin/sh
                \(marker)
                # Refuses a commit that stages plaintext where the policy (.secured.yaml) requires
                # sealed records, and runs the policy's checks on the staged records.
                # Remove this file to uninstall; 'git commit --no-verify' skips it once.
                secured=\(quoted)
                if [ ! -x "$secured" ]; then
                  secured=$(command -v secured) || {
                    echo "secured pre-commit hook: secured is not installed (it was at \(quoted.replacingQuotes))" >&2
                    exit 1
                  }
                fi
                exec "$secured" hook check

                """
        }

        /// This executable's absolute path (Linux: /proc/self/exe).
        static func ownPath() -> String? {
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard n > 0 else { return nil }
            return FilePath.decode(buffer[..<n].map { UInt8(bitPattern: $0) })
        }
    }
}

extension String {
    /// Text safe inside a double-quoted shell string: the single quotes of a quoted word dropped.
    fileprivate var replacingQuotes: String {
        String(self.filter { $0 != "'" && $0 != "\"" && $0 != "$" && $0 != "`" && $0 != "\\" })
    }
}
