import Foundation
import SecuredCrypto
import TestSupport
import Testing

/// Issue 6: a batch write killed with SIGKILL at a random moment leaves every record whole.
@Suite("Crash safety of batch writes")
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
