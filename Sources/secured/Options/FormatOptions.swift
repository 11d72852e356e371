import ArgumentParser
import SecuredRecords

/// The output formats (SPEC section 8).
enum OutputFormat: String, CaseIterable {
    case text, json, junit, github, sarif
}

/// The formats one kind of command writes: its `--help` lists these and no other, and the
/// parser refuses the others (a usage error, exit 2).
protocol FormatSet {
    /// The formats, in the order shown.
    static var allowed: [OutputFormat] { get }
    /// The help of `--format`.
    static var help: String { get }
}

/// What commands that check a corpus write (audit, audit-merge, verify, manifest check).
enum CheckingFormats: FormatSet {
    static let allowed: [OutputFormat] = [.text, .json, .junit, .github, .sarif]
    static let help =
        "text (default), json (one document on stdout, keys sorted), junit (XML, one test case a record), github (annotations) or sarif (code scanning)."
}

/// What the other commands write: text on stderr, or one JSON document on stdout.
enum PlainFormats: FormatSet {
    static let allowed: [OutputFormat] = [.text, .json]
    static let help = "text (default, on stderr) or json (one document on stdout, keys sorted)."
}

/// A `--format` value among the formats `Formats` writes.
struct FormatChoice<Formats: FormatSet>: ExpressibleByArgument {
    let format: OutputFormat

    init(_ format: OutputFormat) { self.format = format }

    init?(argument: String) {
        guard let format = OutputFormat(rawValue: argument), Formats.allowed.contains(format) else { return nil }
        self.format = format
    }

    static var allValueStrings: [String] { Formats.allowed.map(\.rawValue) }

    var defaultValueDescription: String { format.rawValue }
}

/// `--format`, one declaration for every command, typed by the formats the command writes.
struct FormatOptions<Formats: FormatSet>: ParsableArguments {
    @Option(name: .customLong("format"), help: ArgumentHelp(Formats.help, valueName: "format"))
    var choice: FormatChoice<Formats> = FormatChoice(.text)

    /// Read once for the whole run, before parsing (``Output/quiet``); declared here so that
    /// the parser takes it and `--help` lists it.
    @Flag(
        name: [.customLong("quiet"), .customShort("q")],
        help: "Only errors, warnings and the report: no notes, progress, per-file lines or summary on stderr.")
    var quiet = false

    /// The format chosen.
    var format: OutputFormat { choice.format }
}
