import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Where an operation's keys come from, and what it refuses before it starts: no key, only
/// public keys where a secret key is needed, several where it takes one. `SECURED_KEY` is read
/// from the environment given, never from this process's.
@Suite("Key sources: loading and the keys an operation needs")
struct KeySourcesTests {
    let dir: URL
    let key: SecuredKey
    init() throws {
        dir = try TestPaths.temporaryDirectory("key-sources")
        key = try newKey("site")
    }

    func publicKeyFile(_ key: SecuredKey) throws -> String {
        let path = dir.appendingPathComponent("\(key.id).pub").path
        try Data(try #require(key.publicKey).fileText.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// No path and no `SECURED_KEY`.
    var none: KeySources { KeySources(paths: [], environment: [:]) }

    func code(_ body: () throws -> Void) -> ConfigurationError.Code? {
        (#expect(throws: ConfigurationError.self) { try body() })?.code
    }

    @Test func noKeyLoadsAnEmptyRingAndEveryOperationThatNeedsOneSaysNoKey() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        #expect(try none.load().ring.isEmpty)
        #expect(code { _ = try none.loadRequired(purpose: "verify") } == .noKey)
        #expect(code { _ = try none.loadSecret(purpose: "open") } == .noKey)
        #expect(code { _ = try none.loadOneSecret(purpose: "rotate --from") } == .noKey)
        #expect(code { _ = try none.loadSingle(purpose: "seal") } == .noKey)
    }

    @Test func onlyPublicKeysVerifyButCannotOpenOrSeal() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let sources = KeySources(paths: [try publicKeyFile(key)], environment: [:])
        let loaded = try sources.loadRequired(purpose: "verify")
        #expect(loaded.ring.isPublicOnly && loaded.ring.publicKey(id: "site") != nil)
        #expect(code { _ = try sources.loadSecret(purpose: "open") } == .unsuitableKeys)
        #expect(code { _ = try sources.loadOneSecret(purpose: "rotate --from") } == .unsuitableKeys)
        #expect(code { _ = try sources.loadSingle(purpose: "seal") } == .unsuitableKeys)
    }

    @Test func aWriterTakesExactlyOneSecretKeyWithPublicKeysBesideIt() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let other = try newKey("other")
        let path = try writeKeyFile(key, in: dir)
        let one = KeySources(paths: [path, try publicKeyFile(other)], environment: [:])
        let single = try one.loadSingle(purpose: "seal")
        #expect(single.key.id == "site" && single.warnings.isEmpty)
        #expect(try one.loadOneSecret(purpose: "rotate --from").ring.publicKey(id: "other") != nil)
        let two = KeySources(paths: [path, try writeKeyFile(other, in: dir)])
        #expect(code { _ = try two.loadSingle(purpose: "seal") } == .unsuitableKeys)
        #expect(try two.loadSecret(purpose: "open").ring.secretKeyCount == 2, "opening takes several")
    }

    @Test func secretKeyFromTheEnvironmentGivenWhenNoPathIsNamed() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["SECURED_KEY": key.keyFileText()]
        let loaded = try KeySources(paths: [], environment: env).loadSecret(purpose: "open")
        #expect(loaded.ring.keys.map(\.id) == ["site"])
        // A path named takes the place of SECURED_KEY.
        let other = try newKey("other")
        let named = try KeySources(paths: [try writeKeyFile(other, in: dir)], environment: env).load()
        #expect(named.ring.keys.map(\.id) == ["other"])
    }

    @Test func secretKeyVariableHoldingAPathIsRefusedNotRead() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let error = #expect(throws: KeyFileError.self) {
            try KeySources(paths: [], environment: ["SECURED_KEY": "Keys/site.key"]).load()
        }
        #expect(error?.source == "$SECURED_KEY")
    }

    @Test func aSecretKeyFileOthersCanReadLoadsWithAWarning() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = try writeKeyFile(key, in: dir)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let loaded = try KeySources(paths: [path]).load()
        #expect(loaded.ring.keys.count == 1 && loaded.warnings.count == 1)
    }

    @Test func keyIDsAPolicyExpectsThatNobodySuppliedAreNotes() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = try Policy(
            parsing: Array("keys: [site, archive]\n".utf8), file: dir.path + "/.secured.yaml",
            workingDirectory: dir.path)
        let loaded = try KeySources(paths: [try publicKeyFile(key)]).load(policies: [policy])
        #expect(loaded.notes.map(\.kind) == [.expectedKeyMissing])
        #expect(loaded.notes.first?.path == ".secured.yaml" && loaded.notes.first?.line == 1)
        #expect(loaded.notes.first?.message.contains("'archive'") == true, "site was supplied, as a public key")
        #expect(try none.load(policies: [policy]).notes.count == 2)
    }
}
