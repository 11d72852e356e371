/// The checks the pre-commit hooks run on the staged version of each record (``Git``): the
/// index, not the working tree, since that is what the commit will hold.
///
/// ```swift
/// let staged = try Git.stagedFiles()
/// let refused = StagedCheck.plaintext(in: staged, walker: walker, requireEverywhere: false)
/// ```
package enum StagedCheck {
    /// The staged files that are records: those whose name a walk of the repository would
    /// select (the policy's `include` and `exclude`, or `*.md`), hidden files excepted. A
    /// file in a hidden folder is checked although a walk skips the folder: it was staged,
    /// so it is about to be committed.
    package static func records(in staged: [Git.StagedFile], walker: CorpusWalker) -> [Git.StagedFile] {
        staged.filter { file in
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            return !name.hasPrefix(".") && walker.selects(path: file.path, name: name)
        }
    }

    /// Notes for the run's report about the policies in force for `staged`: one that leaves
    /// staged records out where signatures are required
    /// (``CorpusWalker/narrowing(path:name:policy:root:)``, the root being the repository's
    /// own policy), and one that hides errors (``Policy/hiddenErrorsNote(alsoIgnored:requireSecured:requireSignature:)``),
    /// as the audit reports them.
    ///
    /// - Parameters:
    ///   - staged: the staged files (all of them, not only records).
    ///   - walker: selects records, with the run's policies.
    ///   - checker: the policy's checks, when they run (their requirements decide what a
    ///     policy may hide).
    /// - Returns: the notes, in policy-file order.
    package static func policyNotes(in staged: [Git.StagedFile], walker: CorpusWalker, checker: RecordChecker?)
        -> [Note]
    {
        let root = walker.policies?.policy(for: ".", isFolder: true)
        var narrowed: [String: [String]] = [:]
        var relaxed: [String: [String]] = [:]
        var inForce: [String: Policy] = [:]
        for file in staged {
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            guard !name.hasPrefix("."), let policy = walker.policies?.policy(for: file.path) else { continue }
            if walker.narrowing(path: file.path, name: name, policy: policy, root: root) {
                narrowed[policy.file, default: []].append(file.path)
            } else if walker.selects(path: file.path, name: name) {
                inForce[policy.file] = policy
                if walker.relaxing(path: file.path, policy: policy, root: root) {
                    relaxed[policy.file, default: []].append(file.path)
                }
            }
        }
        var notes = CorpusWalker.policyNotes(narrowed: narrowed, relaxed: relaxed)
        guard let checker else { return notes }
        for file in inForce.keys.sorted(by: FilePath.precedes) {
            if let note = inForce[file]!.hiddenErrorsNote(
                alsoIgnored: [], requireSecured: checker.requireSecured, requireSignature: checker.requireSignature)
            {
                notes.append(note)
            }
        }
        return notes
    }

    /// Records that must be sealed — by their policy's `require-secured`, or everywhere when
    /// `requireEverywhere` — but are staged with a plaintext body: no front matter, no
    /// `secured` field (SR003), or a non-blank body beside it (SR016). Each finding's
    /// ``RecordError/hint(key:)`` says how to seal the record.
    package static func plaintext(
        in staged: [Git.StagedFile], walker: CorpusWalker, requireEverywhere: Bool,
        sizeLimit: Int = Record.defaultSizeLimit
    ) -> [RecordError] {
        var out: [RecordError] = []
        for file in records(in: staged, walker: walker) {
            let policy = walker.policies?.policy(for: file.path)
            guard requireEverywhere || policy?.requiresSecured(file.path) == true else { continue }
            let why =
                requireEverywhere
                ? "sealing is required of every staged record"
                : "\(policy!.file)\(policy!.requireSecuredLine.map { ":\($0)" } ?? "") requires it sealed"
            let record: Record
            do {
                record = try Record(parsing: Git.stagedBytes(file, sizeLimit: sizeLimit), file: file.path)
            } catch  where error.code == .sr017Unreadable {
                // Not read (over the size limit, say): it cannot be shown to be sealed.
                out.append(
                    RecordError(
                        .sr017Unreadable, file: file.path, line: error.line,
                        reason: "\(error.reason); \(why), and it cannot be checked"))
                continue
            } catch {
                out.append(
                    RecordError(
                        .sr003SecuredMissing, file: file.path, line: 1, field: "secured",
                        reason: "staged as plaintext (\(error.reason)); \(why)"))
                continue
            }
            if let blob = record.readBlob() {
                if !record.isBodyBlank {
                    out.append(
                        RecordError(
                            .sr016BodyBesideSealedContent, file: file.path, line: record.closingLine.number + 1,
                            field: "secured",
                            reason:
                                "staged with a plaintext body beside its sealed content (line \(blob.line)); \(why)"
                        ))
                }
            } else {
                out.append(
                    RecordError(
                        .sr003SecuredMissing, file: file.path, line: 1, field: "secured",
                        reason: "staged with a plaintext body and no 'secured' field; \(why)"))
            }
        }
        return out
    }

    /// The policy's checks (``RecordChecker``) on each staged record, in path order, as the
    /// audit runs them: a record over the checker's size limit is SR017 and is not read.
    package static func audit(_ staged: [Git.StagedFile], walker: CorpusWalker, checker: RecordChecker)
        -> [RecordError]
    {
        var verdict = Verdict()
        return audit(staged, walker: walker, checker: checker, into: &verdict)
    }

    /// ``audit(_:walker:checker:)``, counting in `verdict` the signed records whose signature
    /// no key could verify (none was given) and the records that carry no signature.
    static func audit(
        _ staged: [Git.StagedFile], walker: CorpusWalker, checker: RecordChecker, into verdict: inout Verdict
    ) -> [RecordError] {
        var out: [RecordError] = []
        for file in records(in: staged, walker: walker) {
            let policy = walker.policies?.policy(for: file.path)
            let findings: [RecordError]
            do {
                let bytes = try Git.stagedBytes(file, sizeLimit: checker.sizeLimit)
                let result = checker.check(bytes: bytes, file: file.path)
                findings = result.findings
                if result.signatureNotVerified { verdict.signaturesNotVerified += 1 }
                if result.unsigned { verdict.unsigned.append(file.path) }
            } catch {
                findings = [error]
            }
            out += findings.filter {
                policy?.hides(
                    $0.code, requireSecured: checker.requireSecured, requireSignature: checker.requireSignature)
                    != true
            }
        }
        return out
    }
}

extension StagedCheck {
    /// The pre-commit verdict on the staged records: what the plaintext check refuses, what
    /// the policy's checks find, and whether the commit is refused.
    package struct Verdict: Sendable {
        /// Records the policy requires sealed whose staged version is plaintext (SR003).
        package var plaintext: [RecordError] = []
        /// The policy's findings on the staged records, less the SR003 findings the plaintext
        /// check already named.
        package var findings: [RecordError] = []
        /// Signed records whose signature was not verified: no key at all was given. Said in
        /// a note (``SignatureRequirement/notVerifiedNote(count:)``), as the audit does.
        package var signaturesNotVerified = 0
        /// Records that carry no signature while the keys could verify one
        /// (``SignatureRequirement/unsignedNote(_:)``).
        package var unsigned: [String] = []
        /// How many of ``findings`` are errors.
        package var auditErrors: Int { findings.filter { $0.severity == .error }.count }
        /// Whether the commit is refused.
        package var refuses: Bool { !plaintext.isEmpty || auditErrors > 0 }
    }

    /// Runs the pre-commit checks on `records`.
    ///
    /// - Parameters:
    ///   - records: the staged records (``records(in:walker:)``).
    ///   - walker: selects which records the policy covers.
    ///   - plaintextCheck: refuse plaintext where the policy requires sealed records.
    ///   - requireSecuredEverywhere: every staged record must be sealed.
    ///   - checker: runs the policy's checks, when they are asked for.
    ///   - sizeLimit: the largest record read for the plaintext check (the checker has its own).
    /// - Returns: the verdict.
    package static func verdict(
        _ records: [Git.StagedFile], walker: CorpusWalker, plaintextCheck: Bool, requireSecuredEverywhere: Bool,
        checker: RecordChecker?, sizeLimit: Int = Record.defaultSizeLimit
    ) -> Verdict {
        var verdict = Verdict()
        if plaintextCheck {
            verdict.plaintext = plaintext(
                in: records, walker: walker, requireEverywhere: requireSecuredEverywhere, sizeLimit: sizeLimit)
        }
        if let checker {
            verdict.findings = audit(records, walker: walker, checker: checker, into: &verdict).filter {
                !(plaintextCheck && $0.code == .sr003SecuredMissing)
            }
        }
        return verdict
    }
}
