import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured keygen` (and `identity`, which makes folders the same way).
@Suite("keygen: a new key, private, never written over another")
struct KeygenTests {
    @Test("keygen writes a private key file, prints its id and fingerprint, never writes over one")
    func keygen() throws {
        let ws = try Workspace()
        let r = try secured(["keygen", "--id", "site-2026", "--out", "new.key"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let parts = r.stdoutText.split(separator: " ")
        #expect(parts.first == "site-2026")
        let attrs = try FileManager.default.attributesOfItem(atPath: ws.dir.appendingPathComponent("new.key").path)
        #expect((attrs[.posixPermissions] as? Int) == 0o600)
        let key = try SecuredKey(parsing: ws.read("new.key"))
        #expect(r.stdoutText == "site-2026 \(key.fingerprint)\n")
        let again = try secured(["keygen", "--id", "site-2026", "--out", "new.key"], in: ws.dir)
        #expect(again.status == 1)
        #expect(again.stderrText.contains("already exists"))
        #expect(try SecuredKey(parsing: ws.read("new.key")).fingerprint == key.fingerprint)
        #expect(try secured(["keygen", "--id", "bad id"], in: ws.dir).status == 2)
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
}
