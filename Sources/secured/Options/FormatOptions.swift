import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--format` of audit-like commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, github, sarif
}

/// `--format` of the other commands: text on stderr, or one JSON document on stdout.
enum CommandFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
