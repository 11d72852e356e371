import Foundation
import SecuredCrypto
import TestSupport
import Testing

@testable import SecuredRecords

@Suite("Audit fails closed; copied blobs scale")
struct AuditFailClosedTests {
    let dir: URL
    init() throws { dir = try TestPaths.temporaryDirectory("failclosed") }

    /// `count` records that each repeat a key (SR002), so every record has a finding.
    func brokenCorpus(_ count: Int) throws {
        for i in 0..<count {
            try Data("---\ntitle: a\ntitle: b\n---\nbody \(i)\n".utf8).write(
                to: dir.appendingPathComponent(String(format: "r%05d.md", i)))
        }
    }

    @Test func aSpoolThatStopsTakingWritesKeepsEveryFinding() throws {
        try brokenCorpus(3000)
        var options = AuditOptions()
        options.spoolWriteLimit = 16 * 1024  // as with /tmp on a 16 KB tmpfs
        let run = Auditor(keys: KeyRing(), options: options).audit(paths: [dir.path])
        #expect(run.ioFailure == nil)
        #expect(run.findings.count == 3000)
        #expect(run.recordsPassed == 0)
        #expect(run.errorCount == 3000)
    }

    @Test func aSpoolThatCannotBeReadBackFailsTheAudit() throws {
        try brokenCorpus(300)
        var options = AuditOptions()
        options.spoolWriteLimit = 1024
        options.spoolReadFails = true
        let run = Auditor(keys: KeyRing(), options: options).audit(paths: [dir.path])
        #expect(run.ioFailure != nil)
        #expect(run.hasErrors)
        #expect(run.recordsPassed < 300)
    }

    @Test func copiesAreGroupedWithABoundedList() throws {
        let key = try newKey("copies")
        let sealed = try RecordSealer.seal(record("---\ntitle: t\n---\nthe body\n"), with: key).record
        let other = try RecordSealer.seal(record("---\ntitle: t\n---\nanother body\n"), with: key).record
        for i in 0..<3000 {
            try Data(sealed.bytes).write(to: dir.appendingPathComponent(String(format: "c%05d.md", i)))
        }
        // One record shares the IV with a different ciphertext: SR014 for all, naming it.
        var reused = other.bytes
        let mine = try other.blob()
        let theirs = try sealed.blob()
        let text = String(decoding: reused, as: UTF8.self).replacingOccurrences(
            of: Base64.encode(mine.iv.bytes), with: Base64.encode(theirs.iv.bytes))
        reused = Array(text.utf8)
        try Data(reused).write(to: dir.appendingPathComponent("z-reused.md"))
        let run = Auditor(keys: KeyRing()).audit(paths: [dir.path])
        let findings = run.findings
        #expect(findings.count { $0.code == .sr015DuplicateBlob } == 3000)
        #expect(findings.count { $0.code == .sr014IVReused } == 3001)
        let first = try #require(findings.first { $0.code == .sr015DuplicateBlob })
        #expect(first.reason.hasSuffix("and 2996 more"), "\(first.reason)")
        #expect(first.reason.count < 400)
        let lone = try #require(findings.first { $0.code == .sr014IVReused && $0.file.hasSuffix("z-reused.md") })
        #expect(lone.reason.hasSuffix("and 2997 more"), "\(lone.reason)")
        #expect(!lone.reason.contains("z-reused.md"))
    }
}
