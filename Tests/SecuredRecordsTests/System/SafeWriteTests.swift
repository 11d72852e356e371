import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@Suite("Safe writes and file operations")
struct SafeWriteTests {
    let dir: URL
    init() throws { dir = try TestPaths.temporaryDirectory("safewrite") }

    func write(_ name: String, _ text: String, mode: Int = 0o640) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }

    func leftovers() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.contains(AtomicFileWriter.temporaryMarker)
        }
    }

    @Test func failureAfterTheTemporaryFileIsWrittenLeavesTheOriginal() throws {
        let path = try write("a.md", "---\ntitle: t\n---\nbody\n")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = #expect(throws: RecordError.self) {
            try AtomicFileWriter.replaceContents(of: path, with: Array("new".utf8)) { stage throws(RecordError) in
                if stage == .temporaryWritten { throw RecordError(.io, file: path, reason: "injected fault") }
            }
        }
        #expect(error?.reason == "injected fault")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        #expect(try leftovers().isEmpty)
    }

    @Test(.enabled(if: getuid() != 0, "root ignores folder permissions; the injected fault above covers the same path"))
    func readOnlyFolderFailsCleanly() throws {
        let path = try write("r.md", "---\ntitle: t\n---\nbody\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: dir.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: dir.path) }
        #expect(throws: RecordError.self) { try RecordFileOperations.seal(path, with: newKey()) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "---\ntitle: t\n---\nbody\n")
    }

    @Test func permissionsAreKeptAndSymlinksRefused() throws {
        let path = try write("p.md", "---\ntitle: t\n---\nbody\n", mode: 0o604)
        _ = try RecordFileOperations.seal(path, with: newKey())
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o604)
        let link = dir.appendingPathComponent("link.md").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        let target = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(throws: RecordError.self) { try AtomicFileWriter.replaceContents(of: link, with: [1, 2, 3]) }
        #expect(throws: RecordError.self) { try RecordFileOperations.sign(link, with: newKey()) }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == path)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == target)
    }

    @Test func refusalsLeaveTheFileByteIdentical() throws {
        let key = try newKey()
        let cases: [(String, String)] = [
            ("blank.md", "---\ntitle: t\n---\n\n"),
            ("ambiguous.md", "---\ntitle: a\ntitle: b\n---\nbody\n"),
            ("nofm.md", "no front matter\n"),
        ]
        for (name, text) in cases {
            let path = try write(name, text)
            #expect(throws: RecordError.self, "\(name)") { try RecordFileOperations.seal(path, with: key) }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == text, "\(name)")
        }
        let sealedPath = try write("s.md", "---\ntitle: t\n---\nbody\n")
        _ = try RecordFileOperations.seal(sealedPath, with: key)
        let sealed = try String(contentsOfFile: sealedPath, encoding: .utf8)
        try Data((sealed + "leaked body\n").utf8).write(to: URL(fileURLWithPath: sealedPath))
        #expect(throws: RecordError.self) { try RecordFileOperations.seal(sealedPath, with: key) }
        #expect(throws: RecordError.self) { try RecordFileOperations.openInPlace(sealedPath, keys: ring(key)) }
        #expect(try String(contentsOfFile: sealedPath, encoding: .utf8) == sealed + "leaked body\n")
        #expect(try leftovers().isEmpty)
    }

    @Test func sealThenOpenInPlaceOnDisk() throws {
        let key = try newKey()
        let text = "---\r\ntitle: t\r\n---\r\nbody\r\n"
        let path = try write("f.md", text)
        let result = try RecordFileOperations.seal(path, with: key, dryRun: true)
        #expect(result.outcome == .sealed)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        _ = try RecordFileOperations.seal(path, with: key)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("secured: \""))
        #expect(try RecordFileOperations.sign(path, with: key) == false)
        try RecordFileOperations.openInPlace(path, keys: ring(key))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test func createRefusesToOverwriteAndSetsTheMode() throws {
        let path = dir.appendingPathComponent("k.key").path
        try AtomicFileWriter.create(at: path, with: Array("secret".utf8), mode: 0o600)
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        #expect(throws: RecordError(.refused, file: "", reason: "")) {
            try AtomicFileWriter.create(at: path, with: Array("other".utf8), mode: 0o600)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "secret")
        #expect(try leftovers().isEmpty)
    }
}

@Suite("Key rings (SPEC section 3)")
struct KeyRingTests {
    @Test func loadsFilesFoldersAndTheEnvironment() throws {
        let dir = try TestPaths.temporaryDirectory("keys")
        let a = try newKey("a")
        let b = try newKey("b")
        let pa = try writeKeyFile(a, in: dir)
        _ = try writeKeyFile(b, in: dir)
        try Data("not a key".utf8).write(to: dir.appendingPathComponent("notes.txt"))
        let (fromFile, w1) = try KeyRing.load(paths: [pa], environment: [:])
        #expect(fromFile.keys.map(\.id) == ["a"])
        #expect(w1.isEmpty)
        let (fromDir, _) = try KeyRing.load(paths: [dir.path], environment: [:])
        #expect(fromDir.keys.map(\.id) == ["a", "b"])
        #expect(fromDir.key(id: "b")?.fingerprint == b.fingerprint)
        let (fromEnv, _) = try KeyRing.load(paths: [], environment: ["SECURED_KEY": a.keyFileText()])
        #expect(fromEnv.keys.first?.fingerprint == a.fingerprint)
        // --key wins over the environment.
        let (both, _) = try KeyRing.load(paths: [pa], environment: ["SECURED_KEY": b.keyFileText()])
        #expect(both.keys.map(\.id) == ["a"])
        #expect(try KeyRing.load(paths: [], environment: [:]).ring.isEmpty)
    }

    @Test func warnsOnReadableKeyFilesAndRejectsDuplicates() throws {
        let dir = try TestPaths.temporaryDirectory("keys")
        let a = try newKey("a")
        let path = try writeKeyFile(a, in: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let (_, warnings) = try KeyRing.load(paths: [path], environment: [:])
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("chmod 600") == true)
        #expect(throws: KeyFileError.self) { try KeyRing.load(paths: [path, path], environment: [:]) }
        #expect(throws: KeyFileError.self) {
            try KeyRing.load(paths: [dir.appendingPathComponent("missing.key").path], environment: [:])
        }
        let empty = try TestPaths.temporaryDirectory("nokeys")
        #expect(throws: KeyFileError.self) { try KeyRing.load(paths: [empty.path], environment: [:]) }
    }
}
