import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// What the pre-commit hook says beside its verdict, decided by the library on the index of a
/// real repository: staged files the checks pass over, the policies in force, secret keys
/// staged, a manifest left stale, and the leak check.
@Suite("Staged files: notes, secret keys, the manifest and leaks")
struct StagedCheckNotesTests {
    let repo: StagedRepository
    init() throws { repo = try StagedRepository() }

    @Test func stagedFilesTheChecksPassOverAreNamedInNotes() throws {
        defer { repo.remove() }
        try repo.stage(".secured.yaml", "require-secured: [private/**]\n")
        try repo.stage("private/.draft.md", "x\n")
        try repo.stage(".hidden.md", "x\n")
        try repo.stage("private/post.markdown", "x\n")
        try repo.stage("private/empty.markdown", "")
        try repo.stage("private/ok.md", "x\n")
        try repo.stage("public/.unrelated.txt", "x\n")
        let notes = StagedCheck.uncheckedNotes(in: try repo.staged(), walker: repo.scope().walker)
        #expect(notes.map(\.kind) == [.stagedNotChecked, .stagedNotChecked])
        let hidden = notes.first?.message ?? ""
        #expect(hidden.hasPrefix("2 staged hidden files"), "\(hidden)")
        #expect(hidden.contains(".hidden.md") && hidden.contains("private/.draft.md"))
        #expect(!hidden.contains(".unrelated.txt") && !hidden.contains(".secured.yaml"))
        let notRecords = notes.last?.message ?? ""
        #expect(notRecords.hasPrefix("1 staged file lies"), "\(notRecords)")
        #expect(notRecords.contains("private/post.markdown") && !notRecords.contains("empty.markdown"))
        #expect(notRecords.contains("\"*.markdown\""), "the pattern that would select it")
    }

    @Test func whenEveryStagedFileIsCheckedThereIsNoNote() throws {
        defer { repo.remove() }
        try repo.stage(".secured.yaml", "require-secured: [private/**]\n")
        try repo.stage("private/ok.md", "x\n")
        try repo.stage("README.txt", "x\n")
        #expect(StagedCheck.uncheckedNotes(in: try repo.staged(), walker: repo.scope().walker).isEmpty)
    }

    @Test func aPolicyThatHidesErrorsOfStagedRecordsIsNotedOnlyWhenTheChecksRun() throws {
        defer { repo.remove() }
        try repo.stage("news/.secured.yaml", "ignore: [SR010]\n")
        try repo.stage("news/a.md", "x\n")
        try repo.stage("other/b.md", "x\n")
        let staged = try repo.staged()
        let walker = repo.scope().walker
        let notes = StagedCheck.policyNotes(in: staged, walker: walker, checker: RecordChecker(keys: KeyRing()))
        #expect(notes.map(\.kind) == [.policyIgnoresErrors])
        #expect(notes.first?.path == "news/.secured.yaml" && notes.first?.line == 1)
        #expect(StagedCheck.policyNotes(in: staged, walker: walker, checker: nil).isEmpty)
        var required = RecordChecker(keys: KeyRing())
        required.requireSignature = true
        #expect(
            StagedCheck.policyNotes(in: staged, walker: walker, checker: required).isEmpty,
            "required signatures are not hidden, so nothing is")
    }

    @Test func aStagedSecretKeyIsRefusedWhateverItsNameAndAPublicKeyIsNot() throws {
        defer { repo.remove() }
        let text = repo.key.keyFileText()
        try repo.stage("Keys/site.key", text)
        try repo.stage("notes/copied.txt", "some notes\n" + text)
        try repo.stage("Keys/site.pub", try #require(repo.key.publicKey).fileText)
        try repo.stage("README.md", "# enc: is a word here\n")
        let refused = try repo.run { StagedCheck.secretKeys(in: try repo.staged()) }
        #expect(refused.map(\.file) == ["Keys/site.key", "notes/copied.txt"])
        #expect(refused.allSatisfy { $0.code == .refused })
        #expect(refused.allSatisfy { $0.reason.contains("git rm --cached") })
    }

    /// The staged records, as the hook hands them to the manifest check.
    func records() throws -> [Git.StagedFile] {
        StagedCheck.records(in: try repo.staged(), walker: repo.scope().walker)
    }

    @Test func aStagedRecordTheNamedManifestDoesNotListIsSR018() throws {
        defer { repo.remove() }
        try repo.stage("content/.secured.yaml", "manifest: MANIFEST.sha256\n")
        let first = try repo.sealed("First.")
        try repo.write("content/a.md", first)
        let manifest = repo.dir.appendingPathComponent("content/MANIFEST.sha256").path
        let text = try Manifest.build(
            root: repo.dir.appendingPathComponent("content").path, key: repo.key, excluding: manifest)
        try repo.stage("content/MANIFEST.sha256", text)
        try repo.stage("content/a.md", first)
        let current = try repo.run {
            StagedCheck.staleManifest(try records(), manifest: "content/MANIFEST.sha256")
        }
        #expect(current.isEmpty, "\(current)")
        try repo.stage("content/a.md", try repo.sealed("Changed."))
        try repo.stage("content/new.md", try repo.sealed("New."))
        let stale = try repo.run {
            StagedCheck.staleManifest(try records(), manifest: "content/MANIFEST.sha256")
        }
        #expect(stale.map(\.file) == ["content/a.md", "content/new.md"])
        #expect(stale.allSatisfy { $0.code == .sr018ManifestMismatch })
        #expect(try repo.run { StagedCheck.staleManifest(try records(), manifest: nil) }.isEmpty)
    }
}
