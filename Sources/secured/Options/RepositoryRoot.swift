import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The git commands run at the work tree's root, as git runs hooks: the process changes its
/// own folder here, in the command line (the libraries never change it).
enum RepositoryRoot {
    /// Makes the work tree's root the current folder.
    ///
    /// - Throws: ``ConfigurationError`` outside a git repository.
    static func enter() throws {
        let top: String
        do {
            top = try Git.topLevel()
        } catch {
            throw ConfigurationError(.notAGitRepository, "\(error.description) (run it inside a git repository)")
        }
        guard FilePath.withCString(top, { chdir($0) }) == 0 else {
            throw ConfigurationError(.unreadable, "cannot enter the repository root \(FilePath.display(top))")
        }
    }
}
