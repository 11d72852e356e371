import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// `secured hook install`: writes the pre-commit hook where git runs it (`core.hooksPath`, nested
/// folders too), updates its own, and leaves a foreign hook alone.
@Suite("hook install: where git looks, never over a foreign hook", .serialized)
struct HookInstallTests: GitRepositoryFixture {
    @Test func hookInstallWritesWhereGitLooksAndNeverOverAForeignHook() throws {
        let ws = try repository()
        try policy(ws, "require-secured: [content/private/**]\nexclude: [README.md]\n")
        try git(["config", "core.hooksPath", "githooks"], ws)
        let r = try secured(["hook", "install"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let hook = ws.dir.appendingPathComponent("githooks/pre-commit")
        let script = try String(contentsOf: hook, encoding: .utf8)
        #expect(script.contains("installed=") && script.contains(securedBinary), "\(script)")
        #expect(FileManager.default.isExecutableFile(atPath: hook.path))
        // git runs it: the plaintext commit is refused, the sealed one goes in.
        try git(["add", "-A"], ws)
        let refused = try git(["commit", "-qm", "plaintext"], ws, status: 1)
        #expect(refused.stderrText.contains("commit refused"))
        #expect(try secured(["seal", "content/private/a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        try git(["add", "-A"], ws)
        try git(["commit", "-qm", "sealed"], ws)
        // Installing again updates its own hook; a foreign hook is left alone (exit 1).
        #expect(try secured(["hook", "install"], in: ws.dir).status == 0)
        try Data("#!/bin/sh\necho mine\n".utf8).write(to: hook)
        let foreign = try secured(["hook", "install"], in: ws.dir)
        #expect(foreign.status == 1 && foreign.stderrText.contains("did not write"))
        #expect(try String(contentsOf: hook, encoding: .utf8) == "#!/bin/sh\necho mine\n")
        // Outside a repository: a usage error.
        let outside = try TestPaths.temporaryDirectory("no-repo")
        #expect(try secured(["hook", "install"], in: outside).status == 2)
    }

    @Test func installKeepsAHookItWroteThatWasEditedSince() throws {
        // As found: a line added to the hook was silently gone after install ran again.
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        #expect(try secured(["hook", "install"], in: ws.dir).status == 0)
        let hook = ws.dir.appendingPathComponent(".git/hooks/pre-commit").path
        let edited = try String(contentsOfFile: hook, encoding: .utf8) + "echo MY CUSTOM LINE\n"
        try Data(edited.utf8).write(to: URL(fileURLWithPath: hook))
        let r = try secured(["hook", "install"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(
            r.stderrText
                == "updated .git/hooks/pre-commit (it had been edited since secured wrote it: its old text is kept in .git/hooks/pre-commit.secured-old): commits now run 'secured hook check' on the staged records\n"
        )
        #expect(try String(contentsOfFile: hook + ".secured-old", encoding: .utf8) == edited)
        #expect(FileManager.default.isExecutableFile(atPath: hook + ".secured-old"))
        #expect(try !String(contentsOfFile: hook, encoding: .utf8).contains("MY CUSTOM LINE"))
        // Unedited: updated, nothing kept.
        let same = try secured(["hook", "install"], in: ws.dir)
        #expect(same.status == 0 && same.stderrText.hasPrefix("updated .git/hooks/pre-commit: "), "\(same.stderrText)")
        // Edited again, the kept file in the way: exit 1, nothing changed.
        let again = try String(contentsOfFile: hook, encoding: .utf8) + "echo AGAIN\n"
        try Data(again.utf8).write(to: URL(fileURLWithPath: hook))
        let refused = try secured(["hook", "install"], in: ws.dir)
        #expect(refused.status == 1, "\(refused.stderrText)")
        #expect(refused.stderrText.hasPrefix(".git/hooks/pre-commit.secured-old: error: "), "\(refused.stderrText)")
        #expect(try String(contentsOfFile: hook, encoding: .utf8) == again)
        #expect(try String(contentsOfFile: hook + ".secured-old", encoding: .utf8) == edited)
    }

    @Test func installCreatesANestedHooksFolder() throws {
        // As found: core.hooksPath=.githooks/pre failed with "cannot create the hooks
        // folder", exit 1 (documented as "a hook secured did not write is in the way").
        let ws = try Workspace()
        try git(["init", "-q", "-b", "main"], ws)
        try git(["config", "core.hooksPath", ".githooks/pre"], ws)
        let r = try secured(["hook", "install"], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        let hook = ws.dir.appendingPathComponent(".githooks/pre/pre-commit").path
        #expect(FileManager.default.isExecutableFile(atPath: hook))
        // A folder that cannot be made (a file is in the way) is exit 2, with the reason.
        _ = try ws.write("blocker", "a file\n")
        try git(["config", "core.hooksPath", "blocker/hooks"], ws)
        let blocked = try secured(["hook", "install"], in: ws.dir)
        #expect(blocked.status == 2, "\(blocked.stderrText)")
        #expect(
            blocked.stderrText.contains("blocker/hooks: cannot create the hooks folder (Not a directory)"),
            "\(blocked.stderrText)")
    }
}
