import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Checks that cannot run never pass silently: signatures required with no key at all refuse
/// the run, and the notes say how many signatures went unverified and which records carry none.
@Suite("Signature requirement: refusing, and the notes")
struct SignatureRequirementTests {
    /// A folder whose policy requires signatures of `signed/` and expects the key `site`.
    func site() throws -> URL {
        let dir = try TestPaths.temporaryDirectory("sig-required").resolvingSymlinksInPath()
        try Data("require-signature: [signed/**]\nkeys: [site]\n".utf8)
            .write(to: dir.appendingPathComponent(".secured.yaml"))
        return dir
    }

    @Test func signaturesRequiredByTheCallerWithNoKeyAreANoKeyErrorNamingWhatRequiresThem() throws {
        let error = #expect(throws: ConfigurationError.self) {
            try SignatureRequirement.check(keys: KeyRing(), flag: "verify", files: ["a.md"], policies: nil)
        }
        #expect(error?.code == .noKey)
        #expect(error?.message.contains("(verify)") == true && error?.remedy == .givePublicKey(expectedID: nil))
    }

    @Test func aPolicyThatRequiresSignaturesRefusesTheRunAndNamesItsLineAndExpectedKey() throws {
        let dir = try site()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policies = PolicyResolver(workingDirectory: dir.path)
        let error = #expect(throws: ConfigurationError.self) {
            try SignatureRequirement.check(
                keys: KeyRing(), flag: nil, files: ["open/a.md", "signed/b.md"], policies: policies)
        }
        #expect(error?.code == .noKey)
        #expect(error?.message.contains("(.secured.yaml:1)") == true, "\(String(describing: error))")
        #expect(error?.remedy == .givePublicKey(expectedID: "site"))
    }

    @Test func nothingIsRefusedWhenSignaturesAreNotRequiredOrAKeyIsGiven() throws {
        let dir = try site()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policies = PolicyResolver(workingDirectory: dir.path)
        try SignatureRequirement.check(keys: KeyRing(), flag: nil, files: ["open/a.md"], policies: policies)
        try SignatureRequirement.check(keys: KeyRing(), flag: nil, files: ["signed/b.md"], policies: nil)
        try SignatureRequirement.check(keys: try ring(newKey()), flag: "verify", files: ["a.md"], policies: nil)
    }

    @Test func theUnsignedNoteCountsTheRecordsAndNamesTheFirstThree() throws {
        #expect(SignatureRequirement.unsignedNote([]) == nil)
        let one = try #require(SignatureRequirement.unsignedNote(["a.md"]))
        #expect(one.kind == .unsignedRecords)
        #expect(one.message == "1 record carries no signature (a.md): it was not verified")
        let four = try #require(SignatureRequirement.unsignedNote(["a.md", "b.md", "c.md", "d.md"]))
        #expect(four.message == "4 records carry no signature (a.md, b.md, c.md, …): they were not verified")
    }

    @Test func theNotVerifiedNoteCountsSignaturesAndIsAbsentForNone() throws {
        #expect(SignatureRequirement.notVerifiedNote(count: 0) == nil)
        let one = try #require(SignatureRequirement.notVerifiedNote(count: 1))
        #expect(one.kind == .signaturesNotVerified && one.kind.isWarning)
        #expect(one.message.hasPrefix("1 signature was not verified"))
        #expect(try #require(SignatureRequirement.notVerifiedNote(count: 3)).message.hasPrefix("3 signatures were not"))
    }
}
