import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Identity: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new age identity file and print its recipient (age1…).",
            discussion: """
                Each holder of a team key has an identity of their own: keep the file private (mode 0600), send the printed recipient to whoever shares the key (secured share). age-keygen writes the same format, and age reads this one.

                Example:
                  secured identity --out ~/.config/secured/identity.txt

                Exit status: 0 written; 1 the file exists (never overwritten); 2 usage error.
                """)

        @Option(help: ArgumentHelp("Where to write the identity file.", valueName: "path"))
        var out: String

        @OptionGroup var output: FormatOptions<PlainFormats>

        struct Document: Encodable {
            var path: String
            var recipient: String
        }

        func run() throws {
            let identity: AgeIdentity
            for folder in try KeyFileOperations.makeMissingFolders(above: out) {
                Output.error("created folder \(FilePath.display(folder)) (mode 0700)")
            }
            identity = try KeyFileOperations.writeIdentity(at: out, created: Output.utcTimestamp())
            if output.format == .json {
                Output.json(Document(path: FilePath.display(out), recipient: identity.recipient.description))
            } else {
                Output.data(identity.recipient.description + "\n")
            }
            Output.error(
                "wrote \(FilePath.display(out)) (mode 0600): keep it private; send the recipient above to whoever shares the key"
            )
        }
    }
}
