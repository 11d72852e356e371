import ArgumentParser
import SecuredRecords

/// The output formats (SPEC section 8).
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, github, sarif

    /// What commands that check a corpus take.
    static let checking: [OutputFormat] = [.text, .json, .junit, .github, .sarif]
    /// What the other commands take: text on stderr, or one JSON document on stdout.
    static let plain: [OutputFormat] = [.text, .json]
}

/// `--format`, one declaration for every command; each command says in `validate()` which
/// formats it takes.
struct FormatOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "text (default, on stderr) or json (one document on stdout, keys sorted); audit, audit-merge, verify and manifest check also take junit, github (annotations) and sarif (code scanning).",
            valueName: "format"))
    var format: OutputFormat = .text

    /// Refuses a format the command does not write.
    ///
    /// - Parameter allowed: the formats the command takes.
    func check(_ allowed: [OutputFormat]) throws {
        guard allowed.contains(format) else {
            throw ValidationError(
                "--format \(format.rawValue) is not written by this command; it takes \(allowed.map(\.rawValue).joined(separator: ", "))"
            )
        }
    }
}
