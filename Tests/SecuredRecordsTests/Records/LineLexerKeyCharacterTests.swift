import Testing

@testable import SecuredRecords

/// The key characters are tested with bit masks instead of a table; every byte must
/// get the answer of the line rule's definition (SPEC section 1).
struct LineLexerKeyCharacterTests {
    @Test func everyByteAsTheLineRuleDefinesIt() {
        for value in 0...255 {
            let c = UInt8(value)
            let letterOrDigit = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39)
            #expect(LineLexer.isKeyStart(c) == (letterOrDigit || c == 0x5F), "byte \(value)")
            #expect(
                LineLexer.isKeyCharacter(c) == (letterOrDigit || c == 0x5F || c == 0x2E || c == 0x2D), "byte \(value)")
        }
    }
}
