import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Pubkey: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public key file of a secret key with 'sign'.",
            discussion: """
                Prints the same bytes keygen wrote beside the key: two lines in minisign's public key format. Commit it (Keys/<id>.pub) so that CI, forks and mirrors can verify signatures without any secret.

                Examples:
                  secured pubkey ~/.config/secured/site-2026.key > Keys/site-2026.pub
                  secured pubkey ~/.config/secured/site-2026.key --format json

                Exit status: 0 printed; 2 the key file cannot be read or has no 'sign' (give it one with keygen --add-sign).
                """)

        @Argument(help: ArgumentHelp("The secret key file.", valueName: "keyfile"))
        var keyFile: String

        @OptionGroup var age: IdentityOptions
        @OptionGroup var passphrase: PassphraseOptions
        @OptionGroup var output: FormatOptions<PlainFormats>

        struct Document: Encodable {
            var keyID: String
            var minisignKeyID: String
            var publicKey: String
            var file: String
        }

        func run() throws {
            let key = try KeyOptions.loadSingle([keyFile], purpose: "pubkey", age: age, passphrase: passphrase)
            guard let pub = key.publicKey else {
                throw ConfigurationError(
                    .capability,
                    "key \(key.id) has no 'sign': give it one with: secured keygen --add-sign=\(ShellWord.quoted(keyFile))"
                )
            }
            if output.format == .json {
                let lines = pub.fileText.split(separator: "\n")
                Output.json(
                    Document(
                        keyID: pub.id, minisignKeyID: pub.minisignKeyID,
                        publicKey: lines.count > 1 ? String(lines[1]) : "",
                        file: pub.fileText))
            } else {
                Output.data(pub.fileText)
            }
        }
    }
}
