import ArgumentParser
import SecuredRecords

extension Secured {
    struct Leaks: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find sealed content published elsewhere: in a built site, a draft, git history (SR020, SR021).",
            discussion: """
                Decrypts every sealed record of the corpus (--corpus, default: the current folder; a read-only key is enough) and searches every file of the paths named, and the corpus's own files minus their 'secured' values, for runs of the sealed contents' words. HTML and XML character references, JSON escapes and markup are decoded, gzip files decompressed. A run that also occurs in an unsealed, published record is public already and not reported (drafts: _drafts/, draft: true, published: false, and records a policy requires sealed are searched, never public). Every run of 16 words or more is reported, none of fewer than 12. Findings name the file, the line, the sealed record and the run's length; never the words.

                Examples:
                  jekyll build && secured leaks --key Keys/site.readonly.key _site
                  secured leaks --key Keys/site.readonly.key --corpus content --history public/
                  secured leaks --key Keys/site.key _site --write-baseline .secured-leaks
                  secured leaks --key Keys/site.key _site --baseline .secured-leaks \\
                    --format sarif > leaks.sarif

                With no PATH, the paths the policy file names (leaks: paths: in .secured.yaml) are searched; its leaks: baseline: applies when --baseline is not given, and leaks: history: true adds --history. The pre-commit hook and the GitHub Action read the same fields.

                Exit status: 0 no leak; 1 leaks (or files that could not be searched, SR017); 2 usage or configuration error, or sealed records that no key given opens.
                """)

        @Argument(
            help: ArgumentHelp(
                "Files and folders to search (folders are walked for every file; hidden entries and links skipped; default: the policy's leaks: paths).",
                valueName: "path"))
        var paths: [String] = []

        @Option(
            name: .customLong("corpus"),
            help: ArgumentHelp(
                "The records (repeatable; default: the current folder), walked as 'secured audit' walks.",
                valueName: "path"))
        var corpus: [String] = []

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        @Flag(help: "Also search every blob of the git object database, reachable or not (SR021).")
        var history = false

        @Option(help: ArgumentHelp("Accepted findings: fingerprints not to report.", valueName: "file"))
        var baseline: String?

        @Option(
            help: ArgumentHelp(
                "Write the fingerprints of every leak found to this file (then review them: each is accepted).",
                valueName: "file"))
        var writeBaseline: String?

        @OptionGroup var output: FormatOptions<CheckingFormats>

        @Option(help: ArgumentHelp("Worker threads searching files.", valueName: "n"))
        var jobs: Int = 2

        func validate() throws {
            guard jobs >= 1 && jobs <= 256 else { throw ValidationError("--jobs must be between 1 and 256") }
        }

        func run() throws {
            let start = Output.now()
            let scope = walk.scope()
            let roots = corpus.isEmpty ? ["."] : corpus
            let walked = try scope.walk(roots, allowUnreadableOnly: true)
            let loaded = try keys.load(in: scope)
            if let writeBaseline { try keys.refuseWritingOverKeys([writeBaseline]) }
            // The policy's `leaks` field: what to search with no PATH, the baseline, history.
            let policy = scope.policy(for: ".", isFolder: true)?.leaks ?? LeakPolicy()
            var options = LeakOptions()
            options.sizeLimit = scope.sizeLimit
            options.history = history || policy.history
            options.jobs = jobs
            options.policies = scope.policies
            // Writing a baseline that does not exist yet: nothing is accepted so far.
            options.baseline = try (baseline ?? policy.baseline).map { path throws(ConfigurationError) in
                writeBaseline != nil && !FilePath.exists(path) ? LeakBaseline() : try LeakBaseline.read(path)
            }
            let repository = FilePath.isDirectory(roots[0]) ? roots[0] : "."
            var report = try LeakAuditor(keys: loaded.ring, options: options)
                .run(corpus: walked, paths: paths.isEmpty ? policy.paths : paths, repository: repository)
            report.notes = loaded.notes + report.notes
            if let writeBaseline { try LeakBaseline.write(report.fingerprints, to: writeBaseline) }
            let run = AuditRun(records: report.filesScanned, findings: report.findings, notes: report.notes)
            let elapsed = Output.now() - start
            AuditRenderer.render(
                run, format: output.format, elapsed: elapsed, command: "leaks",
                summary: Self.summary(report, elapsed: elapsed))
            try KeyOptions.refuseFailedUnwraps(loaded.ring)
            if run.hasErrors { throw ExitCode(1) }
        }

        /// The line on stderr: what was searched for, where, and what was found.
        static func summary(_ report: LeakReport, elapsed: Double) -> String {
            let leaks = report.findings.filter { $0.leak != nil }.count
            let other = report.findings.count - leaks
            var text =
                "leaks: \(report.recordsOpened.counted("sealed record")) searched for in \(report.filesScanned.count.counted("file"))"
            if report.blobsScanned > 0 { text += " and \(report.blobsScanned.counted("git blob"))" }
            text += " (\(Output.fixed(Double(report.bytesScanned) / 1_048_576, 1)) MiB); \(leaks.counted("leak"))"
            if other > 0 { text += ", \(other.counted("file")) not searched" }
            if report.baselined > 0 { text += ", \(report.baselined) in the baseline" }
            return text + "; \(Output.fixed(elapsed, 2))s"
        }
    }
}
