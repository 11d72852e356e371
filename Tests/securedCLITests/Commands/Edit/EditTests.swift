import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured edit`: open, run the editor, seal again; with no terminal or no editor it says so.
@Suite("edit: through the user's editor, never hanging without one", .serialized)
struct EditTests {
    @Test func editThroughAnEditorScript() throws {
        let ws = try Workspace()
        _ = try ws.write("e.md", plainRecord)
        #expect(try secured(["seal", "e.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let script = try ws.write(
            "editor.sh",
            "#!/bin/sh\nstat -c %a \"$1\" > \"$(dirname \"$0\")/mode.txt\"\necho \"$1\" > \"$(dirname \"$0\")/path.txt\"\nprintf 'edited body\\n' > \"$1\"\n"
        )
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        let r = try secured(["edit", "e.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": script])
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(try ws.read("mode.txt") == "600\n")
        let tempPath = try ws.read("path.txt").trimmingCharacters(in: .newlines)
        #expect(!FileManager.default.fileExists(atPath: tempPath), "decrypted temporary file removed")
        #expect(try secured(["open", "e.md", "--key", ws.keyPath], in: ws.dir).stdoutText == "edited body\n")
        #expect(try secured(["verify", "e.md", "--key", ws.keyPath], in: ws.dir).status == 0)

        let before = try ws.read("e.md")
        let failingScript = try ws.write(
            "failing-editor.sh", "#!/bin/sh\necho \"$1\" > \"$(dirname \"$0\")/path.txt\"\nexit 1\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: failingScript)
        let failing = try secured(
            ["edit", "e.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": failingScript])
        #expect(failing.status == 1)
        #expect(try ws.read("e.md") == before)
        let failedTemp = try ws.read("path.txt").trimmingCharacters(in: .newlines)
        #expect(
            !FileManager.default.fileExists(atPath: failedTemp), "decrypted temporary file removed after a failed edit")
        let unchanged = try secured(["edit", "e.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": "true"])
        #expect(unchanged.status == 0)
        #expect(unchanged.stderrText.contains("no change"))
        #expect(try ws.read("e.md") == before)
    }

    @Test func editWithoutATerminalOrAnEditorSaysSoInsteadOfHanging() throws {
        // As seen: with no terminal, edit started vi and hung; a missing editor said "status 127".
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let sealed = try ws.read("a.md")
        let none = try secured(["edit", "a.md", "--key", ws.keyPath], in: ws.dir, environment: ["VISUAL": ""])
        #expect(none.status == 2, "\(none.stderrText)")
        #expect(none.stderrText.contains("edit needs an editor: set VISUAL or EDITOR"))
        let missing = try secured(
            ["edit", "a.md", "--key", ws.keyPath], in: ws.dir, environment: ["EDITOR": "no-such-editor-here"])
        #expect(missing.status == 1)
        #expect(missing.stderrText.contains("editor 'no-such-editor-here' not found"), "\(missing.stderrText)")
        #expect(try ws.read("a.md") == sealed, "nothing changed")
    }
}
