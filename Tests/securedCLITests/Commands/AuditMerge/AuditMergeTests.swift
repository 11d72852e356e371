import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Sharded audits (`audit --shard K/N --write-index`) and `secured audit-merge`: a reuse of an IV or
/// a copied blob across shards is found by the merge, and indexes that do not make one corpus are refused.
@Suite("audit-merge: corpus-wide checks across shard indexes", .serialized)
struct AuditMergeTests {
    /// A sealed-looking record (no signature, so no key is needed to audit its form).
    func record(ciphertext: [UInt8], iv: [UInt8]) -> String {
        "---\ntitle: \"r\"\nsecured: \"\(Base64.encode(ciphertext));\(Base64.encode(iv))\"\n---\n"
    }

    func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8.random(in: 0...255) } }

    /// The first unused name `corpus/<prefix><k>.md` that falls in `shard` (0-based) of `count`.
    func name(in shard: Int, of count: Int, prefix: String, taken: inout Set<String>) -> String {
        for k in 0... {
            let path = "corpus/\(prefix)\(k).md"
            if !taken.contains(path) && Auditor.shardIndex(of: path, count: count) == shard {
                taken.insert(path)
                return path
            }
        }
        fatalError("unreachable")
    }

    /// SR014/SR015 findings of a JSON report, as comparable lines.
    func corpusFindings(_ data: Data) throws -> [String] {
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let findings = doc["findings"] as? [[String: Any]] ?? []
        return findings.compactMap { f in
            let code = f["code"] as? String ?? ""
            guard code == "SR014" || code == "SR015" else { return nil }
            return "\(f["file"] ?? ""):\(f["line"] ?? 0) \(code) \(f["message"] ?? "")"
        }
    }

    /// A corpus where A (shard 1), B (shard 2) and C (shard 3) share an IV — B with another
    /// ciphertext, C a copy of A's blob — D and E share one inside shard 1, and the rest are
    /// unique.
    func corpus() throws -> (Workspace, Set<String>) {
        let ws = try Workspace()
        var taken = Set<String>()
        let iv = random(16)
        let ct = random(48)
        let a = name(in: 0, of: 3, prefix: "a", taken: &taken)
        let b = name(in: 1, of: 3, prefix: "b", taken: &taken)
        let c = name(in: 2, of: 3, prefix: "c", taken: &taken)
        _ = try ws.write(a, record(ciphertext: ct, iv: iv))
        _ = try ws.write(b, record(ciphertext: random(32), iv: iv))
        _ = try ws.write(c, record(ciphertext: ct, iv: iv))
        let iv2 = random(16)
        _ = try ws.write(name(in: 0, of: 3, prefix: "d", taken: &taken), record(ciphertext: random(16), iv: iv2))
        _ = try ws.write(name(in: 0, of: 3, prefix: "e", taken: &taken), record(ciphertext: random(16), iv: iv2))
        for k in 0..<30 { _ = try ws.write("corpus/other/\(k) ü.md", record(ciphertext: random(32), iv: random(16))) }
        _ = try ws.write("corpus/plain.md", "---\ntitle: p\n---\nplain\n")
        return (ws, [a, b, c])
    }

    func writeShards(_ ws: Workspace, count: Int = 3) throws -> [String] {
        try (1...count).map { i in
            let path = "shard-\(i).index"
            let r = try secured(["audit", "corpus", "--shard", "\(i)/\(count)", "--write-index", path], in: ws.dir)
            #expect(r.status <= 1, "\(r.stderrText)")
            return path
        }
    }

    @Test func crossShardReuseIsFoundByTheMergeAndByNoShard() throws {
        let (ws, crossing) = try corpus()
        var perShard: [String] = []
        for i in 1...3 {
            let r = try secured(
                ["audit", "corpus", "--shard", "\(i)/3", "--format", "json", "--write-index", "s\(i).index"],
                in: ws.dir)
            perShard += try corpusFindings(r.stdout)
            #expect(r.stderrText.contains("covered this shard only"))
        }
        // Within shard 1, D and E are found; A, B and C by no shard.
        #expect(perShard.count == 2)
        #expect(!perShard.contains { line in crossing.contains { line.hasPrefix($0 + ":") } })

        let merged = try secured(["audit-merge", "s1.index", "s2.index", "s3.index", "--format", "json"], in: ws.dir)
        #expect(merged.status == 1, "\(merged.stderrText)")
        let mergedFindings = try corpusFindings(merged.stdout)
        for path in crossing {
            #expect(mergedFindings.contains { $0.hasPrefix(path + ":3 SR014") }, "\(path): \(mergedFindings)")
        }
        #expect(mergedFindings.filter { $0.contains(" SR015 ") }.count == 2)

        // Exactly what one unsharded audit reports for SR014 and SR015.
        let whole = try secured(["audit", "corpus", "--format", "json"], in: ws.dir)
        #expect(whole.status == 1)
        let wholeFindings = try corpusFindings(whole.stdout)
        #expect(wholeFindings.count == 7)
        #expect(mergedFindings == wholeFindings)

        // Every output format; the usual exit codes.
        for format in ["text", "junit", "github", "sarif"] {
            let r = try secured(["audit-merge", "s1.index", "s2.index", "s3.index", "--format", format], in: ws.dir)
            #expect(r.status == 1, "\(format)")
            #expect((r.stdoutText + r.stderrText).contains("SR014"), "\(format)")
        }
        let ignored = try secured(
            ["audit-merge", "s1.index", "s2.index", "s3.index", "--ignore", "SR014", "--ignore", "SR015"], in: ws.dir)
        #expect(ignored.status == 0, "\(ignored.stderrText)")
    }

    @Test func theIndexIsSortedVersionedAndHoldsNothingSecret() throws {
        let (ws, _) = try corpus()
        let paths = try writeShards(ws, count: 1)
        let text = try ws.read(paths[0])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "secured-audit-index 1")
        #expect(lines[1].hasPrefix("tool secured "))
        #expect(lines[2] == "shard 1/1")
        #expect(lines[3] == "records 36")
        #expect(lines[4] == "blobs 35")
        let blobs = Array(lines[5..<40])
        let keys = blobs.map { line in
            let fields = line.split(separator: " ")
            return (String(fields[0]), String(fields[3]))
        }
        #expect(zip(keys, keys.dropFirst()).allSatisfy { $0 < $1 }, "sorted by IV, then path")
        #expect(blobs.contains { $0.hasSuffix(" corpus/other/0%20%C3%BC.md") })
        #expect(lines[40] == "end" && lines[41] == "")
        // The same corpus gives the same index.
        let again = try secured(["audit", "corpus", "--write-index", paths[0]], in: ws.dir)
        #expect(again.status == 1)
        #expect(try ws.read(paths[0]) == text)
    }

    @Test func theMergeRefusesIndexesThatDoNotMakeOneCorpus() throws {
        let (ws, _) = try corpus()
        let three = try writeShards(ws)
        func refused(_ args: [String], _ expected: String) throws {
            let r = try secured(["audit-merge"] + args, in: ws.dir)
            #expect(r.status == 2, "\(args): \(r.stderrText)")
            #expect(r.stderrText.contains(expected), "\(args): \(r.stderrText)")
        }
        try refused([three[0], three[1]], "shard 3 of 3 missing")
        try refused(three + [three[1]], "shard 2/3 is given more than once")
        try refused(three + ["nothing.index"], "nothing.index")
        // A different shard count.
        let r = try secured(["audit", "corpus", "--shard", "1/2", "--write-index", "two-1.index"], in: ws.dir)
        #expect(r.status <= 1)
        try refused([three[1], three[2], "two-1.index"], "split the corpus differently")
        // A different tool version.
        let other = try ws.read(three[2]).replacingOccurrences(of: "tool secured ", with: "tool secured 9.")
        _ = try ws.write("other.index", other)
        try refused([three[0], three[1], "other.index"], "different versions of secured")
        // A truncated or edited index names its line.
        let full = try ws.read(three[0])
        _ = try ws.write("cut.index", String(full.dropLast(5)))
        try refused(["cut.index", three[1], three[2]], "cut.index:")
        _ = try ws.write("renamed.index", full.replacingOccurrences(of: "shard 1/3", with: "shard 2/3"))
        try refused([three[0], "renamed.index", three[2]], "does not belong to shard 2/3")
        _ = try ws.write("junk.index", "hello\n")
        try refused(["junk.index"], "junk.index:1")
        _ = try ws.write("empty.index", "")
        try refused(["empty.index"], "empty.index:1: error: not a whole index: the header is missing")
    }

    /// The merge exits as audit does: 1 for a finding of severity error (SR014), 0 for
    /// warnings alone (SR015), and 2 only for indexes it cannot merge, whose message is said
    /// once; its help says so.
    @Test func findingsExitOneAndAnIndexThatCannotBeMergedExitsTwo() throws {
        let ws = try Workspace()
        let iv = random(16)
        let ct = random(32)
        _ = try ws.write("corpus/a.md", record(ciphertext: ct, iv: iv))
        _ = try ws.write("corpus/b.md", record(ciphertext: random(32), iv: iv))
        _ = try ws.write("copies/a.md", record(ciphertext: ct, iv: iv))
        _ = try ws.write("copies/b.md", record(ciphertext: ct, iv: iv))
        for (folder, index, status) in [("corpus", "reused.index", 1), ("copies", "copied.index", 0)] {
            let r = try secured(["audit", folder, "--shard", "1/1", "--write-index", index], in: ws.dir)
            #expect(r.status == status, "\(r.stderrText)")
        }
        for format in ["text", "json", "sarif"] {
            let reused = try secured(["audit-merge", "reused.index", "--format", format], in: ws.dir)
            #expect(reused.status == 1, "\(format): \(reused.stderrText)")
            #expect((reused.stdoutText + reused.stderrText).contains("SR014"), "\(format)")
        }
        let copied = try secured(["audit-merge", "copied.index"], in: ws.dir)
        #expect(copied.status == 0 && copied.stdoutText.contains("SR015"), "\(copied.stdoutText)\(copied.stderrText)")

        _ = try ws.write("junk.index", "hello\n")
        let junk = try secured(["audit-merge", "junk.index"], in: ws.dir)
        #expect(junk.status == 2, "\(junk.stderrText)")
        let said = junk.stderrText.components(separatedBy: "junk.index:1: error: ").count - 1
        #expect(said == 1, "\(junk.stderrText)")

        let help = try secured(["audit-merge", "--help"], in: ws.dir)
        let words = help.stdoutText.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("; 1 a finding of severity error (SR014, IV reuse); 2 usage error"), "\(words)")
    }
}
