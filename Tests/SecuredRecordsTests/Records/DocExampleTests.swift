import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// The examples in the doc comments, run as written (with a key, a ring and a folder to
/// stand in), so that they name APIs that exist and do what they say.
@Suite("Doc comment examples")
struct DocExampleTests {
    @Test func cryptoExamples() throws {
        // AESCBC.swift
        let key = try SymmetricKey(size: .bits256)
        let iv = try AESCBC.IV()
        let c = try AESCBC.encrypt(Array("hello".utf8), using: key, iv: iv)
        let p = try AESCBC.decrypt(c, using: key, iv: iv)
        #expect(p == Array("hello".utf8))
        // HMACSHA256.swift
        let macKey = try SymmetricKey(size: .bits256)
        let message = Array("message".utf8)
        let tag = HMACSHA256.authenticationCode(for: message, using: macKey)
        let ok = HMACSHA256.isValidAuthenticationCode(tag, authenticating: message, using: macKey)
        #expect(ok)
        var h = HMACSHA256(key: macKey)
        h.update(Array("mess".utf8))
        h.update(Array("age".utf8))
        #expect(h.finalize() == tag)
        // SealedValue.swift
        let text = try SealedValue(ciphertext: c, iv: iv).serialized
        let value = try SealedValue(parsing: text)
        #expect(value.serialized == text)
    }

    @Test func recordExamples() throws {
        let dir = try TestPaths.temporaryDirectory("docs")
        let key = try newKey("demo")
        let keyPath = try writeKeyFile(key, in: dir)
        let path = dir.appendingPathComponent("a.md").path
        let bytes = Array("---\ntitle: t\n---\nbody\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        // KeyRing.swift
        let (ring, warnings) = try KeyRing.load(paths: [keyPath])
        #expect(warnings.isEmpty)
        // Record.swift
        let record = try Record(parsing: bytes, file: "posts/a.md")
        #expect(record.securedLine?.line.number == nil)
        // RecordSealer.swift
        let result = try RecordSealer.seal(record, with: key)
        if result.outcome != .alreadySealed {
            try AtomicFileWriter.replaceContents(of: path, with: result.record.bytes)
        }
        let opened = try RecordSealer.open(result.record, keys: ring)
        #expect(opened.content == Array("body\n".utf8))
        let edited = try result.record.removingTopLevelLine(result.record.signatureLine!)
        #expect(edited.signatureLine == nil)
        // RecordSigner.swift
        let signed = try RecordSigner.sign(edited, with: key)
        let check = try RecordSigner.verify(signed, keys: ring).get()
        #expect(check == .valid(keyID: "demo"))
        // RecordChecker.swift, Auditor.swift, AuditRun.swift, Inspection.swift
        let checker = RecordChecker(keys: ring, requireSignature: true)
        #expect(checker.check(file: path).findings.isEmpty)
        var options = AuditOptions()
        options.requireSignature = true
        let run = Auditor(keys: ring, options: options).audit(paths: [dir.path])
        var findings = 0
        run.forEachFinding { _ in findings += 1 }
        #expect(findings == 0 && run.recordsPassed == run.recordsChecked)
        // Docs.docc/SecuredRecords.md: a walker whose policies start from a folder given.
        let walker = CorpusWalker(policies: PolicyResolver(workingDirectory: dir.path))
        let walked = Auditor(keys: ring, options: options, walker: walker).run(walk: walker.walk([dir.path]))
        #expect(walked.recordsChecked == run.recordsChecked && walked.recordsPassed == walked.recordsChecked)
        let inspection = Inspection(record: try RecordFileOperations.load(path), keys: ring)
        #expect(inspection.findings.isEmpty)
        // Manifest.swift
        let manifest = dir.appendingPathComponent("MANIFEST.sha256").path
        let text = try Manifest.build(root: dir.path, key: key, excluding: manifest)
        try Data(text.utf8).write(to: URL(fileURLWithPath: manifest))
        #expect(Manifest.check(manifest: manifest, root: dir.path, keys: ring).findings.isEmpty)
    }

    /// Docs.docc/SecuredRecords.md as written: relative paths, from a working directory that
    /// is not the process's.
    @Test func catalogExample() throws {
        let site = try TestPaths.temporaryDirectory("docs-site").resolvingSymlinksInPath().path
        defer { try? FileManager.default.removeItem(atPath: site) }
        #expect(!FileManager.default.fileExists(atPath: "content/post.md"), "the process's folder is not the site")
        let key = try newKey("site")
        func write(_ path: String, _ text: String) throws {
            let url = URL(fileURLWithPath: site).appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        try write("Keys/site.pub", try #require(key.publicKey).fileText)
        try write("site.readonly.key", key.keyFileText())
        let plain = try Record(parsing: Array("---\ntitle: t\n---\nbody\n".utf8), file: "content/post.md")
        try write(
            "content/post.md", String(decoding: try RecordSealer.seal(plain, with: key).record.bytes, as: UTF8.self))

        // Keys: a public key verifies, a read-only or secret key opens.
        let keys = try KeySources(paths: ["Keys/site.pub", "site.readonly.key"], workingDirectory: site).load().ring
        // One record: verify its signature, then decrypt.
        let record = try RecordFileOperations.load("content/post.md", workingDirectory: site)
        let opened = try RecordSealer.open(record, keys: keys, requireSignature: true)
        #expect(opened.content == Array("body\n".utf8))
        // A whole corpus, every finding of the specification's section 7.
        let walker = CorpusWalker(policies: PolicyResolver(workingDirectory: site))
        var options = AuditOptions()
        options.requireSignature = true
        let run = Auditor(keys: keys, options: options, walker: walker).run(walk: walker.walk(["content"]))
        var findings: [RecordError] = []
        run.forEachFinding { findings.append($0) }
        #expect(findings.isEmpty && run.recordsChecked == 1 && run.recordsPassed == 1, "\(findings)")
        #expect(walker.walk(["content"]).files == ["content/post.md"], "named as walked")
    }
}
