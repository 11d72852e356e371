import SecuredRecords
import Testing

/// What the git diff driver prints where it shows no plaintext, or plaintext nothing
/// authenticated: one marker line, on a line of its own after what was shown.
@Suite("textconv marker")
struct TextconvMarkerTests {
    @Test func theMarkerIsOneLineOfItsOwnAfterWhatWasShown() {
        let why = TextconvMarker.Reason.notOpened("no key (pass --key)")
        let marker = "[secured textconv: not opened: no key (pass --key)]\n"
        #expect(TextconvMarker.line(why, after: UInt8(ascii: "\n")) == marker)
        #expect(TextconvMarker.line(why, after: nil) == marker, "nothing shown: no blank line first")
        #expect(TextconvMarker.line(why, after: UInt8(ascii: "x")) == "\n" + marker, "never glued to the last line")
        #expect(
            TextconvMarker.line(.unsigned, after: nil)
                == "[secured textconv: opened, but unsigned: not authenticated; anyone holding the key could have written it]\n"
        )
        #expect(
            TextconvMarker.line(.unreadable(file: "a b.md", reason: "permission denied"), after: nil)
                == "[secured textconv: cannot read a b.md: permission denied]\n")
    }
}
