import ArgumentParser
import SecuredRecords

extension Secured {
    struct ManifestCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "manifest",
            abstract: "Write or check a signed corpus manifest (sha256sum format).",
            discussion: """
                A manifest lists every record of a corpus with its SHA-256, so that a deleted, added or swapped record is caught. It ends with an HMAC signature line when the key has 'mac', and with 'sign' a detached minisign signature is written beside it (MANIFEST.sha256.minisig), so anyone holding only the public key can check the corpus with standard tools:
                  cd content && minisign -Vm MANIFEST.sha256 -p ../Keys/site.pub \\
                    && sha256sum -c MANIFEST.sha256

                Examples:
                  secured manifest build content --key site-2026.key
                  secured manifest check content/MANIFEST.sha256 --key site-2026.key
                """,
            subcommands: [Build.self, Check.self])

    }
}
