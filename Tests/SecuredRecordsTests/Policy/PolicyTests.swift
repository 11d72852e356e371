import Foundation
import SecuredRecords
import TestSupport
import Testing

/// The policy file: globs as in .gitignore, strict fields with file and line, the
/// nearest policy only, up to the repository root.
@Suite("Policy file and globs")
struct PolicyTests {
    @Test(arguments: [
        // (glob, path, matches)
        ("*.md", "a.md", true),
        ("*.md", "content/deep/a.md", true),  // no '/': a name at any depth
        ("*.md", "a.markdown", false),
        ("content/*.md", "content/a.md", true),
        ("content/*.md", "content/sub/a.md", false),  // '*' does not cross '/'
        ("content/**/*.md", "content/a.md", true),  // '**' is zero or more folders
        ("content/**/*.md", "content/x/y/a.md", true),
        ("content/**", "content/x/y/a.md", true),  // everything below
        ("content/**", "other/content/a.md", false),  // anchored
        ("/README.md", "README.md", true),
        ("/README.md", "docs/README.md", false),
        ("README.md", "docs/README.md", true),
        ("drafts", "content/drafts/a.md", true),  // a folder's name covers what is below
        ("private/", "content/private/a.md", true),
        ("private/", "content/private", false),  // folders only: not a file of that name
        ("**/private/**", "content/private/a.md", true),
        ("a?c.md", "abc.md", true),
        ("a?c.md", "a/c.md", false),
        ("[ab].md", "b.md", true),
        ("[!ab].md", "b.md", false),
        ("ü*.md", "über.md", true),
        ("with space.md", "x/with space.md", true),
        ("\\*.md", "*.md", true),
        ("\\*.md", "a.md", false),
    ])
    func globsMatchAsGitignoreDoes(_ glob: String, _ path: String, _ expected: Bool) throws {
        #expect(try Glob(glob).matches(path) == expected, "\(glob) ~ \(path)")
    }

    @Test func oneComponentMatchesAsFnmatchDoes() throws {
        // Differential: the byte-level matcher against the C library's fnmatch, on ASCII.
        var rng = SeededRandom(seed: 13)
        let pieces = ["a", "b", ".", "*", "?", "[ab]", "[!a]", "[a-c]", "\\*", "-", "]"]
        let letters: [Character] = ["a", "b", "c", ".", "*", "-", "]"]
        var compared = 0
        for _ in 0..<20000 {
            let pattern = (0..<Int(rng.next() % 5 + 1)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }
                .joined()
            guard let glob = try? Glob(pattern) else { continue }
            let name = String(
                (0..<Int(rng.next() % 6 + 1)).map { _ in letters[Int(rng.next() % UInt64(letters.count))] })
            let expected = fnmatch(pattern, name, 0) == 0
            #expect(glob.matches(name) == expected, "\(pattern) ~ \(name)")
            compared += 1
        }
        #expect(compared > 15000)
    }

    @Test(arguments: ["", "!a.md", "a/**b", "[ab.md", "a\\", "../x", "a//b", "./x"])
    func badGlobsAreRefused(_ glob: String) {
        #expect(throws: Glob.Problem.self) { try Glob(glob) }
    }

    func policy(_ text: String, file: String = "/repo/.secured.yaml") throws -> Policy {
        try Policy(parsing: Array(text.utf8), file: file, workingDirectory: "/elsewhere")
    }

    func error(_ text: String) -> PolicyError? {
        do {
            _ = try Policy(parsing: Array(text.utf8), file: "/repo/.secured.yaml", workingDirectory: "/repo")
            return nil
        } catch {
            return error
        }
    }

    @Test func everyFieldIsRead() throws {
        let p = try policy(
            """
            # a comment
            include: ["content/**/*.md", "*.markdown"]
            exclude: [content/drafts/**]
            require-secured:
              - content/private/**
            require-signature: true
            ignore: [sr015, SR013]
            manifest: content/MANIFEST.sha256
            keys: [Keys/site.pub, site-2026, other/key-file]
            """)
        #expect(p.include?.map(\.text) == ["content/**/*.md", "*.markdown"])
        #expect(p.exclude.map(\.text) == ["content/drafts/**"])
        #expect(p.requireSecured == .matching([try Glob("content/private/**")]))
        #expect(p.requireSignature == .everywhere)
        #expect(p.ignore == [.sr015DuplicateBlob, .sr013ContentNotUTF8])
        #expect(p.manifest == "/repo/content/MANIFEST.sha256")
        #expect(p.keyFiles == ["/repo/Keys/site.pub", "/repo/other/key-file"])
        #expect(p.keyIDs.map(\.id) == ["site-2026"] && p.keyIDs[0].line == 9)
        #expect(p.requiresSecured("/repo/content/private/a.md"))
        #expect(!p.requiresSecured("/repo/content/public/a.md"))
        #expect(p.requiresSignature("/repo/anything.md"))
        #expect(p.includes("/repo/content/a/b.md") { _ in false })
        #expect(!p.includes("/repo/content/drafts/b.md") { _ in true })
        #expect(p.includes("/repo/notes.markdown") { _ in false })
        #expect(!p.includes("/repo/notes.txt") { _ in true })  // include replaces the default
        let empty = try policy("")
        #expect(empty.include == nil && empty.requireSecured == .nowhere && empty.keyFiles.isEmpty)
        #expect(try policy("# only comments\n").exclude.isEmpty)
        #expect(try policy("---\n").requireSecured == .nowhere)
        // Written by a Windows editor: a byte-order mark and CRLF line ends.
        let windows = try Policy(
            parsing: [0xEF, 0xBB, 0xBF] + Array("require-secured: true\r\nexclude: [b.md]\r\n".utf8),
            file: "/repo/.secured.yaml", workingDirectory: "/repo")
        #expect(windows.requireSecured == .everywhere && windows.exclude.map(\.text) == ["b.md"])
    }

    @Test func theLeaksFieldNamesPathsBaselineAndHistoryRelativeToThePolicy() throws {
        let p = try policy("leaks:\n  paths: [_site, 'public/feeds']\n  baseline: ci/leaks.baseline\n  history: true\n")
        #expect(p.leaks.paths == ["/repo/_site", "/repo/public/feeds"])
        #expect(p.leaks.baseline == "/repo/ci/leaks.baseline" && p.leaks.history && p.leaks.line == 1)
        #expect(try policy("leaks:\n  paths: public\n").leaks.paths == ["/repo/public"])
        let bare = try policy("leaks:\n").leaks
        #expect(bare.line == 1 && bare.paths.isEmpty && bare.baseline == nil && !bare.history)
        #expect(try policy("keys: []\n").leaks == LeakPolicy())
    }

    @Test(arguments: [
        ("include: [a]\nbogus: 1\n", 2, "unknown field 'bogus'"),
        ("exclude: ['[ab']\n", 1, "bad glob"),
        ("require-secured: yes\n", 1, "true, false or a list of globs"),
        ("require-signature: 'true'\n", 1, "true, false or a list of globs"),
        ("ignore: [SR099]\n", 1, "not an SR code"),
        ("ignore: [refused]\n", 1, "not an SR code"),
        ("keys: ['no good id!']\n", 1, "neither a key file"),
        ("include: [a]\n\ninclude: [b]\n", 3, "given twice"),
        ("include: &x [a]\nexclude: *x\n", 2, "aliases"),
        ("- a\n- b\n", 1, "a mapping of fields"),
        ("include: {a: b}\n", 1, "not a mapping"),
        ("manifest: [a, b]\n", 1, "one path"),
        ("leaks: [_site]\n", 1, "'leaks' is a mapping"),
        ("leaks:\n  paths: [a]\n  histroy: true\n", 3, "unknown field 'leaks.histroy'"),
        ("leaks:\n  history: yes\n", 2, "true or false"),
        ("leaks:\n  baseline: [a, b]\n", 2, "one path"),
        ("leaks:\n  paths: ['']\n", 2, "an empty path"),
        ("include: [a\n", 2, "not valid YAML"),
        ("a: 1\n---\nb: 2\n", 2, "one YAML document"),
    ])
    func badPoliciesNameTheirLine(_ text: String, _ line: Int, _ words: String) throws {
        let e = try #require(error(text))
        #expect(e.line == line, "\(text): \(e)")
        #expect(e.message.contains(words), "\(text): \(e)")
        #expect(e.description.hasPrefix("/repo/.secured.yaml:\(line): "))
    }

    @Test func theNearestPolicyAppliesAloneUpToTheRepositoryRoot() throws {
        let root = try TestPaths.temporaryDirectory("policy")
        let outer = root.appendingPathComponent("outer")
        let repo = outer.appendingPathComponent("repo")
        for dir in ["repo/.git", "repo/content/private", "repo/content/public/deeper"] {
            try FileManager.default.createDirectory(
                at: outer.appendingPathComponent(dir), withIntermediateDirectories: true)
        }
        // Above the repository: never read.
        try Data("require-signature: true\n".utf8).write(to: outer.appendingPathComponent(".secured.yaml"))
        try Data("require-secured: [private/**]\n".utf8).write(
            to: repo.appendingPathComponent("content/.secured.yaml"))
        try Data("exclude: [x.md]\n".utf8).write(
            to: repo.appendingPathComponent("content/public/.secured.yaml"))
        let resolver = PolicyResolver(workingDirectory: FileManager.default.currentDirectoryPath)
        let top = resolver.policy(for: repo.appendingPathComponent("a.md").path)
        #expect(top == nil, "the policy above the repository root does not apply")
        let content = try #require(resolver.policy(for: repo.appendingPathComponent("content/private/a.md").path))
        #expect(content.requiresSecured(repo.appendingPathComponent("content/private/a.md").path))
        // The nearest one replaces it: no stacking.
        let deeper = try #require(
            resolver.policy(for: repo.appendingPathComponent("content/public/deeper/a.md").path))
        #expect(deeper.exclude.map(\.text) == ["x.md"] && deeper.requireSecured == .nowhere)
        #expect(resolver.policies.count == 2 && resolver.errors.isEmpty)
        // A broken policy is an error the caller reports, not silently skipped.
        try Data("nope: 1\n".utf8).write(to: repo.appendingPathComponent("content/private/.secured.yaml"))
        let fresh = PolicyResolver(workingDirectory: FileManager.default.currentDirectoryPath)
        #expect(fresh.policy(for: repo.appendingPathComponent("content/private/a.md").path) == nil)
        #expect(fresh.errors.first?.line == 1)
    }
}
