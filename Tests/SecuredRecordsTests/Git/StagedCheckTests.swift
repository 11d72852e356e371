import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// The pre-commit hook's decisions on the staged records, made by the library on the index of
/// a real repository: which staged files are records, which the policy requires sealed but are
/// staged as plaintext, what the policy's checks find, and whether the commit is refused.
@Suite("Staged records: selection, plaintext and the verdict")
struct StagedCheckTests {
    let repo: StagedRepository
    init() throws { repo = try StagedRepository() }

    /// `private/` must be sealed; `public/` need not be.
    func requirePrivateSealed() throws {
        try repo.stage(".secured.yaml", "require-secured: [private/**]\n")
    }

    @Test func theStagedFilesAreListedByPathWithTheirBlobIDs() throws {
        defer { repo.remove() }
        try repo.stage("b.md", "---\ntitle: B\n---\nb\n")
        try repo.stage("a.md", "---\ntitle: A\n---\na\n")
        let staged = try repo.staged()
        #expect(staged.map(\.path) == ["a.md", "b.md"])
        let id = try repo.git(["rev-parse", ":a.md"]).stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(staged[0].id == id)
        #expect(
            try repo.run { try Git.stagedBytes(staged[0], sizeLimit: 100) } == Array("---\ntitle: A\n---\na\n".utf8))
    }

    @Test func recordsAreTheStagedFilesTheWalkSelectsHiddenOnesLeftOut() throws {
        defer { repo.remove() }
        for path in ["a.md", "notes.txt", ".draft.md", "docs/b.md", "docs/d.markdown"] {
            try repo.stage(path, "x\n")
        }
        let staged = try repo.staged()
        let records = StagedCheck.records(in: staged, walker: repo.scope().walker)
        #expect(records.map(\.path) == ["a.md", "docs/b.md"])
        let markdown = StagedCheck.records(in: staged, walker: repo.scope(include: "*.markdown").walker)
        #expect(markdown.map(\.path) == ["docs/d.markdown"], "the include pattern asked for decides")
    }

    @Test func aStagedRecordInAHiddenFolderIsCheckedAlthoughAWalkSkipsTheFolder() throws {
        defer { repo.remove() }
        try repo.stage(".secured.yaml", "require-secured: [\"**\"]\n")
        try repo.stage("docs/.secret/c.md", "---\ntitle: C\n---\nA plaintext body.\n")
        let staged = try repo.staged()
        #expect(StagedCheck.records(in: staged, walker: repo.scope().walker).map(\.path) == ["docs/.secret/c.md"])
        let refused = try repo.run {
            StagedCheck.plaintext(in: staged, walker: repo.scope().walker, requireEverywhere: false)
        }
        #expect(refused.map(\.file) == ["docs/.secret/c.md"])
    }

    @Test func aPolicysIncludeAndExcludeDecideWhichStagedFilesAreRecords() throws {
        defer { repo.remove() }
        try repo.stage(".secured.yaml", "include: [\"*.markdown\"]\nexclude: [drafts/**]\n")
        for path in ["a.md", "b.markdown", "drafts/c.markdown"] { try repo.stage(path, "x\n") }
        let records = StagedCheck.records(in: try repo.staged(), walker: repo.scope().walker)
        #expect(records.map(\.path) == ["b.markdown"])
    }

    @Test func plaintextWhereThePolicyRequiresSealingIsRefusedWithItsCodeLineAndField() throws {
        defer { repo.remove() }
        try requirePrivateSealed()
        try repo.stage("private/plain.md", "---\ntitle: P\n---\nThe private body.\n")
        try repo.stage("private/bare.md", "No front matter at all.\n")
        try repo.stage("private/sealed.md", try repo.sealed("Sealed."))
        try repo.stage("public/open.md", "---\ntitle: O\n---\nA public body.\n")
        let refused = try repo.run {
            StagedCheck.plaintext(in: try repo.staged(), walker: repo.scope().walker, requireEverywhere: false)
        }
        #expect(refused.map(\.file) == ["private/bare.md", "private/plain.md"])
        for error in refused {
            #expect(error.code == .sr003SecuredMissing && error.line == 1 && error.field == "secured")
            #expect(error.reason.contains(".secured.yaml:1 requires it sealed"), "\(error.reason)")
        }
    }

    @Test func aPlaintextBodyBesideSealedContentIsRefusedAtTheLineAfterTheFrontMatter() throws {
        defer { repo.remove() }
        try requirePrivateSealed()
        let sealed = try repo.sealed("Sealed.")
        try repo.stage("private/both.md", sealed + Array("A paragraph pasted under it.\n".utf8))
        let refused = try repo.run {
            StagedCheck.plaintext(in: try repo.staged(), walker: repo.scope().walker, requireEverywhere: false)
        }
        let closing = try Record(parsing: sealed, file: "r.md").closingLine.number
        #expect(refused.count == 1)
        #expect(refused.first?.code == .sr016BodyBesideSealedContent)
        #expect(refused.first?.line == closing + 1 && refused.first?.field == "secured")
    }

    @Test func requiringSealingEverywhereRefusesPlaintextThatNoPolicyCovers() throws {
        defer { repo.remove() }
        try repo.stage("public/open.md", "---\ntitle: O\n---\nA public body.\n")
        try repo.stage("public/sealed.md", try repo.sealed("Sealed."))
        let (nowhere, everywhere) = try repo.run {
            let staged = try repo.staged()
            let walker = repo.scope().walker
            return (
                StagedCheck.plaintext(in: staged, walker: walker, requireEverywhere: false),
                StagedCheck.plaintext(in: staged, walker: walker, requireEverywhere: true)
            )
        }
        #expect(nowhere.isEmpty)
        #expect(everywhere.map(\.file) == ["public/open.md"])
        #expect(everywhere.first?.code == .sr003SecuredMissing)
    }

    @Test func aStagedRecordOverTheSizeLimitCannotBeShownSealedAndIsSR017() throws {
        defer { repo.remove() }
        try requirePrivateSealed()
        try repo.stage("private/big.md", try repo.sealed(String(repeating: "word ", count: 100)))
        let refused = try repo.run {
            StagedCheck.plaintext(
                in: try repo.staged(), walker: repo.scope().walker, requireEverywhere: false, sizeLimit: 64)
        }
        #expect(refused.map(\.code) == [.sr017Unreadable])
        #expect(refused.first?.file == "private/big.md")
    }

    @Test func theAuditOfStagedRecordsRunsThePolicysChecksAndHidesWhatThePolicyIgnores() throws {
        defer { repo.remove() }
        // Sealed and signed with a key the run does not have: its key id is unknown (SR010).
        let other = try RecordSealer.seal(try record("---\ntitle: X\n---\nOther.\n"), with: try newKey("other"))
        try repo.stage("a/other.md", other.record.bytes)
        try repo.stage("b/other.md", other.record.bytes)
        try repo.stage("b/.secured.yaml", "ignore: [SR010]\n")
        try repo.stage("c/good.md", try repo.sealed("Fine."))
        let findings = try repo.run {
            StagedCheck.audit(
                try repo.staged(), walker: repo.scope().walker, checker: RecordChecker(keys: try ring(repo.key)))
        }
        #expect(findings.map(\.file) == ["a/other.md"], "b/ ignores SR010; c/good.md passes")
        #expect(findings.first?.code == .sr010UnknownKeyID)
        #expect(findings.first?.line == 4 && findings.first?.field == "signature", "the signature line names it")
    }

    @Test func theVerdictRefusesPlaintextOnceAndCountsAuditErrors() throws {
        defer { repo.remove() }
        try requirePrivateSealed()
        try repo.stage("private/plain.md", "---\ntitle: P\n---\nThe private body.\n")
        try repo.stage("public/bad.md", "---\ntitle: X\nsecured: [1, 2]\n---\n\n")
        let verdict = try repo.run {
            let scope = repo.scope()
            let records = StagedCheck.records(in: try repo.staged(), walker: scope.walker)
            var checker = RecordChecker(keys: try ring(repo.key))
            checker.policies = scope.policies
            return StagedCheck.verdict(
                records, walker: scope.walker, plaintextCheck: true, requireSecuredEverywhere: false,
                checker: checker)
        }
        #expect(verdict.plaintext.map(\.file) == ["private/plain.md"])
        #expect(!verdict.findings.contains { $0.code == .sr003SecuredMissing }, "the plaintext check named it")
        #expect(verdict.findings.map(\.file) == ["public/bad.md"])
        #expect(verdict.auditErrors == 1 && verdict.refuses)
    }

    @Test func aCleanCommitIsNotRefusedAndSignaturesAreCounted() throws {
        defer { repo.remove() }
        try repo.stage("signed.md", try repo.sealed("Signed."))
        let unsigned = try RecordSealer.seal(
            try record("---\ntitle: U\n---\nUnsigned.\n"), with: repo.key, sign: false)
        try repo.stage("unsigned.md", unsigned.record.bytes)
        let (noKey, withKey) = try repo.run {
            let records = StagedCheck.records(in: try repo.staged(), walker: repo.scope().walker)
            func verdict(_ keys: KeyRing) -> StagedCheck.Verdict {
                StagedCheck.verdict(
                    records, walker: repo.scope().walker, plaintextCheck: true, requireSecuredEverywhere: true,
                    checker: RecordChecker(keys: keys))
            }
            return (verdict(KeyRing()), verdict(try ring(repo.key)))
        }
        #expect(!noKey.refuses && noKey.signaturesNotVerified == 1 && noKey.unsigned.isEmpty)
        #expect(!withKey.refuses && withKey.signaturesNotVerified == 0 && withKey.unsigned == ["unsigned.md"])
    }

    @Test func withoutTheChecksTheVerdictIsThePlaintextCheckAlone() throws {
        defer { repo.remove() }
        try repo.stage("bad.md", "---\ntitle: X\nsecured: [1, 2]\n---\n\n")
        let verdict = try repo.run {
            StagedCheck.verdict(
                try repo.staged(), walker: repo.scope().walker, plaintextCheck: false,
                requireSecuredEverywhere: false, checker: nil)
        }
        #expect(verdict.plaintext.isEmpty && verdict.findings.isEmpty && !verdict.refuses)
    }
}
