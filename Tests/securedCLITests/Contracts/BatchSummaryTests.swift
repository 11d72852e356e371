import Foundation
import TestSupport
import Testing

/// seal, sign, verify and rotate end with one summary line of one shape on stderr, whatever
/// the format: "<command>: N records: <what happened, in one order>, F failed; S.SSs".
@Suite("Per-file commands: one summary line")
struct BatchSummaryTests {
    /// The summary line that starts with `title`, its time replaced by `T`.
    func summary(_ r: ProcessResult, _ title: String) -> String? {
        guard let line = r.stderrText.split(separator: "\n").last(where: { $0.hasPrefix(title + ": ") }) else {
            return nil
        }
        guard let cut = line.range(of: "; ", options: .backwards) else { return String(line) }
        let time = line[cut.upperBound...]
        let timed = time.hasSuffix("s") && Double(time.dropLast()) != nil && time.dropLast().contains(".")
        return line[..<cut.lowerBound] + (timed ? "; T" : "; ?")
    }

    func document(_ r: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: r.stdout) as? [String: Any], "\(r.stdoutText)")
    }

    func outcomes(_ json: [String: Any]) -> [String: String] {
        let files = json["files"] as? [[String: Any]] ?? []
        return Dictionary(
            uniqueKeysWithValues: files.map { ($0["file"] as? String ?? "", $0["outcome"] as? String ?? "") })
    }

    @Test func sealSignVerifyAndRotateSummariseAlikeInTextAndJSON() throws {
        let ws = try Workspace(keyID: "old")
        let new = try Workspace(keyID: "new")
        _ = try ws.write("r/a.md", "---\nt: 1\n---\nfirst\n")
        _ = try ws.write("r/b.md", "---\nt: 2\n---\nsecond\n")
        _ = try ws.write("r/blank.md", "---\nt: 3\n---\n\n")

        let dry = try secured(["seal", "r", "--key", ws.keyPath, "--dry-run"], in: ws.dir)
        #expect(
            summary(dry, "seal (dry run, nothing written)")
                == "seal (dry run, nothing written): 3 records: 2 sealed, 1 failed; T")
        #expect(dry.stderrText.contains("r/a.md: would be sealed and signed with old"), "\(dry.stderrText)")

        let seal = try secured(["seal", "r", "--key", ws.keyPath, "--format", "json"], in: ws.dir)
        #expect(seal.status == 1, "blank.md has nothing to seal")
        #expect(summary(seal, "seal") == "seal: 3 records: 2 sealed, 1 failed; T", "\(seal.stderrText)")
        let sealed = try document(seal)
        #expect(sealed["command"] as? String == "seal" && sealed["failed"] as? Int == 1)
        #expect(
            outcomes(sealed) == ["r/a.md": "sealed and signed", "r/b.md": "sealed and signed", "r/blank.md": "failed"])
        let again = try secured(["seal", "r/a.md", "r/b.md", "--key", ws.keyPath], in: ws.dir)
        #expect(summary(again, "seal") == "seal: 2 records: 2 already sealed, 0 failed; T", "\(again.stderrText)")
        #expect(again.stderrText.contains("r/a.md: already sealed\n"), "\(again.stderrText)")

        let sign = try secured(["sign", "r", "--key", ws.keyPath], in: ws.dir)
        #expect(sign.status == 0, "\(sign.stderrText)")
        #expect(
            summary(sign, "sign") == "sign: 3 records: 1 signed, 2 already signed, 0 failed; T", "\(sign.stderrText)")
        #expect(
            sign.stderrText.contains("r/blank.md: signed with old\n")
                && sign.stderrText.contains("r/a.md: already signed with old\n"))
        let signJSON = try secured(["sign", "r/a.md", "--key", ws.keyPath, "--format", "json"], in: ws.dir)
        #expect(summary(signJSON, "sign") == "sign: 1 record: 1 already signed, 0 failed; T")
        #expect(outcomes(try document(signJSON)) == ["r/a.md": "already signed"])

        for format in ["text", "json"] {
            let verify = try secured(["verify", "r", "--key", ws.keyPath, "--format", format], in: ws.dir)
            #expect(verify.status == 0, "\(verify.stderrText)")
            #expect(
                summary(verify, "verify") == "verify: 3 records: 3 valid, 0 failed; T",
                "\(format): \(verify.stderrText)")
        }

        let rotate = try secured(
            ["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath, "--format", "json"], in: ws.dir)
        #expect(rotate.status == 0, "\(rotate.stderrText)")
        #expect(
            summary(rotate, "rotate old -> new")
                == "rotate old -> new: 3 records: 2 re-sealed and re-signed, 1 re-signed (not sealed), 0 failed; T",
            "\(rotate.stderrText)")
        #expect(
            outcomes(try document(rotate)) == ["r/a.md": "rotated", "r/b.md": "rotated", "r/blank.md": "re-signed"])
        let rerun = try secured(["rotate", "r", "--from", ws.keyPath, "--to", new.keyPath], in: ws.dir)
        #expect(summary(rerun, "rotate old -> new") == "rotate old -> new: 3 records: 3 skipped, 0 failed; T")

        // A failure is counted and named in every command's summary the same way.
        let wrong = try secured(["verify", "r", "--key", ws.keyPath, "--format", "json"], in: ws.dir)
        #expect(wrong.status == 1)
        #expect(summary(wrong, "verify") == "verify: 3 records: 3 failed; T", "\(wrong.stderrText)")
        #expect(try document(wrong)["failed"] as? Int == 3)
    }
}
