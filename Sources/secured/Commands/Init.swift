import ArgumentParser
import SecuredRecords

extension Secured {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a commented starting policy file (.secured.yaml).",
            discussion: """
                It also adds *.key to the folder's .gitignore (created if missing), so that a secret key file is never committed; public keys (.pub), team keys (.key.age) and passphrase keys (.key.pw) stay committable. The policy holds the rules that audit, verify, manifest, textconv, the pre-commit hooks and the GitHub Action share: which files are records, which must be sealed or signed, codes to ignore, the manifest, the keys. Every field is written, with a comment; edit it, then commit it. An existing policy is never overwritten.

                Example:
                  secured init            # writes ./.secured.yaml

                Exit status: 0 written; 1 a policy already exists (it is left as it is); 2 usage error.
                """)

        @Argument(help: ArgumentHelp("The folder to write it in.", valueName: "dir"))
        var dir: String = "."

        func run() throws {
            try CorpusScope.refuseMissing(!FilePath.exists(dir) ? [dir] : [])
            guard FilePath.isDirectory(dir) else {
                throw ConfigurationError(
                    .usage, "\(FilePath.display(dir)) is not a folder: name the folder to write \(Policy.fileName) in")
            }
            let path = (dir.hasSuffix("/") ? dir : dir + "/") + Policy.fileName
            try AtomicFileWriter.create(at: path, with: Array(StarterPolicy.text.utf8), mode: 0o644)
            Output.error("wrote \(FilePath.display(path)): edit it, then commit it")
            let ignore = (dir.hasSuffix("/") ? dir : dir + "/") + ".gitignore"
            if try KeyFileOperations.ignoreSecretKeys(in: ignore) {
                Output.error("added *.key to \(FilePath.display(ignore)): secret key files are never committed")
            }
        }
    }
}
