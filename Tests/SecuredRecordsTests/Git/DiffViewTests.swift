import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// What the git diff driver shows of a file, decided by the library and never thrown: the
/// record opened when a key at hand opens it (and whether its signature vouches for it), or
/// the file unchanged and why. Keys come from the paths and the environment given.
@Suite("Diff view: opened, unchanged, too large, unreadable")
struct DiffViewTests {
    let dir: URL
    let key: SecuredKey
    init() throws {
        dir = try TestPaths.temporaryDirectory("diff-view").resolvingSymlinksInPath()
        key = try newKey("site")
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = dir.appendingPathComponent(name).path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A record with `body` sealed with ``key``, signed or not.
    func sealed(_ body: String, sign: Bool = true) throws -> String {
        let plain = try record("---\ntitle: T\n---\n\(body)\n")
        return try write("sealed-\(sign).md", try RecordSealer.seal(plain, with: key, sign: sign).record.bytes)
    }

    func view(_ file: String, keys: [String] = [], environment: [String: String] = [:]) -> DiffView {
        DiffView.of(
            file, keyPaths: keys, identityPaths: [], usePolicies: false, workingDirectory: dir.path,
            environment: environment)
    }

    /// The reason of an unchanged view, `nil` for any other.
    func unchangedReason(_ view: DiffView) -> String?? {
        if case .unchanged(_, let reason) = view { return .some(reason) }
        return nil
    }

    @Test func aSignedRecordOpensAuthenticatedAndAnUnsignedOneDoesNot() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let keyFile = try writeKeyFile(key, in: dir)
        guard case .opened(let bytes, let authenticated) = view(try sealed("Signed body."), keys: [keyFile]) else {
            Issue.record("not opened")
            return
        }
        #expect(authenticated && String(decoding: bytes, as: UTF8.self).contains("Signed body."))
        guard case .opened(_, let unsigned) = view(try sealed("Unsigned.", sign: false), keys: [keyFile]) else {
            Issue.record("not opened")
            return
        }
        #expect(!unsigned, "padding that checks out with a key is not a signature")
    }

    /// The file, the key files, the identity files and the passphrase file named relative
    /// start from the working directory given, not the process's.
    @Test func relativePathsStartFromTheWorkingDirectoryGiven() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try writeKeyFile(key, in: dir)
        _ = try sealed("Relative.")
        #expect(!FileManager.default.fileExists(atPath: "sealed-true.md"), "the process's folder is not the one given")
        let shown = view("sealed-true.md", keys: ["site.key"])
        guard case .opened(let bytes, true) = shown else {
            Issue.record("not opened: \(shown)")
            return
        }
        #expect(String(decoding: bytes, as: UTF8.self).contains("Relative."))
        let missing = DiffView.of(
            "sealed-true.md", keyPaths: ["site.key"], identityPaths: [], passphrasePath: "none.txt", usePolicies: false,
            workingDirectory: dir.path, environment: [:])
        #expect(unchangedReason(missing)??.contains("none.txt: cannot read the passphrase file") == true, "\(missing)")
    }

    @Test func theKeyCanComeFromTheEnvironmentGiven() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let shown = view(try sealed("From the environment."), environment: ["SECURED_KEY": key.keyFileText()])
        guard case .opened = shown else {
            Issue.record("not opened: \(shown)")
            return
        }
    }

    @Test func aFileThatIsNotASealedRecordIsShownUnchangedWithNoReason() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = Array("---\ntitle: P\n---\nA plaintext body.\n".utf8)
        guard case .unchanged(let bytes, let reason) = view(try write("plain.md", text)) else {
            Issue.record("not unchanged")
            return
        }
        #expect(bytes == text && reason == nil)
    }

    @Test func noKeyOrOnlyPublicKeysLeaveTheRecordUnchangedAndSayWhy() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try sealed("Body.")
        let noKey = unchangedReason(view(file)) ?? nil
        #expect(noKey?.hasPrefix("no key") == true, "\(String(describing: noKey))")
        let pub = try write("site.pub", Array(try #require(key.publicKey).fileText.utf8))
        let publicOnly = unchangedReason(view(file, keys: [pub])) ?? nil
        #expect(publicOnly?.hasPrefix("only public keys") == true, "\(String(describing: publicOnly))")
    }

    /// Signed by a key the run lacks: its key id is unknown, and the code comes first.
    @Test func aKeyThatDoesNotOpenTheRecordLeavesItUnchangedWithTheCode() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = try sealed("Body.")
        let other = try writeKeyFile(try newKey("other"), in: dir)
        let reason = unchangedReason(view(file, keys: [other])) ?? nil
        #expect(reason?.hasPrefix("SR010 ") == true, "\(String(describing: reason))")
    }

    @Test func keysThatCannotBeLoadedLeaveTheRecordUnchanged() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let reason = unchangedReason(view(try sealed("Body."), keys: [dir.path + "/missing.key"])) ?? nil
        #expect(reason?.hasPrefix("the keys cannot be loaded") == true, "\(String(describing: reason))")
    }

    @Test func aFileOverTheSizeLimitIsTooLargeAndAMissingOneUnreadable() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let big = try write("big.md", [])
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try handle.truncate(atOffset: UInt64(Record.defaultSizeLimit + 1))
        try handle.close()
        guard case .tooLarge = view(big) else {
            Issue.record("not too large: \(view(big))")
            return
        }
        guard case .unreadable = view(dir.path + "/missing.md") else {
            Issue.record("not unreadable")
            return
        }
    }
}
