import ArgumentParser
import SecuredRecords

extension Secured.ManifestCommand {
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a manifest against the corpus and its signature.",
            discussion: """
                Example:
                  secured manifest check content/MANIFEST.sha256 --key site-2026.key

                Each signature the supplied keys can verify is verified: the HMAC line with the secret key, the .minisig with the public key (--key Keys/site.pub). The report's notes say which were verified and which could not be checked.

                Exit status: 0 the corpus matches and the signatures are valid; 1 SR018/SR019 findings; 2 usage or configuration error.
                """)

        @Argument(
            help: ArgumentHelp(
                "The manifest (default: the one the policy file, .secured.yaml, names).", valueName: "manifest"))
        var manifest: String?

        @Option(help: ArgumentHelp("The corpus root (default: the manifest's folder).", valueName: "dir"))
        var root: String?

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @OptionGroup var output: FormatOptions<CheckingFormats>

        func run() throws {
            let scope = walk.scope()
            try scope.resolvePolicies(for: ["."])
            guard let manifest = manifest ?? scope.policy(for: ".", isFolder: true)?.manifest else {
                throw ConfigurationError(
                    .usage, "name the manifest to check (no policy file, .secured.yaml, names one)")
            }
            try scope.resolvePolicies(for: [manifest])
            let loaded = try keys.load(in: scope)
            try CorpusScope.refuseMissing(!FilePath.exists(manifest) ? [manifest] : [])
            let start = Output.now()
            let (findings, notes, records) = Manifest.check(
                manifest: manifest, root: root ?? Manifest.defaultRoot(of: manifest), keys: loaded.ring,
                walker: scope.walker, sizeLimit: scope.sizeLimit)
            let run = AuditRun(records: records, findings: findings, notes: loaded.notes + notes)
            AuditRenderer.render(run, format: output.format, elapsed: Output.now() - start, command: "manifest check")
            if run.hasErrors { throw ExitCode(1) }
        }
    }
}
