import Foundation
import TestSupport
import Testing

/// Issue 22, item 6: every shell block of the README runs as written, in order, in one
/// temporary repository, so the README cannot drift from the tool again.
///
/// Which blocks run is decided by ``readmeBlocks()``: a fence that says `sh` or `bash` runs,
/// unless the line before it is `<!-- not run: REASON -->` (blocks that build or install this
/// package, or recipes for another setup); other fences (`yaml`, `js`, `$ ` transcripts in a
/// fence with no language) are illustrations. Each block runs in its own `bash -e` from the
/// repository's root, as a reader pastes it into a terminal there: `cd` does not carry over,
/// the home folder (`~/.config/secured`) and the repository do. The environment has
/// `secured` on the `PATH`, a git identity, and `SECURED_PASSPHRASE` for blocks that share
/// with a passphrase; no `SECURED_KEY`.
///
/// The repository starts as the README's readers have it: the files a clone gives the blocks
/// (`Keys/` with the demo keys, `Examples/`) and the Jekyll-style site the tour starts from
/// (`_posts/`, `_posts/private/`), committed. Blocks run in a new session (`setsid`), with no
/// terminal to ask a passphrase on.
@Suite("README", .serialized)
struct ReadmeTests {
    static let passphrase = "correct horse battery staple, for the README test"

    @Test(.enabled(if: TeamKeyTests.required, "age is not installed"))
    func everyShellBlockOfTheReadmeRunsInOrder() throws {
        let blocks = try readmeBlocks()
        let run = blocks.filter(\.runs)
        expectMarkers(blocks, run)
        let sh = try readmeWorkspace()
        let setup = try sh("git init -q -b main && git add -A && git commit -q -m 'The site'")
        #expect(setup.status == 0, "\(setup.stderrText)")

        var outputs: [Int: ProcessResult] = [:]
        for block in run {
            let r = try sh(block.text)
            outputs[block.line] = r
            #expect(
                r.status == 0,
                "README line \(block.line) failed (\(r.status)):\n\(block.text)\n--- stdout\n\(r.stdoutText)\n--- stderr\n\(r.stderrText)"
            )
            if r.status != 0 { return }
        }

        try expectTheTourAndTeamFlow(run, outputs, sh)
    }

    /// The tour and the team flow are among the blocks run, and every marker gives its reason.
    private func expectMarkers(_ blocks: [ReadmeBlock], _ run: [ReadmeBlock]) {
        #expect(run.contains { $0.comments.contains { $0.hasPrefix("<!-- tour:") } })
        #expect(run.contains { $0.comments.contains { $0.hasPrefix("<!-- team:") } })
        for block in blocks where block.notRunReason != nil {
            #expect(
                block.notRunReason?.isEmpty == false, "README line \(block.line): a 'not run' marker needs a reason")
        }
        for block in run {
            #expect(
                !block.text.hasPrefix("$ ") && !block.text.contains("\n$ "),
                "README line \(block.line): a transcript in a shell block (give its fence no language)")
        }
    }

    /// A temporary repository as the README's reader has it (the keys, the examples, a Jekyll
    /// site), and a shell that runs there.
    private func readmeWorkspace() throws -> (String) throws -> ProcessResult {
        let ws = try Workspace(keyID: "unused")
        try FileManager.default.removeItem(atPath: ws.keyPath)
        let root = TestPaths.repositoryRoot
        let fm = FileManager.default
        try fm.copyItem(at: root.appendingPathComponent("Keys"), to: ws.dir.appendingPathComponent("Keys"))
        try fm.copyItem(at: root.appendingPathComponent("Examples"), to: ws.dir.appendingPathComponent("Examples"))
        _ = try ws.write("_config.yml", "title: My site\n")
        _ = try ws.write("index.md", "---\nlayout: home\n---\n")
        _ = try ws.write("_posts/2026-01-01-hello.md", "---\ntitle: \"Hello\"\n---\nA public post.\n")
        _ = try ws.write(
            "_posts/private/2026-02-01-secret.md", "---\ntitle: \"Secret\"\ntags: [a]\n---\nFor members only.\n")
        let home = ws.dir.appendingPathComponent("home").path
        let bin = URL(fileURLWithPath: securedBinary).deletingLastPathComponent().path
        let environment = gitTestEnvironment.merging([
            "HOME": home, "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "SECURED_PASSPHRASE": Self.passphrase,
        ]) { $1 }
        return { script in
            try runProcess(
                "setsid", ["-w", "/bin/bash", "-e", "-c", script], environment: environment,
                removing: ["SECURED_KEY", "SECURED_AGE_IDENTITY", "GITHUB_STEP_SUMMARY", "GIT_DIR", "GIT_INDEX_FILE"],
                currentDirectory: ws.dir)
        }
    }

    /// What the blocks did: the draft refused, the commits, the team's keys and the members'
    /// pages, and the diff driver.
    private func expectTheTourAndTeamFlow(
        _ run: [ReadmeBlock], _ outputs: [Int: ProcessResult], _ sh: (String) throws -> ProcessResult
    ) throws {
        // The tour: the plaintext draft was refused, and said how to seal it.
        let tour = run.first { $0.comments.contains { $0.hasPrefix("<!-- tour:") } }!
        let refused = outputs[tour.line]!
        #expect(refused.stdoutText.contains("refused: seal it first"), "\(refused.stdoutText)")
        #expect(refused.stderrText.contains("_posts/private/2026-03-01-draft.md:1: error: SR003"))
        #expect(
            refused.stderrText.contains(
                "  hint: Seal it: secured seal --key ~/.config/secured/site-2026.key -- _posts/private/2026-03-01-draft.md"
            )
        )
        let log = try sh("git log --format=%s")
        #expect(
            log.stdoutText
                == """
                Bob left: rotate to site-2027
                Bob no longer holds the site key
                Share the site key with Bob and CI
                A members-only draft; an update to the hello post
                Audit the records in CI
                Seal the private posts
                The site

                """, "\(log.stdoutText)")
        // Private posts are committed sealed; after the team's rotation nothing committed is
        // vouched for by the retired key, and the policy verifies with the new public key.
        let team = try sh(
            """
            git show HEAD:_posts/private/2026-02-01-secret.md | grep -q '^secured: "'
            ! git grep -q 'For members only' HEAD
            ! git grep -q 'site-2026;' HEAD -- _posts
            git grep -q 'ed25519;site-2027;' HEAD -- _posts/2026-01-01-hello.md
            git show HEAD:.secured.yaml | grep -q 'Keys/site-2027.pub'
            test ! -e Keys/site-2026.key.age
            age -d -i ~/.config/secured/alice.txt Keys/site-2027.key.age | cmp - ~/.config/secured/site-2027.key
            ! age -d -i ~/.config/secured/bob.txt Keys/site-2027.key.age > /dev/null 2>&1
            """)
        #expect(team.status == 0, "\(team.stdoutText)\(team.stderrText)")
        // The members' pages: the wrapped key was published and opened the post; the press
        // group is gone, and after the rotation only the members' passphrase opens the posts.
        let members = run.first { $0.comments.contains { $0.hasPrefix("<!-- members:") } }!
        #expect(outputs[members.line]?.stdoutText.hasPrefix("For members only.\n") == true)
        let after = try sh(
            """
            test -e _site/keys/site-2027.members.key.pw && test -e _site/keys/site-2027.pub
            test ! -e Keys/site-2027.press.key.pw
            ! grep -rq 'site-2027;' _posts
            grep -q 'Keys/site-2028.pub' .secured.yaml
            secured audit . --require-signature
            secured open _posts/private/2026-02-01-secret.md --key Keys/site-2028.members.key.pw --key Keys/site-2028.pub
            ! SECURED_PASSPHRASE="$(cat ~/press-passphrase.txt)" secured open _posts/private/2026-02-01-secret.md --key Keys/site-2028.members.key.pw --key Keys/site-2028.pub
            """)
        #expect(after.status == 0, "\(after.stdoutText)\(after.stderrText)")
        #expect(after.stdoutText == "For members only.\n")
        // The diff driver, configured with the key as the README says, shows the plaintext:
        // sealing the post changed nothing a reader sees, not one base64 line.
        let shown = try sh("git log -p -1 HEAD~5 -- _posts/private/2026-02-01-secret.md")
        #expect(shown.status == 0 && shown.stdoutText.contains("Seal the private posts"))
        #expect(!shown.stdoutText.contains("+secured:") && !shown.stdoutText.contains("not opened"))
        let raw = try sh("git log -p -1 --no-textconv HEAD~5 -- _posts/private/2026-02-01-secret.md")
        #expect(raw.stdoutText.contains("+secured:"))
    }
}
