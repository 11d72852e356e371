import SecuredCrypto

extension StagedCheck {
    /// What the pre-commit leak check found.
    package struct LeakVerdict: Sendable {
        /// SR020 for each staged file holding a run of a sealed record's words, the baseline's
        /// left out.
        package var findings: [RecordError] = []
        /// Why nothing or not everything was searched: no key at hand, files over the size
        /// limit, stale baseline entries.
        package var notes: [Note] = []
        /// Staged files searched.
        package var filesSearched = 0
        /// Sealed records whose content was searched for.
        package var recordsOpened = 0
        /// Whether the check ran (a key opened the sealed records).
        package var ran = false
    }

    /// The leak check of a commit (SPEC 1.3 section 10, "before a commit"): every staged
    /// file — a record or any other file — is searched for runs of the sealed records of
    /// `corpus`, decrypted with `keys`. The text of an unsealed record among the staged files
    /// counts as public only as `HEAD` holds it, so a paragraph pasted into a public post is
    /// found. With no key that opens the sealed records, nothing is searched and a note says
    /// so: the commit cannot be judged, and is not refused for it.
    ///
    /// - Parameters:
    ///   - staged: the staged files (all of them). Run from the repository's root.
    ///   - corpus: the records, walked in the work tree.
    ///   - keys: the keys at hand (a read-only key is enough).
    ///   - options: the size limit, the shortest run, the baseline (history is not searched).
    /// - Returns: the verdict.
    package static func leaks(
        in staged: [Git.StagedFile], corpus: CorpusWalker.Result, keys: KeyRing, options: LeakOptions
    ) -> LeakVerdict {
        var verdict = LeakVerdict()
        guard !staged.isEmpty else { return verdict }
        guard keys.secretKeyCount > 0 else {
            if corpus.files.contains(where: Self.mayBeSealed) {
                verdict.notes.append(Self.notSearched("no secret or read-only key is at hand"))
            }
            return verdict
        }
        let committed = (try? Git.committedFiles(staged.map(\.path))) ?? [:]
        var asCommitted: [String: [UInt8]?] = [:]
        for file in staged {
            let id = committed[file.path]
            asCommitted[LeakBaseline.normalized(file.path)] = .some(
                id.flatMap {
                    try? Git.stagedBytes(Git.StagedFile(path: file.path, id: $0), sizeLimit: options.sizeLimit)
                })
        }
        let loaded = LeakCorpus(
            walked: corpus, keys: keys, sizeLimit: options.sizeLimit, asCommitted: asCommitted,
            policies: options.policies)
        guard !loaded.records.isEmpty else {
            if !loaded.unopened.isEmpty {
                verdict.notes.append(
                    Self.notSearched(
                        "no key at hand opens the \(loaded.unopened.count.counted("sealed record")) (first: \(FilePath.display(loaded.unopened[0])))"
                    ))
            }
            return verdict
        }
        verdict.ran = true
        verdict.recordsOpened = loaded.records.count
        let sealed = Set(loaded.files.filter(\.sealed).map { LeakBaseline.normalized($0.path) })
        var scanner = LeakScanner(corpus: loaded, options: options)
        var tooLarge: [String] = []
        for file in staged {
            do {
                let bytes = try Git.stagedBytes(file, sizeLimit: options.sizeLimit)
                scanner.scan(bytes, path: file.path, sealed: sealed.contains(LeakBaseline.normalized(file.path)))
            } catch {
                tooLarge.append(file.path)
            }
        }
        var report = LeakReport()
        report.findings = scanner.findings.filter { $0.leak != nil }
        LeakAuditor(keys: keys, options: options).applyBaseline(to: &report)
        verdict.findings = report.findings.sorted(by: RecordError.reportOrder)
        verdict.notes += report.notes
        verdict.filesSearched = scanner.filesScanned.count
        if !tooLarge.isEmpty {
            verdict.notes.append(
                Note(
                    .leakNotSearched, path: tooLarge[0],
                    message:
                        "\(tooLarge.count.counted("staged file")) could not be read within the size limit of \(options.sizeLimit) bytes and \(tooLarge.count == 1 ? "was" : "were") not searched for sealed records' words (this is the first)",
                    remedy: .raiseSizeLimit))
        }
        return verdict
    }

    /// Whether a walked file may be a sealed record (its bytes hold a `secured:` line).
    private static func mayBeSealed(_ path: String) -> Bool {
        guard let bytes = try? RecordFile.read(path), let record = try? Record(parsing: bytes, file: path) else {
            return false
        }
        return record.readBlob() != nil
    }

    private static func notSearched(_ why: String) -> Note {
        Note(
            .leakNotSearched,
            message:
                "\(why): the staged files were not searched for sealed records' words (secured leaks); with a read-only key, the hook refuses a commit that copies them",
            remedy: .giveReadKey)
    }
}
