import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@Suite("Record structure and YAML checks (SPEC section 1)")
struct RecordParsingTests {
    @Test func findsFrontMatterTopLevelLinesAndBody() throws {
        let r = try record("---\ntitle: x\nsecured: \"a;b\"\nnested:\n  secured: no\n---\nbody\n")
        #expect(r.lineTerminator == .lf)
        #expect(r.topLevelLines.map(\.key) == ["title", "secured", "nested"])
        #expect(r.securedLine?.line.number == 3)
        #expect(r.closingLine.number == 6)
        #expect(Array(r.body) == Array("body\n".utf8))
        #expect(!r.isBodyBlank)
    }

    @Test func crlfBomAndClosingAtEndOfFile() throws {
        let r = try Record(parsing: withBOM(toCRLF(Array("---\ntitle: x\n---\n\n".utf8))), file: "c.md")
        #expect(r.hasBOM)
        #expect(r.lineTerminator == .crlf)
        #expect(Array(r.body) == [0x0D, 0x0A])
        #expect(r.isBodyBlank)
        let eof = try record("---\ntitle: x\n---")
        #expect(eof.body.isEmpty)
        #expect(!eof.closingLine.hasTerminator)
    }

    @Test func loneCRIsNotALineEnd() throws {
        // "---\r" + "x" is not the closing delimiter: the front matter is not terminated.
        #expect(throws: RecordError(.sr001NoFrontMatter, file: "", reason: "")) {
            try record("---\ntitle: x\n---\rbody\n")
        }
        let r = try record("---\ntitle: x\n---\nbody\r\r\n")
        #expect(!r.isBodyBlank)
        #expect(try !record("---\nt: x\n---\n\r").isBodyBlank)
    }

    @Test func topLevelKeyRule() throws {
        let r = try record("---\na.b-c_1: 1\n_x: 2\n\"q\": 3\n-bad: 4\nk:v\nk2:\n  x: 1\n---\n")
        #expect(r.topLevelLines.map(\.key) == ["a.b-c_1", "_x", "k2"])
    }

    @Test(
        "SR001: no front matter, or not terminated",
        arguments: ["", "title: x\n", "---", "---\ntitle: x\n", " ---\ntitle: x\n---\n", "----\nx: 1\n---\n"])
    func sr001(_ text: String) {
        do {
            _ = try record(text, file: "bad.md")
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.code == .sr001NoFrontMatter)
            #expect(error.file == "bad.md")
            #expect(error.line != nil)
        }
    }

    @Test func sr017FrontMatterNotUTF8() {
        do {
            _ = try Record(parsing: Array("---\ntitle: ".utf8) + [0xFF, 0x0A] + Array("---\n".utf8), file: "u.md")
            Issue.record("accepted")
        } catch {
            #expect(error.code == .sr017Unreadable)
            #expect(error.line == 2)
        }
    }

    @Test(
        "SR002: ambiguous front matter, with the line",
        arguments: [
            ("---\n- a\n- b\n---\n", 2, nil as String?),  // a sequence
            ("---\njust text\n---\n", 2, nil),  // a scalar
            ("---\ntitle: a\ntitle: b\n---\n", 2, nil),  // repeated key
            ("---\ntitle: a\n\"title\": b\n---\n", 2, nil),  // same key, quoted
            ("---\nrelated:\n  - title: a\n    x: 1\n    x: 2\n---\n", 4, nil),  // deep repeat
            ("---\nbase: &b {a: 1}\n<<: *b\n---\n", 3, "<<"),  // merge key
            ("---\ntitle: \"unterminated\n---\n", 3, nil),  // invalid YAML (libyaml: at end of stream)
            ("---\nnotes: \"first\nsecured: Zm9v;YmFy\n  end\"\n---\n", 3, "secured"),  // smuggled in a string
            ("---\n\"secured\": \"Zm9v;YmFy\"\n---\n", 2, "secured"),  // quoted key
            ("---\n{secured: x}\n---\n", 2, "secured"),  // flow mapping
            ("---\nsecured: \"Zm9v;YmFy\"\nsecured: \"Zm9v;YmFy\"\n---\n", 2, nil),  // repeated secured
        ])
    func sr002(text: String, line: Int, field: String?) throws {
        let r = try record(text, file: "amb.md")
        do {
            try FrontMatterValidator.validate(r)
            Issue.record("accepted \(text.debugDescription)")
        } catch {
            #expect(error.code == .sr002AmbiguousFrontMatter, "\(error)")
            #expect(error.line == line, "\(error)")
            if let field { #expect(error.field == field, "\(error)") }
            #expect(error.description.hasPrefix("amb.md:\(line): error: SR002 "))
        }
    }

    @Test(
        "a value continued on an indented line is SR004 / SR009, not SR002 (SPEC 1.1 section 2)",
        arguments: [
            ("---\nsecured: Zm9v;YmFy\n  continued\n---\n\n", "secured", 3),
            ("---\nsecured: \"Zm9v;YmFy\n  continued\"\n---\n\n", "secured", 3),
            ("---\nsecured: Zm9v;YmFy\n\n   continued\n---\n\n", "secured", 4),
            ("---\nsignature: v1;k;AAAA\n  continued\n---\n", "signature", 3),
            ("---\nsignature: \"v1;k;AAAA\n  continued\"\n---\n", "signature", 3),
        ])
    func continuedValues(text: String, field: String, continuation: Int) throws {
        let r = try record(text, file: "c.md")
        try FrontMatterValidator.validate(r)  // YAML reads it; the line rule's reading decides
        if field == "secured" {
            let error = #expect(throws: RecordError.self) { try r.blob() }
            #expect(error?.code == .sr004SecuredNotLiteral, "\(String(describing: error))")
            #expect(error?.line == 2)  // the field's own line; the message names the continuation
            #expect(error?.reason.contains("continued on line \(continuation)") == true)
        } else {
            guard case .failure(let error) = RecordSigner.signature(of: r) else {
                Issue.record("accepted \(text.debugDescription)")
                return
            }
            #expect(error.code == .sr009SignatureMalformed, "\(error)")
            #expect(error.line == 2)
            #expect(error.reason.contains("continued on line \(continuation)"))
        }
    }

    @Test(
        "an empty front matter is an empty mapping (SPEC 1.1 section 1)",
        arguments: ["---\n---\n", "---\n\n   \n# a comment\n---\nbody\n", "---\r\n  \r\n---\r\n"])
    func emptyFrontMatter(text: String) throws {
        let r = try record(text, file: "e.md")
        try FrontMatterValidator.validate(r)
        #expect(r.securedLine == nil && r.signatureLine == nil)
        #expect(RecordChecker(keys: KeyRing()).check(file: "/nonexistent").findings.map(\.code) == [.sr017Unreadable])
    }

    @Test func notUTF8IsSR017BeforeAnyOtherCheck() throws {
        // Binary junk with no front matter at all: SR017, not SR001.
        let junk: [UInt8] = [0x00, 0xFF, 0x41, 0x0A, 0xC3]
        let error = #expect(throws: RecordError.self) { try Record(parsing: junk, file: "x.md") }
        #expect(error?.code == .sr017Unreadable)
        #expect(error?.line == 1)
        // A bad byte deep in the body, after valid front matter: SR017 with its line.
        let late = Array("---\ntitle: t\n---\nok\n".utf8) + [0xFF, 0x0A]
        let bad = #expect(throws: RecordError.self) { try Record(parsing: late, file: "y.md") }
        #expect(bad?.code == .sr017Unreadable)
        #expect(bad?.line == 5)
    }

    @Test func secondSignatureLineIsSR009NotSR002() throws {
        let r = try record("---\nsignature: \"v1;a;x\"\nsignature: \"v1;a;y\"\n---\n")
        try FrontMatterValidator.validate(r)
        guard case .failure(let error) = RecordSigner.signature(of: r) else {
            Issue.record("two signatures accepted")
            return
        }
        #expect(error.code == .sr009SignatureMalformed)
        #expect(error.line == 3)
    }

    @Test func validFrontMattersPass() throws {
        for name in Fixtures.recordNames {
            try FrontMatterValidator.validate(Record(parsing: Fixtures.bytes(name), file: name))
        }
        try FrontMatterValidator.validate(record("---\n---\nbody\n"))
        try FrontMatterValidator.validate(record("---\nsecured: 'Zm9v;YmFy'   \n---\n"))
        for prefix in ["000_", "001_", "002_", "003_", "004_"] {
            guard let url = TestPaths.seed(prefix) else { continue }
            let bytes = [UInt8](try Data(contentsOf: url))
            if prefix == "002_" || prefix == "003_" {
                // Plain article text, no front matter.
                #expect(throws: RecordError.self) { try Record(parsing: bytes, file: url.path) }
                continue
            }
            let r = try Record(parsing: bytes, file: url.path)
            try FrontMatterValidator.validate(r)
            #expect(r.isBodyBlank)
            _ = try r.blob()
        }
    }

    @Test func sizeLimitIsEnforcedWithoutReading() throws {
        let dir = try TestPaths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("big.md").path
        // A sparse 17 MiB file: reading it whole would be slow and is not what happens.
        #expect(FileManager.default.createFile(atPath: path, contents: Data("---\n".utf8)))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: 17 * 1024 * 1024)
        try handle.close()
        do {
            _ = try RecordFile.read(path)
            Issue.record("over-limit file was read")
        } catch {
            #expect(error.code == .sr017Unreadable)
            #expect(error.reason.contains("over the size limit"))
        }
        #expect(try RecordFile.read(path, sizeLimit: 32 * 1024 * 1024).count == 17 * 1024 * 1024)
        do {
            _ = try RecordFile.read(dir.path)
            Issue.record("a folder was read")
        } catch { #expect(error.code == .sr017Unreadable) }
    }
}
