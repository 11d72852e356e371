import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@Suite("Manifests (SPEC section 6)")
struct ManifestTests {
    let dir: URL
    let key: SecuredKey

    init() throws {
        dir = try TestPaths.temporaryDirectory("manifest")
        // HMAC only (enc and mac): these tests are about the '# signature:' line; the detached
        // .minisig has tests of its own (MinisignTests).
        key = try SecuredKey(
            id: "m", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: SymmetricKey(size: .bits256))
        for name in ["a.md", "b.md", "sub/c.md"] {
            let url = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("---\ntitle: \(name)\n---\nbody\n".utf8).write(to: url)
        }
    }

    var manifest: String { dir.appendingPathComponent(Manifest.defaultName).path }

    func check(_ text: String? = nil) throws -> [RecordError] {
        if let text { try Data(text.utf8).write(to: URL(fileURLWithPath: manifest)) }
        return Manifest.check(manifest: manifest, root: dir.path, keys: try ring(key)).findings
    }

    /// The built manifest's lines, without the final newline.
    func lines() throws -> [String] {
        try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func builtManifestChecksAndIsSha256sumCompatible() throws {
        let written = try Manifest.write(root: dir.path, key: key)
        #expect(written.records == 3)
        #expect(try check().isEmpty)
        let l = try lines()
        #expect(l.count == 4 && l[3].hasPrefix("# signature: v1;m;"))
        #expect(l[0].hasSuffix("  a.md") && l[2].hasSuffix("  sub/c.md"))
        if programExists("sha256sum") {
            let r = try runProcess("sha256sum", ["-c", "--quiet", Manifest.defaultName], currentDirectory: dir)
            #expect(r.status == 0, "\(r.stderrText)")
        }
    }

    @Test func malformedRepeatedAndOutOfOrderLinesAreSR018() throws {
        _ = try Manifest.write(root: dir.path, key: key)
        let l = try lines()
        let cases: [(String, [String], Int)] = [
            ("malformed", [l[0], "not a manifest line", l[1], l[2], l[3]], 2),
            ("repeated", [l[0], l[0], l[1], l[2], l[3]], 2),
            ("out of order", [l[1], l[0], l[2], l[3]], 2),
        ]
        for (name, text, line) in cases {
            let findings = try check(text.joined(separator: "\n") + "\n")
            #expect(
                findings.contains { $0.code == .sr018ManifestMismatch && $0.line == line }, "\(name): \(findings)")
        }
    }

    @Test func secondAndMisplacedSignatureLinesAreSR019() throws {
        _ = try Manifest.write(root: dir.path, key: key)
        let l = try lines()
        let twice = try check((l + [l[3]]).joined(separator: "\n") + "\n")
        #expect(twice.contains { $0.code == .sr019ManifestSignature && $0.line == 5 }, "\(twice)")
        let notLast = try check([l[0], l[1], l[3], l[2]].joined(separator: "\n") + "\n")
        #expect(notLast.contains { $0.code == .sr019ManifestSignature && $0.line == 4 }, "\(notLast)")
        let none = try check(l.dropLast().joined(separator: "\n") + "\n")
        #expect(none.map(\.code) == [.sr019ManifestSignature])
        #expect(none.first?.reason.contains("neither a '# signature:' line nor a detached .minisig") == true)
        let malformed = try check((l.dropLast() + ["# signature: v2;m;AAAA"]).joined(separator: "\n") + "\n")
        #expect(malformed.map(\.code) == [.sr019ManifestSignature])
    }

    @Test func missingAddedAndChangedRecordsAreSR018() throws {
        _ = try Manifest.write(root: dir.path, key: key)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("a.md"))
        try Data("---\ntitle: new\n---\n".utf8).write(to: dir.appendingPathComponent("new.md"))
        try Data("---\ntitle: changed\n---\n".utf8).write(to: dir.appendingPathComponent("b.md"))
        let findings = try check()
        #expect(findings.allSatisfy { $0.code == .sr018ManifestMismatch })
        #expect(findings.count == 3)
        #expect(findings.contains { $0.file == manifest && $0.reason.contains("'a.md' is listed but missing") })
        #expect(findings.contains { $0.file.hasSuffix("new.md") && $0.reason.contains("added") })
        #expect(findings.contains { $0.file.hasSuffix("b.md") && $0.reason.contains("changed") })
    }

    @Test func withoutKeysTheSignatureIsANoteNotAFinding() throws {
        _ = try Manifest.write(root: dir.path, key: key)
        let checked = Manifest.check(manifest: manifest, root: dir.path, keys: KeyRing())
        #expect(checked.findings.isEmpty)
        #expect(checked.notes.map(\.kind) == [.manifestSignatureNotChecked])
        let other = try newKey("other")
        let wrong = Manifest.check(manifest: manifest, root: dir.path, keys: try ring(other)).findings
        #expect(wrong.map(\.code) == [.sr019ManifestSignature])
    }
}
