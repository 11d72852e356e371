import SecuredRecords

/// What `secured --version` prints: the version (``SecuredVersion/current``, its one home) and
/// the commit the binary was built from (`buildCommit`, which the BuildCommit plugin writes
/// before each build: a full hash, `-dirty` when tracked files differed from it, or
/// `unknown` when git could not tell).
struct VersionInfo: Encodable {
    var version = SecuredVersion.current
    var commit = buildCommit

    /// The line `secured --version` prints: `1.3.0 (commit 0123…)`.
    static var text: String { "\(SecuredVersion.current) (commit \(buildCommit))" }

    /// The format asked for when the arguments are `--version` with `--format F` (or
    /// `--format=F`) and nothing else; `nil` otherwise (then the argument parser decides).
    static func requestedFormat(_ arguments: [String]) -> String? {
        guard arguments.filter({ $0 == "--version" }).count == 1 else { return nil }
        let rest = arguments.filter { $0 != "--version" }
        if rest.count == 1, rest[0].hasPrefix("--format=") { return String(rest[0].dropFirst("--format=".count)) }
        if rest.count == 2, rest[0] == "--format" { return rest[1] }
        return nil
    }

    /// Prints the version in `format` (`text` or `json`) and returns the exit status: 0, or 2
    /// for another format (a usage error, SPEC section 8).
    static func print(format: String) -> Int32 {
        switch format {
        case "json":
            Output.json(VersionInfo())
            return 0
        case "text":
            Output.data(text + "\n")
            return 0
        default:
            Output.error("error: --version takes --format text or --format json, not '\(format)'")
            return 2
        }
    }
}
