import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// An embedder tells configuration errors apart by their code, never by their wording.
@Suite("Configuration error codes")
struct ConfigurationErrorTests {
    /// The code of the configuration error `body` throws, or `nil` when it throws none.
    func code(_ body: () throws -> Void) -> ConfigurationError.Code? {
        do {
            try body()
            return nil
        } catch let error as ConfigurationError {
            return error.code
        } catch {
            Issue.record("not a configuration error: \(error)")
            return nil
        }
    }

    /// What a caller of the library writes: a switch on the code.
    func advice(_ error: ConfigurationError) -> String {
        switch error.code {
        case .noKey: "ask for a key"
        case .unsuitableKeys: "ask for another key"
        case .notFound: "check the path"
        case .unreadable: "check the permissions"
        case .malformed: "fix the file"
        case .policy: "fix the policy"
        default: "other"
        }
    }

    @Test func noKeyAtAllIsNoKey() throws {
        let sources = KeySources(paths: [], environment: [:])
        #expect(code { _ = try sources.loadSecret(purpose: "open") } == .noKey)
        #expect(code { _ = try sources.loadSingle(purpose: "seal") } == .noKey)
        do {
            _ = try sources.loadSecret(purpose: "open")
        } catch let error as ConfigurationError {
            #expect(advice(error) == "ask for a key")
            #expect(error.description == "open needs a key", "the library names no flag")
        }
    }

    @Test func onlyAPublicKeyWhereASecretOneIsNeededIsUnsuitableKeys() throws {
        let dir = try TestPaths.temporaryDirectory()
        let key = try newKey("pubonly")
        let pub = dir.appendingPathComponent("pubonly.pub").path
        try Data(key.publicKey!.fileText.utf8).write(to: URL(fileURLWithPath: pub))
        #expect(
            code { _ = try KeySources(paths: [pub], environment: [:]).loadSecret(purpose: "open") } == .unsuitableKeys)
    }

    @Test func aMissingPathIsNotFound() {
        #expect(code { try CorpusScope.refuseMissing(["no/such/folder"]) } == .notFound)
        #expect(code { try CorpusScope.refuseMissing([]) } == nil)
    }

    @Test func aBaselineThatCannotBeReadOrHoldsAStrangeLineIsUnreadableOrMalformed() throws {
        let dir = try TestPaths.temporaryDirectory()
        #expect(code { _ = try LeakBaseline.read(dir.appendingPathComponent("none").path) } == .unreadable)
        let bad = dir.appendingPathComponent("bad.baseline")
        try Data("not a fingerprint\n".utf8).write(to: bad)
        #expect(code { _ = try LeakBaseline.read(bad.path) } == .malformed)
    }

    @Test func writingOverAKeyFileIsWouldOverwrite() throws {
        let key = try TestPaths.temporaryDirectory().appendingPathComponent("a.key")
        try Data("id: a\n".utf8).write(to: key)
        #expect(code { try KeyFileOperations.refuseWritingOverKeys([key.path], inputs: [key.path]) } == .wouldOverwrite)
    }

    @Test func errorsCompareByCodeNotWording() {
        #expect(ConfigurationError(.noKey, "one wording") == ConfigurationError(.noKey, "another"))
        #expect(ConfigurationError(.noKey, "same") != ConfigurationError(.notFound, "same"))
        #expect(ConfigurationError.Code.capability.description == "capability")
    }
}
