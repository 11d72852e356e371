import Foundation
import TestSupport
import Testing

/// Issue 22, item 5: messages that guess the mistake a new user makes in the first hour.
@Suite("First-hour messages")
struct FirstHourMessageTests {
    static let demoKey = TestPaths.repositoryRoot.appendingPathComponent("Keys/demo.key").path

    @Test func secured_keyHoldingAPathSaysSoAndShowsTheFix() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        let r = try secured(["audit", "a.md"], in: ws.dir, environment: ["SECURED_KEY": "cli.key"])
        #expect(r.status == 2)
        #expect(
            r.stderrText.contains(
                "$SECURED_KEY: looks like a path (cli.key): SECURED_KEY holds a key file's text, not its path; use SECURED_KEY=\"$(cat cli.key)\", or --key cli.key"
            ), "\(r.stderrText)")
        // One line that is not a path is never quoted back (it could be key bytes).
        let other = try secured(["audit", "a.md"], in: ws.dir, environment: ["SECURED_KEY": "c2VjcmV0/Ynl0ZXM="])
        #expect(other.status == 2 && !other.stderrText.contains("c2VjcmV0"), "\(other.stderrText)")
        #expect(other.stderrText.contains("SECURED_KEY=\"$(cat Keys/<id>.key)\""))
    }

    @Test func keygenAndIdentityCreateAMissingFolderPrivately() throws {
        let ws = try Workspace()
        let r = try secured(["keygen", "--id", "site", "--out", "home/.config/secured/site.key"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stderrText.contains("created folder home/.config/secured (mode 0700)"))
        for folder in ["home", "home/.config", "home/.config/secured"] {
            let mode =
                try FileManager.default.attributesOfItem(atPath: ws.dir.appendingPathComponent(folder).path)[
                    .posixPermissions] as? Int
            #expect(mode == 0o700, "\(folder)")
        }
        #expect(
            FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent("home/.config/secured/site.pub").path))
        let id = try secured(["identity", "--out", "other/dir/me.txt"], in: ws.dir)
        #expect(id.status == 0, "\(id.stderrText)")
        #expect(id.stderrText.contains("created folder other/dir (mode 0700)"))
        // A folder that cannot be made: named, with the mkdir that makes it.
        _ = try ws.write("file", "x")
        let blocked = try secured(["keygen", "--id", "x", "--out", "file/sub/x.key"], in: ws.dir)
        #expect(blocked.status != 0)
        #expect(blocked.stderrText.contains("file/sub: error: cannot create the folder"), "\(blocked.stderrText)")
        #expect(blocked.stderrText.contains("mkdir -p -m 700 -- file/sub"))
    }

    @Test func openGivenAFolderIsAUsageError() throws {
        let ws = try Workspace()
        _ = try ws.write("content/a.md", "---\ntitle: a\n---\nbody\n")
        let r = try secured(["open", "content", "--key", ws.keyPath], in: ws.dir)
        #expect(r.status == 2)
        #expect(r.stderrText.contains("content is a folder: open takes one record"), "\(r.stderrText)")
        #expect(!r.stderrText.contains("SR017"))
    }

    @Test func aPolicyKeyFileThatDoesNotExistNamesThePolicyLine() throws {
        let ws = try Workspace()
        _ = try ws.write("content/a.md", "---\ntitle: a\n---\nbody\n")
        _ = try ws.write(".secured.yaml", "exclude: [\"*.key\"]\nkeys:\n  - Keys/site.pub\n")
        let r = try secured(["audit", "content"], in: ws.dir)
        #expect(r.status == 2)
        #expect(
            r.stderrText.contains(".secured.yaml:3: 'keys' names the key file Keys/site.pub, which does not exist"),
            "\(r.stderrText)")
    }

    @Test func countsOfOneAreSingular() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        let seal = try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(seal.stderrText.contains("seal: 1 record:"), "\(seal.stderrText)")
        let verify = try secured(["verify", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(verify.stderrText.contains("verify: 1 record: 1 valid"), "\(verify.stderrText)")
        _ = try ws.write("b.md", "no front matter\n")
        let audit = try secured(["audit", "b.md"], in: ws.dir)
        #expect(
            audit.stderrText.contains("audit: 1 record checked, 0 passed, 1 failed; 1 error, 0 warnings"),
            "\(audit.stderrText)")
    }
}
