import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// A batch write (`seal`, `rotate`) killed with SIGKILL at a random moment leaves every record
/// whole, and a re-run finishes the job.
@Suite("Crash safety: a batch write killed at any moment leaves every record whole")
struct CrashSafetyTests {
    struct Report: Decodable {
        struct Finding: Decodable { var code: String }
        var findings: [Finding]
        var recordsChecked: Int
        var recordsPassed: Int
    }

    func audit(_ ws: Workspace, keys: [String]) throws -> Report {
        let run = try secured(
            ["audit", "r", "--require-secured", "--require-signature", "--format", "json"]
                + keys.flatMap { ["--key", $0] }, in: ws.dir)
        #expect([0, 1].contains(run.status), "\(run.stderrText.suffix(400))")
        return try JSONDecoder().decode(Report.self, from: run.stdout)
    }

    /// Starts `secured` with `arguments` and kills it with SIGKILL after `delay` seconds.
    /// Starts `secured`, waits until `ready` holds (polled; at most 20 s), then `delay`
    /// seconds more, and kills it with SIGKILL.
    func startAndKill(
        _ arguments: [String], in dir: URL, after delay: Double, once ready: (() -> Bool)? = nil
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: securedBinary)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let ready {
            for _ in 0..<10_000 where !ready() && process.isRunning { usleep(2_000) }
        }
        usleep(UInt32(delay * 1_000_000))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    func temporaryFiles(_ ws: Workspace) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: ws.dir.appendingPathComponent("r").path)
            .filter { $0.contains(".secured-tmp-") }
    }

    @Test func sigkillDuringRotateNeverTearsARecord() throws {
        let ws = try Workspace(keyID: "old")
        let count = 2_000
        for i in 0..<count {
            _ = try ws.write(
                "r/\(String(format: "%04d", i)).md", "---\ntitle: record \(i)\n---\nbody of record \(i), to seal\n")
        }
        #expect(try secured(["seal", "r", "--key", ws.keyPath], in: ws.dir).status == 0)
        let new = try SecuredKey.generate(id: "new")
        let newPath = ws.dir.appendingPathComponent("new.key").path
        try Data(new.keyFileText().utf8).write(to: URL(fileURLWithPath: newPath))
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: newPath)

        var rng = SystemRandomNumberGenerator()
        var rotatedCounts: [Int] = []
        for _ in 0..<4 {
            try startAndKill(
                ["rotate", "r", "--from", ws.keyPath, "--to", newPath], in: ws.dir,
                after: Double.random(in: 0.05...0.3, using: &rng))
            // Every record is whole: valid under the old key or the new one, none torn.
            let both = try audit(ws, keys: [ws.keyPath, newPath])
            #expect(both.recordsChecked == count, "a record disappeared or a temporary file is taken for one")
            #expect(both.findings.isEmpty, "\(both.findings.prefix(5).map(\.code))")
            let onlyNew = try audit(ws, keys: [newPath])
            rotatedCounts.append(onlyNew.recordsPassed)
        }
        // The kills must have landed mid-way at least once, or this test proved nothing.
        #expect(rotatedCounts.contains { $0 > 0 && $0 < count }, "\(rotatedCounts)")
        #expect(rotatedCounts == rotatedCounts.sorted(), "progress went backwards: \(rotatedCounts)")
        // Temporary files a kill left are hidden: a re-run neither trips on them nor takes them for records.
        let leftovers = try temporaryFiles(ws)
        #expect(leftovers.allSatisfy { $0.hasPrefix(".") })
        let rerun = try secured(["rotate", "r", "--from", ws.keyPath, "--to", newPath], in: ws.dir)
        #expect(rerun.status == 0, "\(rerun.stderrText.suffix(400))")
        let final = try audit(ws, keys: [newPath])
        #expect(final.recordsPassed == count && final.findings.isEmpty)
        // Opening gives back each original body.
        let opened = try secured(["open", "r/0123.md", "--key", newPath], in: ws.dir)
        #expect(opened.stdoutText == "body of record 123, to seal\n")
    }

    @Test func sigkillDuringSealNeverTearsARecord() throws {
        let ws = try Workspace(keyID: "seal")
        let count = 2_000
        for i in 0..<count {
            _ = try ws.write("r/\(String(format: "%04d", i)).md", "---\ntitle: record \(i)\n---\nplain body \(i)\n")
        }
        // Kill it once the first record is sealed, so the kill lands mid-run.
        let first = "---\ntitle: record 0\n---\nplain body 0\n"
        try startAndKill(["seal", "r", "--key", ws.keyPath], in: ws.dir, after: 0.02) {
            (try? ws.read("r/0000.md")).map { $0 != first } ?? false
        }
        // Each record is either untouched plain text or sealed and signed: audit without
        // --require-secured would pass both; check each file's form directly.
        var sealed = 0
        for i in 0..<count {
            let text = try ws.read("r/\(String(format: "%04d", i)).md")
            if text == "---\ntitle: record \(i)\n---\nplain body \(i)\n" { continue }
            #expect(
                text.contains("\nsecured: \"") && text.contains("\nsignature: \"ed25519;seal;")
                    && text.hasSuffix("---\n\n"))
            sealed += 1
        }
        #expect(sealed > 0 && sealed < count, "the kill did not land mid-run: \(sealed) of \(count) sealed")
        #expect(try secured(["seal", "r", "--key", ws.keyPath], in: ws.dir).status == 0)
        let final = try audit(ws, keys: [ws.keyPath])
        #expect(final.recordsPassed == count && final.findings.isEmpty)
    }
}

/// Inputs written to break the tool, built as they were found. Nothing here asserts a wall-clock
/// time: a case the old code took minutes, hours or days on runs under `timeout`, generous enough
/// for a loaded machine, and must reach its result code.
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
}

/// A 15 MiB record whose front matter is all empty lines once made one audit job take 573 MB (a
/// stored `Line` of 32 bytes a line, and its array's growth), 36 times the file. Lines are now
/// offsets of 4 bytes. Memory, unlike time, is steady enough to bound.
@Suite("A front matter of millions of lines stays small")
struct ManyLinesMemoryTests {
    @Test func fifteenMebibytesOfEmptyLinesStayUnderTenTimesTheFile() throws {
        let ws = try Workspace()
        let size = 15 * 1024 * 1024
        let text = "---\n" + String(repeating: "\n", count: size) + "---\nx\n"
        _ = try ws.write("n.md", text)
        let binary = securedBinary
        let script = """
            import resource, subprocess, sys
            r = subprocess.run([sys.argv[1], "audit", "n.md", "--no-policy"], capture_output=True)
            print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            """
        let r = try runProcess("/usr/bin/env", ["python3", "-c", script, binary], currentDirectory: ws.dir)
        let fields = r.stdoutText.split(separator: " ").compactMap {
            Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        #expect(fields.count == 2 && fields[0] == 0, "\(r.stdoutText) \(r.stderrText)")
        let peakKB = fields.last ?? .max
        #expect(peakKB < 10 * size / 1024, "peak RSS \(peakKB) KB for a \(size / 1024) KB record")
    }
}
