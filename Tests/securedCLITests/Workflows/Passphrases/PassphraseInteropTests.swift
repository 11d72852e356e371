import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Passphrase key files (SPEC 1.2 section 3) between the tool and an implementation written
/// afresh from the spec in Python (`cryptography`'s PBKDF2HMAC and AESGCM):
/// `Tests/SecuredRecordsTests/Interop/passphrase_interop.py`.
@Suite("Passphrase key files: interop with Python", .serialized)
struct PassphraseInteropTests {
    static let script = TestPaths.repositoryRoot.appendingPathComponent(
        "Tests/SecuredRecordsTests/Interop/passphrase_interop.py"
    ).path
    static let pythonReady = (try? runProcess("python3", ["-c", "import cryptography, yaml"]).status) == 0
    static let required = pythonReady || ProcessInfo.processInfo.environment["CI"] != nil
    static let phrase = "tidal lantern quartz meadow fiddle"
    static let demoKey = TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.key").path
    static let demoPub = TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.pub").path
    static let record = TestPaths.repositoryRoot.appendingPathComponent(
        "Examples/corpus/news/000-city-source-record-camera-key.md"
    ).path

    let dir: URL
    init() throws { dir = try TestPaths.temporaryDirectory("passphrase-interop") }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func python(_ args: [String]) throws -> ProcessResult { try runProcess("python3", [Self.script] + args) }

    /// The tool opens the demo corpus's record with `file` beside `demo.pub`.
    func toolOpens(_ file: String, passphrase: String = phrase) throws -> ProcessResult {
        try secured(
            ["open", Self.record, "--key", file, "--key", Self.demoPub], in: dir,
            environment: ["SECURED_PASSPHRASE": passphrase])
    }

    /// The demo key's read-only key file text, as the spec says it is wrapped.
    var demoInside: String {
        get throws {
            let key = try SecuredKey(parsing: String(contentsOfFile: Self.demoKey, encoding: .utf8))
            return "id: demo\nenc: " + key.encryptionKey.withUnsafeBytes { Base64.encode($0) } + "\n"
        }
    }

    /// `text` with one character of line `line` (0-based) changed at `offset` from its start,
    /// to another of the same kind, so the file still parses and only the tag can tell.
    func changed(_ text: String, line: Int, offset: Int) -> String {
        var lines = text.components(separatedBy: "\n")
        var scalars = Array(lines[line].unicodeScalars)
        let c = scalars[offset]
        scalars[offset] =
            c == "a"
            ? "b" : (c == "A" ? "B" : (c == "0" ? "1" : (CharacterSet.lowercaseLetters.contains(c) ? "a" : "A")))
        lines[line] = String(String.UnicodeScalarView(scalars))
        return lines.joined(separator: "\n")
    }

    /// One character changed in each line: the label, the salt, the middle of the wrapped key.
    func damagedCopies(of text: String) -> [(String, String)] {
        let lines = text.components(separatedBy: "\n")
        return [
            ("line 1", changed(text, line: 0, offset: lines[0].unicodeScalars.count - 2)),
            ("line 2", changed(text, line: 1, offset: lines[1].unicodeScalars.count - 8)),
            ("line 3", changed(text, line: 2, offset: lines[2].unicodeScalars.count / 2)),
        ]
    }

    /// `text` with the count of line 2 replaced (the file is then refused for its count first).
    func withCount(_ text: String, _ count: String) -> String {
        var lines = text.components(separatedBy: "\n")
        var parts = lines[1].components(separatedBy: ";")
        parts[1] = count
        lines[1] = parts.joined(separator: ";")
        return lines.joined(separator: "\n")
    }

    @Test(.enabled(if: required, "python3 with cryptography and PyYAML is needed"))
    func whatTheToolWritesPythonUnwrapsAndRefusesWhenChanged() throws {
        let out = path("demo.members.key.pw")
        let w = try secured(
            ["share", Self.demoKey, "--passphrase", "--label", "members", "--out", out], in: dir,
            environment: ["SECURED_PASSPHRASE": Self.phrase])
        #expect(w.status == 0, "\(w.stderrText)")
        let r = try python(["unwrap", out, Self.phrase])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText == (try demoInside))

        #expect(
            try python(["unwrap", out, Self.phrase + " "]).stderrText == "refused: wrong passphrase or damaged file\n")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        for (what, damaged) in damagedCopies(of: text) {
            try Data(damaged.utf8).write(to: URL(fileURLWithPath: path("damaged.key.pw")))
            let p = try python(["unwrap", path("damaged.key.pw"), Self.phrase])
            #expect(p.status == 1 && p.stderrText == "refused: wrong passphrase or damaged file\n", "\(what)")
        }
    }

    @Test(.enabled(if: required, "python3 with cryptography and PyYAML is needed"))
    func whatPythonWritesTheToolUnwrapsAndRefusesWhenChanged() throws {
        for newline in ["lf", "crlf"] {
            let w = try python(["wrap", Self.demoKey, "members", Self.phrase, "600000", newline])
            #expect(w.status == 0, "\(w.stderrText)")
            let file = path("py-\(newline).key.pw")
            try w.stdout.write(to: URL(fileURLWithPath: file))
            let open = try toolOpens(file)
            #expect(open.status == 0, "\(newline): \(open.stderrText)")
            #expect(open.stderrText.contains("opened with key demo (signature valid, key demo)"), "\(open.stderrText)")
            #expect(!open.stdoutText.isEmpty)
        }
        let file = path("py-lf.key.pw")
        let wrong = try toolOpens(file, passphrase: Self.phrase + " ")
        #expect(wrong.status == 2)
        #expect(wrong.stderrText.hasSuffix("py-lf.key.pw: wrong passphrase or damaged file\n"), "\(wrong.stderrText)")
        let text = try String(contentsOfFile: file, encoding: .utf8)
        for (what, damaged) in damagedCopies(of: text) {
            try Data(damaged.utf8).write(to: URL(fileURLWithPath: path("damaged.key.pw")))
            let r = try toolOpens(path("damaged.key.pw"))
            #expect(r.status == 2, "\(what)")
            #expect(
                r.stderrText.hasSuffix("damaged.key.pw: wrong passphrase or damaged file\n"), "\(what): \(r.stderrText)"
            )
        }
    }

    /// 1,000 iterations (a real file Python wrote) and 2,000,000,000 (line 2 changed) are refused
    /// by both, and refused for the count: before any derivation, which at 2e9 would take a
    /// quarter of an hour.
    @Test(.enabled(if: required, "python3 with cryptography and PyYAML is needed"))
    func countsOutOfRangeAreRefusedByBothBeforeDeriving() throws {
        let weak = try python(["wrap", Self.demoKey, "weak", Self.phrase, "1000"])
        #expect(weak.status == 0, "\(weak.stderrText)")
        let files = [
            ("1000", weak.stdoutText),
            ("2000000000", withCount(weak.stdoutText, "2000000000")),
        ]
        for (count, text) in files {
            let file = path("count-\(count).key.pw")
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let p = try python(["unwrap", file, Self.phrase])
            #expect(p.status == 1 && p.stderrText == "refused: iterations \(count) out of range\n", "\(p.stderrText)")
            let t = try toolOpens(file)
            #expect(t.status == 2)
            #expect(
                t.stderrText.contains("count-\(count).key.pw:2: the iteration count \(count) is out of range"),
                "\(t.stderrText)")
        }
    }
}
