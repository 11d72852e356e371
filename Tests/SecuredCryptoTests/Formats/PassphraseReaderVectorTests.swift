import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// The JavaScript reader's passphrase key file vectors (`Tests/Vectors/reader/passphrase/`,
/// SPEC 1.2 section 3) through the Swift library: files the tool and an independent Python
/// writer wrapped unwrap to the vector key's read-only part; the changed ones are refused
/// with the reason the reader gives (one message for a wrong passphrase or a changed byte),
/// blaming the line and field the vector pins (`null`: none).
struct PassphraseReaderVectorTests {
    struct Expectation: Decodable, Sendable {
        var code: String?
        var line: Int?
        var field: String?
        var message: String?
        var keyId: String?
        var label: String?
    }

    struct Case: Decodable, Sendable, CustomTestStringConvertible {
        var id: String
        var keyFile: String
        var passphrase: String?
        var expect: Expectation

        var testDescription: String { id }
    }

    static let directory = ReaderVectors.directory
    static let cases: [Case] = ReaderVectors.cases("passphrase/cases.json")

    static func text(_ relative: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(relative)), as: UTF8.self)
    }

    @Test("the vectors are there, written by the tool and by Python")
    func vectorsPresent() {
        #expect(Self.cases.filter { $0.id.hasPrefix("tool: ") }.count >= 20)
        #expect(Self.cases.filter { $0.id.hasPrefix("python: ") }.count >= 20)
    }

    @Test("passphrase key file vectors", arguments: cases)
    func vector(_ c: Case) throws {
        let readOnly = try SecuredKey(parsing: try Self.text("keys/vec.readonly.key"))
        let text = try Self.text(c.keyFile)
        do {
            let file = try PassphraseKeyFile(parsing: text, source: c.keyFile)
            // No passphrase: the reader's caller gave none; the file itself is good.
            guard let given = c.passphrase else {
                #expect(c.expect.code == "KEY", "\(c.id)")
                #expect(
                    c.expect.line == nil && c.expect.field == nil,
                    "\(c.id): the caller's missing passphrase is no line or field of the file")
                return
            }
            let key = try file.unwrap(with: Passphrase(given))
            #expect(c.expect.code == nil, "\(c.id): unwrapped, expected \(c.expect.message ?? "")")
            #expect(key.id == c.expect.keyId && file.label == c.expect.label, "\(c.id)")
            #expect(key.isReadOnly && key.fingerprint == readOnly.fingerprint, "\(c.id)")
        } catch {
            #expect(c.expect.code == "KEY", "\(c.id): \(error.reason)")
            #expect(error.reason.contains(c.expect.message ?? "\u{0}"), "\(c.id): \(error.reason)")
            #expect(error.line == c.expect.line && error.field == c.expect.field, "\(c.id): \(error)")
            if c.expect.message == PassphraseKeyFile.unwrapFailure {
                #expect(error.reason == PassphraseKeyFile.unwrapFailure, "\(c.id)")
            }
        }
    }
}
