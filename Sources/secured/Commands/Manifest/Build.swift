import ArgumentParser
import SecuredRecords

extension Secured.ManifestCommand {
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a signed manifest of the records under ROOT.",
            discussion: """
                An existing manifest is replaced atomically (its mode kept); a new one is created with mode 0644.

                With no ROOT, the manifest the policy file names (manifest: in .secured.yaml) is rebuilt, over its own folder: the one the audit and 'manifest check' read.

                Examples:
                  secured manifest build content --key site-2026.key
                  # writes content/MANIFEST.sha256 (and its .minisig with a key with sign)
                  secured manifest build --key site-2026.key   # the policy's manifest

                Exit status: 0 written; 1 a record cannot be listed (a path with a newline, carriage return or backslash) or read; 2 usage or configuration error.
                """)

        @Argument(
            help: ArgumentHelp(
                "The corpus root (default: the folder of the manifest the policy file, .secured.yaml, names).",
                valueName: "root"))
        var root: String?

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @Option(help: ArgumentHelp("Where to write it (default: ROOT/MANIFEST.sha256).", valueName: "path"))
        var out: String?

        @OptionGroup var output: FormatOptions<PlainFormats>

        func run() throws {
            if let out, let problem = Manifest.nameProblem(out) {
                throw ConfigurationError(.usage, "--out \(ShellWord.quoted(out)): \(problem)")
            }
            // The manifest the policy names, as `manifest check` and the audit read it.
            let named =
                walk.noPolicy
                ? nil
                : PolicyResolver(workingDirectory: WorkingDirectory.current).policy(for: ".", isFolder: true)?.manifest
            guard let root = root ?? named.map(Manifest.defaultRoot(of:)) else {
                keys.know(nil)
                let command = Hints.command(["manifest", "build"], .write, paths: ["ROOT"])
                throw ConfigurationError(
                    .usage,
                    "name the corpus root (no policy file, .secured.yaml, names a manifest); in place of ROOT, put the corpus's folder; \(command)"
                )
            }
            let out = out ?? named.flatMap { Manifest.defaultRoot(of: $0) == root ? $0 : nil }
            if self.root != nil && out == nil, let named {
                Output.error(
                    "warning: the policy names the manifest \(FilePath.display(named)); this writes another one under \(FilePath.display(root)) (give no ROOT to rebuild the policy's)"
                )
            }
            let path = out ?? (root.hasSuffix("/") ? root : root + "/") + Manifest.defaultName
            try keys.refuseWritingOverKeys([path, path + Manifest.minisigSuffix])
            let key = try keys.loadSingle(purpose: "manifest build")
            try CorpusScope.refuseMissing(!FilePath.exists(root) ? [root] : [])
            let scope = walk.scope()
            try scope.resolvePolicies(for: [root])
            let written = try Manifest.write(
                root: root, key: key, walker: scope.walker, out: out, sizeLimit: scope.sizeLimit)
            if output.format == .json { Output.json(written) }
            var kinds: [String] = []
            if written.hmacLine { kinds.append("HMAC line") }
            if let minisig = written.minisig { kinds.append("detached signature \(FilePath.display(minisig))") }
            Output.error(
                "wrote \(FilePath.display(written.path)): \(written.records.counted("record")), signed with \(written.keyID) (\(kinds.joined(separator: ", ")))"
            )
            if let stale = written.removedMinisig {
                Output.error(
                    "\(FilePath.display(stale)): removed (it signed an older manifest; this key has no 'sign')")
            }
        }
    }
}
