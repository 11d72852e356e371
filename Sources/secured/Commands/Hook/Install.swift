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
                The hook goes where git looks for it (core.hooksPath included). It calls this secured by its absolute path, falling back to the one on PATH. A pre-commit hook that secured did not write is never overwritten: add 'secured hook check' to it yourself. Running install again updates a hook it wrote; if that hook was edited since, its old text is first kept beside it, in pre-commit.secured-old.

                Example:
                  secured hook install

                Exit status: 0 installed; 1 a hook secured did not write is in the way, or an edited hook is to be kept and pre-commit.secured-old is there; 2 not in a git repository, or the hooks folder (core.hooksPath) cannot be created.
                """)

        func run() throws {
            let dir: String
            do {
                dir = try Git.hooksDirectory()
            } catch {
                throw ConfigurationError(.notAGitRepository, "\(error.description) (run it inside a git repository)")
            }
            let result = try HookInstaller.install(hooksDirectory: dir, secured: Self.ownPath() ?? "secured")
            let kept = result.keptAs.map {
                " (it had been edited since secured wrote it: its old text is kept in \(FilePath.display($0)))"
            }
            Output.error(
                "\(result.created ? "wrote" : "updated") \(FilePath.display(result.path))\(kept ?? ""): commits now run 'secured hook check' on the staged records"
            )
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
