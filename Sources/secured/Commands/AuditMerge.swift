import ArgumentParser
import SecuredRecords

extension Secured {
    struct AuditMerge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit-merge",
            abstract:
                "Merge the indexes of a sharded audit and report IV reuse (SR014) and copied blobs (SR015) across all shards.",
            discussion: """
                A sharded audit (--shard I/N) checks IV reuse and copied blobs within its shard only. Run every shard with --write-index, then merge all N indexes here: the merge reports SR014 and SR015 exactly as one unsharded audit would. Indexes hold no secret (paths, lines, IVs and ciphertext hashes), so no key is needed.

                Example (a CI matrix of 4 jobs, then one merge job):
                  secured audit content/ --shard 1/4 --write-index audit-1.index   # ... 4/4
                  secured audit-merge audit-1.index audit-2.index audit-3.index \\
                    audit-4.index --format sarif > merge.sarif

                The merge refuses (exit 2, naming them) indexes from different versions of secured or split into a different number of shards, a shard given twice, a missing shard, and a damaged or truncated index.

                Exit status, as audit: 0 no finding of severity error (SR015 is a warning); 1 a finding of severity error (SR014, IV reuse); 2 usage error, an index that cannot be merged included.
                """)

        @Argument(help: ArgumentHelp("The index files of all shards.", valueName: "index"))
        var indexes: [String]

        @OptionGroup var output: FormatOptions<CheckingFormats>

        @Option(help: ArgumentHelp("Do not report this code (repeatable), e.g. SR015.", valueName: "code"))
        var ignore: [RecordError.Code] = []

        func run() throws {
            let start = Output.now()
            try CorpusScope.refuseMissing(indexes.filter { !FilePath.exists($0) })
            let run: AuditRun
            do {
                run = try AuditIndex.merge(indexes.map { ($0, try AuditIndex.read($0)) }, ignore: Set(ignore))
            } catch let error as RecordError {
                if error.file.isEmpty { throw ConfigurationError(.unreadable, error.reason) }
                // An index that cannot be merged is a usage error, not a finding of the corpus.
                throw CommandFailure(TextRenderer.finding(error), status: 2)
            }
            AuditRenderer.render(run, format: output.format, elapsed: Output.now() - start, command: "audit-merge")
            if run.hasErrors { throw ExitCode(1) }
        }
    }
}
