import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured manifest build` and `manifest check`: a manifest `sha256sum -c` accepts, the changes
/// it finds, the policy's manifest rebuilt with no root named, names its signature cannot hold.
@Suite("manifest build and check", .serialized)
struct ManifestTests {
    @Test("manifest check finds records added, changed, removed or renamed since the build")
    func manifestBuildAndCheck() throws {
        let ws = try Workspace()
        for i in 0..<5 { _ = try ws.write("m/r\(i).md", "---\nt: \(i)\n---\nbody \(i)\n") }
        let build = try secured(["manifest", "build", "m", "--key", ws.keyPath], in: ws.dir)
        #expect(build.status == 0, "\(build.stderrText)")
        let sum = try runProcess(
            "sha256sum", ["-c", "--quiet", "MANIFEST.sha256"], currentDirectory: ws.dir.appendingPathComponent("m"))
        #expect(sum.status == 0, "sha256sum -c accepts our manifest: \(sum.stderrText)")
        #expect(try secured(["manifest", "check", "m/MANIFEST.sha256", "--key", ws.keyPath], in: ws.dir).status == 0)

        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("m/r1.md"))
        _ = try ws.write("m/added.md", "---\nt: x\n---\n")
        _ = try ws.write("m/r2.md", "---\nt: changed\n---\n")
        try FileManager.default.moveItem(
            at: ws.dir.appendingPathComponent("m/r3.md"), to: ws.dir.appendingPathComponent("m/renamed.md"))
        let check = try secured(["manifest", "check", "m/MANIFEST.sha256", "--key", ws.keyPath], in: ws.dir)
        #expect(check.status == 1)
        for needle in [
            "r1.md' is listed but missing", "m/added.md: error: SR018", "m/r2.md: error: SR018",
            "r3.md' is listed but missing", "m/renamed.md: error: SR018",
        ] {
            #expect(check.stdoutText.contains(needle), "\(needle)")
        }
        var manifest = try ws.read("m/MANIFEST.sha256")
        manifest = manifest.replacingOccurrences(of: "r0.md", with: "r9.md")
        _ = try ws.write("m/MANIFEST.sha256", manifest)
        let tampered = try secured(["audit", "m", "--manifest", "m/MANIFEST.sha256", "--key", ws.keyPath], in: ws.dir)
        #expect(tampered.status == 1)
        #expect(tampered.stderrText.contains("SR019"))
    }

    @Test func manifestBuildWithNoRootRebuildsThePolicysManifest() throws {
        // As seen: `manifest build --key KEY ROOT`, with ROOT guessed as `.`, wrote a second
        // manifest at the repository root, exited 0, and left CI red.
        let ws = try Workspace()
        _ = try ws.write(".secured.yaml", "manifest: _posts/MANIFEST.sha256\n")
        _ = try ws.write("_posts/a.md", "---\ntitle: a\n---\nbody\n")
        let built = try secured(["manifest", "build", "--key", ws.keyPath], in: ws.dir)
        #expect(built.status == 0, "\(built.stderrText)")
        #expect(built.stderrText.contains("wrote _posts/MANIFEST.sha256"), "\(built.stderrText)")
        #expect(try secured(["manifest", "check", "--key", ws.keyPath], in: ws.dir).status == 0)
        let guessed = try secured(["manifest", "build", ".", "--key", ws.keyPath], in: ws.dir)
        #expect(guessed.stderrText.contains("warning: the policy names the manifest _posts/MANIFEST.sha256"))
        // Counts that add up: the records it compared, not "0 records checked".
        _ = try ws.write("_posts/b.md", "---\ntitle: b\n---\nbody\n")
        #expect(try secured(["manifest", "build", "--key", ws.keyPath], in: ws.dir).status == 0)
        _ = try ws.write("_posts/b.md", "---\ntitle: b\n---\nchanged\n")
        let check = try secured(["manifest", "check", "--key", ws.keyPath], in: ws.dir)
        #expect(
            check.stderrText.contains("manifest check: 2 records checked, 1 passed, 1 failed"), "\(check.stderrText)")
        #expect(check.stdoutText.contains("_posts/b.md: error: SR018"))
        // An error about no record is said apart, so the counts add up.
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent("_posts/a.md"))
        let audit = try secured(["audit", "_posts", "--key", ws.keyPath], in: ws.dir)
        #expect(audit.stderrText.contains("1 error is about other files (a manifest, a folder)"), "\(audit.stderrText)")
        let none = try secured(["manifest", "build", "--key", ws.keyPath, "--no-policy"], in: ws.dir)
        #expect(none.status == 2 && none.stderrText.contains("name the corpus root"), "\(none.stderrText)")
    }

    @Test func manifestBuildRefusesANameTheTrustedCommentCannotHold() throws {
        // As found: exit 0, and a .minisig its own `manifest check` rejected (SR019).
        let ws = try Workspace()
        _ = try ws.write("c/a.md", "---\ntitle: a\n---\n")
        for (name, shown) in [("M\nx.sha256", "$'M\\nx.sha256'"), ("M\rx", "$'M\\rx'"), ("M\tx", "$'M\\tx'")] {
            let r = try secured(["manifest", "build", "c", "--key", ws.keyPath, "--out", name], in: ws.dir)
            #expect(r.status == 2, "\(r.stderrText)")
            #expect(r.stderrText.contains("--out \(shown): the manifest's name holds"), "\(r.stderrText)")
            #expect(!FileManager.default.fileExists(atPath: ws.dir.appendingPathComponent(name).path))
        }
        #expect(
            try secured(["manifest", "build", "c", "--key", ws.keyPath, "--out", "M x.sha256"], in: ws.dir).status == 0)
    }
}
