import ArgumentParser
import SecuredRecords

extension Secured {
    struct Audit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a whole corpus and report every finding (codes SR001-SR021: secured explain).",
            discussion: """
                Without a key, the checks that need none: front matter, the form of every blob, IV reuse (SR014), copied blobs (SR015), bodies beside sealed content (SR016). With keys, signatures are verified and then blobs decrypted (a record whose signature fails is never decrypted). Findings are sorted by file and line.

                Examples:
                  secured audit content/ --key site-2026.key --require-signature
                  secured audit content/ --format junit > audit.xml
                  secured audit content/ --shard 2/4 --format github \\
                    --write-index shard-2.index
                  secured audit-merge shard-*.index --format github
                  secured audit content/ --key Keys/site.pub --format sarif > secured.sarif
                  secured audit . --require-signature --trust-from origin/main

                Exit status: 0 no finding of severity error (warnings alone pass); 1 findings of severity error, or findings that could not be kept (the report says so); 2 usage or configuration error, or a named path that does not exist.
                """)

        @Argument(help: ArgumentHelp("Records and folders (folders are walked recursively).", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @Flag(help: "Report records without 'secured' (SR003).")
        var requireSecured = false

        @Flag(help: "Report records without 'signature' (SR008); unsigned blobs are then never decrypted.")
        var requireSignature = false

        @Option(help: ArgumentHelp("Also check this signed manifest (SR018, SR019).", valueName: "path"))
        var manifest: String?

        @OptionGroup var output: FormatOptions<CheckingFormats>

        @Option(help: ArgumentHelp("Do not report this code (repeatable), e.g. SR015.", valueName: "code"))
        var ignore: [RecordError.Code] = []

        @Option(help: ArgumentHelp("Worker threads.", valueName: "n"))
        var jobs: Int = 2

        @Option(
            help: ArgumentHelp("Check only shard I of N (by path hash, N at most 10000), e.g. 2/4.", valueName: "I/N"))
        var shard: String?

        @Option(
            help: ArgumentHelp(
                "Also write this run's corpus-wide facts (path, line, IV and ciphertext hash of each sealed record; nothing secret) for 'secured audit-merge'.",
                valueName: "file"))
        var writeIndex: String?

        @Option(
            help: ArgumentHelp(
                "Trust the policy files and key files as they are at this commit (the base branch of a pull request), not as the change left them; the report names every key trusted and every policy or key file the change added or changed.",
                valueName: "ref"))
        var trustFrom: String?

        func parsedShard() throws -> (index: Int, count: Int)? {
            guard let shard else { return nil }
            guard let parsed = AuditOptions.shard(shard) else {
                throw ValidationError(
                    "--shard must be I/N with 1 <= I <= N <= \(AuditOptions.maximumShardCount), e.g. 2/4")
            }
            return parsed
        }

        func validate() throws {
            guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
            _ = try parsedShard()
        }

        func run() throws {
            let start = Output.now()
            let base = try trustFrom.map { reference throws(ConfigurationError) in try TrustBase(reference: reference) }
            let scope = walk.scope(signaturesRequired: requireSignature, sealingRequired: requireSecured, base: base)
            var walked = try scope.walk(paths, allowUnreadableOnly: true)
            let loaded = try keys.load(in: scope)
            if let writeIndex {
                let policyKeys = scope.policiesInForce.flatMap { $0.keyFileEntries.map(\.0) }
                try KeyFileOperations.refuseWritingOverKeys([writeIndex], inputs: keys.readPaths + policyKeys)
            }
            walked.notes += loaded.notes
            let ring = loaded.ring
            try SignatureRequirement.check(
                keys: ring, flag: requireSignature ? "--require-signature" : nil, files: walked.files,
                policies: scope.policies)
            var options = AuditOptions()
            options.requireSecured = requireSecured
            options.requireSignature = requireSignature
            options.sizeLimit = scope.sizeLimit
            options.ignore = Set(ignore)
            options.jobs = jobs
            options.shard = try parsedShard()
            options.manifest = manifest
            options.buildsIndex = writeIndex != nil
            let auditor = Auditor(keys: ring, options: options, walker: scope.walker)
            let bar = ProgressBar(total: walked.files.count)
            let run = auditor.run(walk: walked) { done, total in bar.update(done: done, total: total) }
            bar.finish()
            if let writeIndex, let index = run.index {
                try index.write(to: writeIndex)
            }
            AuditRenderer.render(
                run, format: output.format, elapsed: Output.now() - start, command: "audit", shard: options.shard)
            try KeyOptions.refuseFailedUnwraps(ring)
            if run.hasErrors { throw ExitCode(1) }
        }
    }

}
