/// The checks the pre-commit hooks run on the staged version of each record (``Git``): the
/// index, not the working tree, since that is what the commit will hold.
///
/// ```swift
/// let staged = try Git.stagedFiles()
/// let refused = StagedCheck.plaintext(in: staged, walker: walker, requireEverywhere: false)
/// ```
public enum StagedCheck {
    /// The staged files that are records: those a walk of the repository would select (the
    /// policy's `include` and `exclude`, or `*.md`).
    public static func records(in staged: [Git.StagedFile], walker: CorpusWalker) -> [Git.StagedFile] {
        staged.filter { file in
            let name = file.path.split(separator: "/").last.map(String.init) ?? file.path
            return !name.hasPrefix(".") && walker.selects(path: file.path, name: name)
        }
    }

    /// Records that must be sealed — by their policy's `require-secured`, or everywhere when
    /// `requireEverywhere` — but are staged with a plaintext body: no front matter, no
    /// `secured` field (SR003), or a non-blank body beside it (SR016). Each finding's
    /// ``RecordError/hint`` says how to seal the record.
    public static func plaintext(
        in staged: [Git.StagedFile], walker: CorpusWalker, requireEverywhere: Bool
    ) -> [RecordError] {
        var out: [RecordError] = []
        for file in records(in: staged, walker: walker) {
            let policy = walker.policies?.policy(for: file.path)
            guard requireEverywhere || policy?.requiresSecured(file.path) == true else { continue }
            let why =
                requireEverywhere
                ? "sealing is required (--require-secured)"
                : "\(policy!.file)\(policy!.requireSecuredLine.map { ":\($0)" } ?? "") requires it sealed"
            let record: Record
            do {
                record = try Record(parsing: file.bytes, file: file.path)
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

    /// The policy's checks (``RecordChecker``) on each staged record, in path order.
    public static func audit(_ staged: [Git.StagedFile], walker: CorpusWalker, checker: RecordChecker)
        -> [RecordError]
    {
        var out: [RecordError] = []
        for file in records(in: staged, walker: walker) {
            let policy = walker.policies?.policy(for: file.path)
            out += checker.check(bytes: file.bytes, file: file.path).findings.filter {
                policy?.ignore.contains($0.code) != true
            }
        }
        return out
    }
}
