import SecuredCrypto
import SecuredRecords
import Testing

@Suite("Signature values")
struct SignatureValueParseTests {
    static let tag = Base64.encode([UInt8](repeating: 7, count: 32))

    /// The value is split at its semicolons by bytes when it is ASCII (every
    /// record's literal value), by characters otherwise (a manifest's line may hold
    /// anything); each spelling gets the answer the split by characters gave.
    @Test(
        arguments: [
            ("v1;k;\(tag)", nil),
            ("v1;a.b_c-9;\(tag)", nil),
            ("v1;k", "not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>"),
            ("v1;k;\(tag);", "not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>"),
            (";;", "unknown version '' (this tool knows v1 and ed25519)"),
            ("v2;k;\(tag)", "unknown version 'v2' (this tool knows v1 and ed25519)"),
            ("v1;;\(tag)", "key id is not 1-64 of [A-Za-z0-9._-]"),
            ("v1;k;", "tag decodes to 0 bytes, expected 32"),
            ("v1;k;\(Base64.encode([UInt8](repeating: 7, count: 31)))", "tag decodes to 31 bytes, expected 32"),
            ("V1;k;\(tag)", "unknown version 'V1' (this tool knows v1 and ed25519)"),
            ("v1;\(String(repeating: "k", count: 64));\(tag)", nil),
            ("v1;\(String(repeating: "k", count: 65));\(tag)", "key id is not 1-64 of [A-Za-z0-9._-]"),
            ("ed25519;k;\(tag)", "signature decodes to 32 bytes, expected 64"),
            ("v1;k é;\(tag)", "key id is not 1-64 of [A-Za-z0-9._-]"),
            // A semicolon that starts a grapheme cluster (with a combining accent) is no separator.
            ("v1;\u{301}k;\(tag)", "not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>"),
            ("v1;k;\u{301}\(tag)", "not of the form v1;<key id>;<base64> or ed25519;<key id>;<base64>"),
        ] as [(String, String?)])
    func splitsAsByCharacters(text: String, reason: String?) {
        switch SignatureValue.parse(text[...]) {
        case .success(let value):
            #expect(reason == nil)
            #expect(value.keyID == text.split(separator: ";")[1].description)
            #expect(value.tag == [UInt8](repeating: 7, count: 32))
        case .failure(let problem): #expect(problem.reason == reason)
        }
    }

    /// The byte-wise reading of a well-formed value gives what the general one gives: the
    /// algorithm, id and tag, for a value cut from the middle of a longer text too.
    @Test func wellFormedValuesInsideLongerText() throws {
        let signature = [UInt8](repeating: 9, count: 64)
        let text = "x\"ed25519;site-2026.a;\(Base64.encode(signature))\"y"
        let inner = text.dropFirst(2).dropLast(2)
        let value = try SignatureValue.parse(inner).get()
        #expect(value == SignatureValue(algorithm: .ed25519, keyID: "site-2026.a", tag: signature))
        let hmac = try SignatureValue.parse("v1;k;\(Self.tag)"[...]).get()
        #expect(hmac == SignatureValue(algorithm: .hmacSHA256, keyID: "k", tag: [UInt8](repeating: 7, count: 32)))
        // Not canonical: the last character carries bits the 32 bytes do not have.
        let noncanonical = String(Self.tag.dropLast(2)) + "B="
        #expect(throws: Never.self) { _ = try Base64.decode(Self.tag) }
        guard case .failure(let problem) = SignatureValue.parse("v1;k;\(noncanonical)"[...]) else {
            Issue.record("a non-canonical tag was accepted")
            return
        }
        #expect(problem.reason.hasPrefix("tag is not canonical base64"))
    }
}
