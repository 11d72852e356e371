import Foundation
import SecuredRecords
import TestSupport
import Testing

/// Inputs written to break the tool (issue 19, crashes and hangs), built as they were found.
/// Nothing here asserts a wall-clock time: a case the old code took minutes, hours or days on
/// runs under `timeout`, generous enough for a loaded machine, and must reach its result code.
@Suite("Hostile input: no crash, no hang")
struct HostileInputTests {
    /// `secured` under `timeout -s KILL seconds`: status 137 when it did not finish.
    func secured(within seconds: Int, _ arguments: [String], in dir: URL) throws -> ProcessResult {
        try runProcess(
            "timeout", ["-s", "KILL", "\(seconds)", securedBinary] + arguments,
            removing: ["SECURED_KEY", "GITHUB_STEP_SUMMARY"], currentDirectory: dir)
    }

    @Test func aPolicyNesting50000LevelsIsAUsageErrorNotACrash() throws {
        // 100 KB, as found: audit, textconv and hook check died with SIGSEGV (exit 139).
        let ws = try Workspace()
        let nested = "include: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000) + "\n"
        _ = try ws.write(".secured.yaml", nested)
        _ = try ws.write("a.md", "---\ntitle: a\n---\nbody\n")
        let audit = try secured(within: 120, ["audit", "."], in: ws.dir)
        #expect(audit.status == 2, "\(audit.stderrText)")
        #expect(audit.stderrText.contains(".secured.yaml:1: collections nest more than 64 levels deep"))
        let textconv = try secured(within: 120, ["textconv", "a.md"], in: ws.dir)
        #expect(textconv.status == 0 && textconv.stdoutText == "---\ntitle: a\n---\nbody\n", "\(textconv.stderrText)")
        _ = try runProcess("git", ["init", "-q"], currentDirectory: ws.dir)
        // Staged: the hook reads the policies as the commit holds them.
        _ = try runProcess("git", ["add", "a.md", ".secured.yaml"], currentDirectory: ws.dir)
        let hook = try secured(within: 120, ["hook", "check"], in: ws.dir)
        #expect(hook.status == 2 && hook.stderrText.contains(".secured.yaml:1:"), "\(hook.stderrText)")
    }

    @Test func anIndexDeclaringAHugeBlobCountIsRefusedNotAllocated() throws {
        // As found: audit-merge aborted ("failed to allocate 18446744073709551608 bytes").
        let ws = try Workspace()
        let big = "9223372036854775807"
        // The version alone: `--version` prints the commit built from too.
        let version = SecuredVersion.current
        _ = try ws.write(
            "huge.index",
            "secured-audit-index 1\ntool secured \(version)\nshard 1/1\nrecords \(big)\nblobs \(big)\nend\n")
        let r = try secured(within: 60, ["audit-merge", "huge.index"], in: ws.dir)
        #expect(r.status == 2, "\(r.stderrText)")
        #expect(r.stderrText.contains("huge.index:5:") && r.stderrText.contains("more blob lines than the file holds"))
    }

    @Test func shardCountsAreBoundedOnBothSides() throws {
        let ws = try Workspace()
        _ = try ws.write("corpus/a.md", "---\ntitle: a\n---\n")
        for shard in ["1/100000000000", "1/10001", "0/4", "5/4"] {
            let r = try secured(within: 60, ["audit", "corpus", "--shard", shard], in: ws.dir)
            #expect(r.status == 2 && r.stderrText.contains("1 <= I <= N <= 10000"), "\(shard): \(r.stderrText)")
        }
        let one = try secured(
            within: 60, ["audit", "corpus", "--shard", "1/10000", "--write-index", "s.index"], in: ws.dir)
        #expect(one.status == 0, "\(one.stderrText)")
        // One index of many shards: missing shards as ranges, in a short message.
        let r = try secured(within: 60, ["audit-merge", "s.index"], in: ws.dir)
        #expect(r.status == 2 && r.stderrText.contains("shards 2-10000 of 10000 missing"), "\(r.stderrText)")
        #expect(r.stderr.count < 400)
        // An index that says 1/100000000000 (found: 2.7 GB and no end) or 1/10000000 (a 100 MB
        // message) is refused on its shard line.
        let text = try ws.read("s.index")
        for count in ["100000000000", "10000000"] {
            _ = try ws.write("big.index", text.replacingOccurrences(of: "shard 1/10000", with: "shard 1/\(count)"))
            let big = try secured(within: 60, ["audit-merge", "big.index"], in: ws.dir)
            #expect(big.status == 2 && big.stderrText.contains("big.index:3:"), "\(count): \(big.stderrText)")
            #expect(big.stderr.count < 400)
        }
    }

    @Test(arguments: [200_000, 8_000_000])
    func deepFlowNestingIsSR002(_ size: Int) throws {
        // 200 KB took libyaml 25 s; 8 MB (under the 16 MiB limit) would have taken days.
        let ws = try Workspace()
        let depth = size / 2
        let record = "---\ntitle: x\nt: " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        _ = try ws.write("deep.md", record + "\n---\nbody\n")
        let r = try secured(within: 120, ["audit", "deep.md"], in: ws.dir)
        #expect(r.status == 1, "\(r.stderrText)")
        #expect(
            r.stdoutText.contains("deep.md:3: error: SR002 front matter nests collections more than 64 levels deep"))
    }

    @Test func aPolicyOfManyExcludePatternsCostsLinearTime() throws {
        // 90 KB with 45,000 patterns took 14 s on every audit, textconv and commit; the largest
        // policy read (1 MiB, 520,000 patterns) would have taken half an hour.
        let ws = try Workspace()
        _ = try ws.write("a.md", "---\ntitle: a\n---\n")
        for count in [45_000, 520_000] {
            _ = try ws.write(
                ".secured.yaml", "exclude: [" + Array(repeating: "x", count: count).joined(separator: ",") + "]\n")
            let r = try secured(within: 120, ["audit", "."], in: ws.dir)
            #expect(r.status == 0 && r.stderrText.contains("1 record checked"), "\(count): \(r.stderrText)")
            let textconv = try secured(within: 120, ["textconv", "a.md"], in: ws.dir)
            #expect(textconv.status == 0 && textconv.stdoutText == "---\ntitle: a\n---\n")
        }
    }

    @Test func repeatedDoubleStarsDoNotBlowUp() throws {
        // Seven '**' against a tree 40 levels deep took 9.7 s; ten never finished.
        let ws = try Workspace()
        let deep = (0..<40).map { "d\($0)" }.joined(separator: "/")
        _ = try ws.write("\(deep)/a.md", "---\ntitle: a\n---\n")
        _ = try ws.write("\(deep)/skip.md", "---\ntitle: a\n---\n")
        let ten = Array(repeating: "**", count: 10).joined(separator: "/")
        _ = try ws.write(".secured.yaml", "exclude: [\"\(ten)/x/\(ten)/a.md\", \"\(ten)/d39/\(ten)/skip.md\"]\n")
        let r = try secured(within: 120, ["audit", "."], in: ws.dir)
        #expect(r.status == 0 && r.stderrText.contains("1 record checked"), "\(r.stderrText)")
    }

    @Test func textconvShowsAFileOverTheSizeLimitUnchangedWithTheMarkerAfter() throws {
        // As found: a Markdown file over 16 MiB printed only the marker, hiding every change.
        let ws = try Workspace()
        let line = "a line of the body, changed or not\n"
        let text = "---\ntitle: big\n---\n" + String(repeating: line, count: 17 * (1 << 20) / line.utf8.count)
        let path = try ws.write("big.md", text)
        let r = try secured(within: 120, ["textconv", "big.md"], in: ws.dir)
        #expect(r.status == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(r.stdout.count > original.count && r.stdout.prefix(original.count) == original)
        let marker = String(decoding: r.stdout.dropFirst(original.count), as: UTF8.self)
        #expect(
            marker.hasPrefix("[secured textconv: not opened: file is") && marker.contains("size limit"), "\(marker)")
    }
}
