import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// A per-file operation over many files (seal, sign, verify, rotate): one outcome a file in
/// order, the counts by action, and a file that fails recorded without stopping the batch.
@Suite("Batch report: outcomes, counts and failures")
struct BatchReportTests {
    func refusal(_ file: String) -> RecordError {
        RecordError(.sr012DecryptionFailed, file: file, line: 3, field: "secured", reason: "no key opens it")
    }

    @Test func aFileThatThrowsIsRecordedAsFailedAndTheBatchGoesOn() {
        var seen: [(String, Int)] = []
        let report = BatchReport.run(
            "seal", files: ["a.md", "b.md", "c.md", "d.md"],
            operation: { file throws(RecordError) in
                if file == "b.md" || file == "d.md" { throw refusal(file) }
                return FileOutcome(file: file, action: file == "a.md" ? .sealed : .alreadySealed, signed: true)
            },
            progress: { outcome, done in seen.append((outcome.file, done)) })
        #expect(report.outcomes.map(\.file) == ["a.md", "b.md", "c.md", "d.md"])
        #expect(report.outcomes.map(\.action) == [.sealed, .failed, .alreadySealed, .failed])
        #expect(seen.map(\.0) == ["a.md", "b.md", "c.md", "d.md"] && seen.map(\.1) == [1, 2, 3, 4])
        #expect(report.failed == 2)
        #expect(report.failures.map(\.file) == ["b.md", "d.md"], "in the order the files were given")
        #expect(report.failures.allSatisfy { $0.code == .sr012DecryptionFailed && $0.line == 3 })
        #expect(report.counts == [.sealed: 1, .alreadySealed: 1, .failed: 2])
        #expect(report.written == ["a.md"], "only the actions that write")
    }

    @Test func aDryRunWritesNothingButItsOutcomesSayWhatWouldBe() {
        let report = BatchReport.run("seal", dryRun: true, files: ["a.md", "b.md"]) { file throws(RecordError) in
            FileOutcome(file: file, action: .sealed)
        }
        #expect(report.dryRun && report.command == "seal")
        #expect(report.counts[.sealed] == 2 && report.failed == 0)
        #expect(report.written.isEmpty)
    }

    @Test func outcomesAddedByHandAreCountedByAction() {
        var report = BatchReport(command: "rotate")
        report.add(FileOutcome(file: "a.md", action: .rotated, signed: true, keyID: "new"))
        report.add(FileOutcome(file: "b.md", action: .notSealed))
        report.add(FileOutcome(failed: refusal("c.md")))
        #expect(report.counts == [.rotated: 1, .notSealed: 1, .failed: 1])
        #expect(report.written == ["a.md"] && report.failures.map(\.file) == ["c.md"])
        #expect(report.outcomes[2].error?.field == "secured" && !report.outcomes[2].signed)
    }

    @Test func whichActionsWriteTheFile() {
        let writing = FileOutcome.Action.allCases.filter(\.writes)
        #expect(writing == [.sealed, .resealed, .signed, .rotated, .resigned, .resealedUnsigned, .signedUnsigned])
        #expect(FileOutcome.Action(RecordSealer.Outcome.alreadySealed) == .alreadySealed)
    }
}
