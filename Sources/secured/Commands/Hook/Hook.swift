import ArgumentParser
import SecuredRecords

extension Secured {
    struct Hook: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Git pre-commit checks on the staged records, and a hook that runs them.",
            discussion: """
                Examples:
                  secured hook install   # writes the pre-commit hook where git looks for it
                  secured hook check     # what the hook runs: both checks on the index

                With pre-commit (https://pre-commit.com), use the hooks secured-require-sealed and secured-audit of this repository instead (.pre-commit-hooks.yaml).
                """,
            subcommands: [Check.self, Install.self])

    }
}
