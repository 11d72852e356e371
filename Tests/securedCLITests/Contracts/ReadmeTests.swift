import Foundation
import TestSupport
import Testing

/// Every shell block of the README runs as a reader pastes it — in order, in one shell, the
/// working folder carrying over from block to block — so the README cannot drift from the tool.
///
/// Which blocks run is decided by ``readmeBlocks()``: a fence that says `sh` or `bash` runs,
/// unless the line before it is `<!-- not run: REASON -->` (blocks that build or install this
/// package, or recipes for another setup); other fences (`yaml`, `js`, `$ ` transcripts in a
/// fence with no language) are illustrations.
///
/// The blocks go, unchanged and in order, into one script that one `bash -e` runs, starting at
/// the root of a copy of this repository as a clone gives it (`Keys/`, `Examples/` with the
/// tour's Jekyll site, committed), with a home folder of its own; between two blocks the script
/// only prints a separator, to stdout and stderr, so that each block's output can be told
/// apart. Nothing is set up for a block: where it runs is where the blocks before it left the
/// shell. The environment has `secured` on the `PATH`, a git identity, and
/// `SECURED_PASSPHRASE` for the blocks that share with a passphrase; no `SECURED_KEY`. The
/// shell runs in a new session (`setsid`), with no terminal to ask a passphrase on.
@Suite("README: every shell block runs as a reader pastes it", .serialized)
struct ReadmeTests {
    static let passphrase = "correct horse battery staple, for the README test"

    /// The tour's site, in the home folder (the tour copies it there).
    static let site = "home/field-notes"

    @Test(.enabled(if: TeamKeyTests.required, "age is not installed"))
    func everyShellBlockOfTheReadmeRunsInOrderInOneShell() throws {
        let blocks = try readmeBlocks()
        let run = blocks.filter(\.runs)
        expectMarkers(blocks, run)
        let (ws, shell) = try readmeWorkspace()
        let script = run.map { $0.text + Self.separator($0) }.joined()
        let r = try shell(script, ws.dir)
        let outputs = Self.split(r, run)
        if let block = run.first(where: { outputs[$0.line] == nil }) {
            Issue.record(
                "README line \(block.line) failed (\(r.status)):\n\(block.text)\n--- stdout\n\(Self.tail(r.stdoutText))\n--- stderr\n\(Self.tail(r.stderrText))"
            )
            return
        }
        #expect(r.status == 0, "\(r.stderrText)")
        let site = ws.dir.appendingPathComponent(Self.site)
        let sh = { (script: String) in try shell(script, site) }
        try expectTheTour(run, outputs, sh)
        try expectTheTeamAndTheMembers(run, outputs, sh)
        // Leaks: the hook refused the draft that copies a sealed post, without quoting it.
        let leak = run.first { $0.text.contains("refused: the draft copies a sealed post") }
        let refused = leak.flatMap { outputs[$0.line] }
        #expect(refused?.stdout.contains("refused: the draft copies a sealed post") == true)
        #expect(refused?.stderr.contains("notes.txt:1: error: SR020 a run of 15 words") == true)
        #expect(refused?.stderr.contains("northern light") == false)
    }

    /// What the script prints after a block: its line, on stdout and stderr.
    static func separator(_ block: ReadmeBlock) -> String {
        "printf '\\n@@README %d\\n' \(block.line); printf '\\n@@README %d\\n' \(block.line) >&2\n"
    }

    /// Each block's stdout and stderr, by the line of its fence; a block that did not end (the
    /// shell stopped in it) has none.
    static func split(_ r: ProcessResult, _ run: [ReadmeBlock]) -> [Int: (stdout: String, stderr: String)] {
        func parts(_ text: String) -> [Int: String] {
            var out: [Int: String] = [:]
            var rest = Substring(text)
            for block in run {
                let marker = "\n@@README \(block.line)\n"
                guard let range = rest.range(of: marker) else { break }
                out[block.line] = String(rest[..<range.lowerBound])
                rest = rest[range.upperBound...]
            }
            return out
        }
        let (stdout, stderr) = (parts(r.stdoutText), parts(r.stderrText))
        var out: [Int: (stdout: String, stderr: String)] = [:]
        for (line, text) in stdout { if let err = stderr[line] { out[line] = (text, err) } }
        return out
    }

    static func tail(_ text: String) -> String { String(text.suffix(6000)) }

    /// The tour and the team flow are among the blocks run, every marker gives its reason, and
    /// the text before every block that runs says where it runs (the root of what).
    private func expectMarkers(_ blocks: [ReadmeBlock], _ run: [ReadmeBlock]) {
        #expect(run.contains { $0.comments.contains { $0.hasPrefix("<!-- tour:") } })
        #expect(run.contains { $0.comments.contains { $0.hasPrefix("<!-- team:") } })
        #expect(run.contains { $0.comments.contains { $0.hasPrefix("<!-- members:") } })
        for block in blocks where block.notRunReason != nil {
            #expect(
                block.notRunReason?.isEmpty == false, "README line \(block.line): a 'not run' marker needs a reason")
        }
        for block in run {
            #expect(
                !block.text.hasPrefix("$ ") && !block.text.contains("\n$ "),
                "README line \(block.line): a transcript in a shell block (give its fence no language)")
            let said = block.prose.split(separator: "\n").suffix(12).joined(separator: " ")
            #expect(
                said.contains("root"),
                "README line \(block.line): the text before the block does not say where it runs:\n\(said)")
        }
    }

    /// A copy of this repository as a clone gives it (the keys, the examples), committed, with
    /// a home folder of its own, and a shell that runs a script in a folder.
    private func readmeWorkspace() throws -> (Workspace, (String, URL) throws -> ProcessResult) {
        let ws = try Workspace(keyID: "unused")
        try FileManager.default.removeItem(atPath: ws.keyPath)
        try FileManager.default.removeItem(at: ws.dir.appendingPathComponent(".gitignore"))
        let root = TestPaths.repositoryRoot
        for folder in ["Keys", "Examples"] {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent(folder), to: ws.dir.appendingPathComponent(folder))
        }
        let home = ws.dir.appendingPathComponent("home").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        let bin = URL(fileURLWithPath: securedBinary).deletingLastPathComponent().path
        let environment = gitTestEnvironment.merging([
            "HOME": home, "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "SECURED_PASSPHRASE": Self.passphrase,
        ]) { $1 }
        let shell = { (script: String, dir: URL) in
            try runProcess(
                "setsid", ["-w", "/bin/bash", "--noprofile", "--norc", "-e", "-c", script], environment: environment,
                removing: [
                    "SECURED_KEY", "SECURED_AGE_IDENTITY", "GITHUB_STEP_SUMMARY", "GIT_DIR", "GIT_INDEX_FILE",
                    "XDG_CONFIG_HOME",
                ],
                currentDirectory: dir)
        }
        let clone = try shell("git init -q -b main && git add -A && git commit -q -m 'A clone'", ws.dir)
        #expect(clone.status == 0, "\(clone.stderrText)")
        return (ws, shell)
    }
}

extension ReadmeTests {
    typealias Outputs = [Int: (stdout: String, stderr: String)]

    /// The block that a README comment marks (`<!-- tour:`).
    static func block(_ run: [ReadmeBlock], _ marker: String) -> ReadmeBlock {
        run.first { $0.comments.contains { $0.hasPrefix("<!-- \(marker)") } }!
    }

    /// The tour: the plaintext draft refused with a hint that names the key the policy names,
    /// that hint pasted as it is by the next block (and it worked), the commits, the diff driver.
    func expectTheTour(_ run: [ReadmeBlock], _ outputs: Outputs, _ sh: (String) throws -> ProcessResult) throws {
        let tour = Self.block(run, "tour:")
        let refused = outputs[tour.line]!
        #expect(refused.stdout.contains("refused: seal it first"), "\(refused.stdout)")
        #expect(refused.stderr.contains("_posts/private/2026-03-01-draft.md:1: error: SR003"))
        let hint = refused.stderr.split(separator: "\n").first { $0.hasPrefix("  hint: Seal it: ") }
        let command = hint.map { String($0.dropFirst("  hint: Seal it: ".count)) } ?? ""
        #expect(
            command
                == "secured seal --key ~/.config/secured/site-2026.key -- _posts/private/2026-03-01-draft.md && git add -- _posts/private/2026-03-01-draft.md",
            "\(refused.stderr)")
        // The next block pastes the hint as it is, first of all; it ran, and the commit went in.
        let next = run[run.firstIndex { $0.line == tour.line }! + 1]
        #expect(next.text.hasPrefix(command + "\n"), "the day-to-day block starts with the hint: \(next.text)")
        let log = try sh("git log --format=%s")
        #expect(
            log.stdoutText
                == """
                The press group left: rotate to site-2028
                Bob left: rotate to site-2027
                Bob no longer holds the site key
                Share the site key with Bob and CI
                A members-only draft; an update to the hello post
                Audit the records in CI
                The site, its private posts sealed

                """, "\(log.stdoutText)")
        // Nothing in the history holds a private post in plaintext.
        let history = try sh("! git log -p --all --no-textconv | grep -q 'For members only'")
        #expect(history.status == 0, "a private post in plaintext in the history")
        // The diff driver, configured with the key as the README says, shows the plaintext:
        // sealing the post changed nothing a reader sees, not one base64 line.
        let post = "_posts/private/2026-02-01-quarry-interviews.md"
        let shown = try sh("git log -p -1 HEAD~6 -- \(post)")
        #expect(
            shown.status == 0 && shown.stdoutText.contains("+For members only. Three workers"), "\(shown.stdoutText)")
        #expect(!shown.stdoutText.contains("+secured:") && !shown.stdoutText.contains("not opened"))
        let raw = try sh("git log -p -1 --no-textconv HEAD~6 -- \(post)")
        #expect(raw.stdoutText.contains("+secured:"))
    }

    /// The team flow's commits and age files; the members' pages: the post opened with the
    /// passphrase, rotate naming the copies of the old key with the commands that replace them
    /// (the block runs those very commands), and the published key files rewritten.
    func expectTheTeamAndTheMembers(
        _ run: [ReadmeBlock], _ outputs: Outputs, _ sh: (String) throws -> ProcessResult
    ) throws {
        let team = try sh(
            """
            git show HEAD:_posts/private/2026-02-01-quarry-interviews.md | grep -q '^secured: "'
            ! git grep -q 'site-2026;' HEAD~1 -- _posts
            git show HEAD~1:.secured.yaml | grep -q 'Keys/site-2027.pub'
            git cat-file -e HEAD~1:Keys/site-2027.key.age && ! git cat-file -e HEAD~1:Keys/site-2026.key.age
            ! git grep -q 'site-2027;' HEAD -- _posts
            git grep -q 'ed25519;site-2028;' HEAD -- _posts/2026-01-01-hello.md
            git show HEAD:.secured.yaml | grep -q 'Keys/site-2028.pub'
            test ! -e Keys/site-2026.key.age && test ! -e Keys/site-2027.key.age
            age -d -i ~/.config/secured/alice.txt Keys/site-2028.key.age | cmp - ~/.config/secured/site-2028.key
            ! age -d -i ~/.config/secured/bob.txt Keys/site-2028.key.age > /dev/null 2>&1
            """)
        #expect(team.status == 0, "\(team.stdoutText)\(team.stderrText)")
        let members = Self.block(run, "members:")
        let output = outputs[members.line]!
        #expect(output.stdout.hasPrefix("\nFor members only. Three workers"), "\(output.stdout)")
        for (copy, command) in [
            (
                "Keys/site-2027.members.key.pw",
                "secured share ~/.config/secured/site-2028.key --passphrase --label members --out Keys/site-2028.members.key.pw"
            ),
            (
                "Keys/site-2027.key.age",
                "secured share ~/.config/secured/site-2028.key -r RECIPIENT --out Keys/site-2028.key.age"
            ),
        ] {
            #expect(output.stderr.contains("\(copy): note: holds the old key 'site-2027'"), "\(output.stderr)")
            #expect(output.stderr.contains(command), "\(output.stderr)")
        }
        #expect(
            members.text.contains(
                "\nsecured share ~/.config/secured/site-2028.key --passphrase --label members --out Keys/site-2028.members.key.pw\n"
            ))
        // The published key files are the new key's only, and open the posts; the press group
        // is gone, and only the members' passphrase opens them.
        let after = try sh(
            """
            test "$(ls _site/keys)" = "$(printf 'site-2028.members.key.pw\nsite-2028.pub')"
            test ! -e Keys/site-2027.press.key.pw && test ! -e Keys/site-2027.members.key.pw
            ! grep -rq 'site-2027;' _posts
            secured audit . --require-signature
            secured open _posts/private/2026-02-01-quarry-interviews.md --key _site/keys/site-2028.members.key.pw --key _site/keys/site-2028.pub
            ! SECURED_PASSPHRASE="$(cat ~/press-passphrase.txt)" secured open _posts/private/2026-02-01-quarry-interviews.md --key _site/keys/site-2028.members.key.pw --key _site/keys/site-2028.pub
            """)
        #expect(after.status == 0, "\(after.stdoutText)\(after.stderrText)")
        #expect(after.stdoutText.hasPrefix("\nFor members only. Three workers"), "\(after.stdoutText)")
    }
}
