import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@Suite("Auditor: every SR code from a real bad file")
struct AuditorTests {
    let dir: URL
    let key: SecuredKey

    init() throws {
        dir = try TestPaths.temporaryDirectory("audit")
        key = try newKey("audit")
    }

    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

    func sealed(_ body: String, sign: Bool = true, with key: SecuredKey? = nil) throws -> Record {
        try RecordSealer.seal(record("---\ntitle: t\n---\n\(body)"), with: key ?? self.key, sign: sign).record
    }

    func codes(_ report: AuditRun, _ file: String) -> [String] {
        report.findings.filter { $0.file.hasSuffix(file) }.map(\.code.rawValue)
    }

    /// SR012: a ciphertext that is not this key's, unsigned; several blocks so the
    /// 1-in-256 chance of valid padding cannot make this flaky across the three tries.
    /// Returns the record's path ("" if no try gave one).
    func writeSR012(_ rng: inout SeededRandom) throws -> String {
        for attempt in 0..<3 {
            let junk = try SealedValue(ciphertext: rng.bytes(64), iv: AESCBC.IV(bytes: rng.bytes(16)))
            let r = try record("---\nsecured: \"\(junk.serialized)\"\n---\n\n")
            if (try? RecordSealer.open(r, keys: ring(key))) == nil {
                return try write("a/sr012.md", r.bytes)
            }
            #expect(attempt < 2)
        }
        return ""
    }

    /// SR014 across folders: the IV `iv`, a different ciphertext. The key and the IV are random, so
    /// a fixed ciphertext would decrypt with valid padding 1 time in 256: pick one that does not.
    /// Returns the record's path ("" if none was found).
    func writeSR014(_ rng: inout SeededRandom, iv: AESCBC.IV) throws -> String {
        for _ in 0..<64 {
            let ciphertext = rng.bytes(16)
            if (try? AESCBC.decrypt(ciphertext, using: key.encryptionKey, iv: iv)) == nil {
                return try write(
                    "b/sr014.md", "---\nsecured: \"\(Base64.encode(ciphertext));\(Base64.encode(iv.bytes))\"\n---\n\n")
            }
        }
        return ""
    }

    @Test func everyCodeIsFound() throws {
        let good = try sealed("fine\n")
        let goodBlob = try good.blob()
        _ = try write("ok/good.md", good.bytes)
        _ = try write("a/sr001.md", "no front matter\n")
        _ = try write("a/sr002.md", "---\nrelated:\n  - x: 1\n    x: 2\n---\n")
        _ = try write("a/sr003.md", "---\ntitle: plain\n---\nbody\n")
        _ = try write("a/sr004.md", "---\nsecured: \"abc;def\" # comment\n---\n\n")
        _ = try write("a/sr005.md", "---\nsecured: \"QUFBQUFBQUFBQUFBQUFBQQ==;AAECAwQFBgcICQoLDA0ODx==\"\n---\n\n")
        _ = try write("a/sr006.md", "---\nsecured: \"QUFBQUFBQUFBQUFBQUFBQQ==;AAECAwQFBgcICQoL\"\n---\n\n")
        _ = try write("a/sr007.md", "---\nsecured: \"QUFB;AAECAwQFBgcICQoLDA0ODw==\"\n---\n\n")
        _ = try write("a/sr008.md", try sealed("unsigned\n", sign: false).bytes)
        _ = try write("a/sr009.md", "---\ntitle: t\nsignature: \"v2;audit;AAAA\"\n---\n")
        _ = try write("a/sr010.md", try sealed("other key\n", with: newKey("stranger")).bytes)
        var tampered = good.bytes
        tampered[4] = UInt8(ascii: "T")  // "title" -> "Title"
        _ = try write("a/sr011.md", tampered)
        var rng = SeededRandom(seed: 5)
        let sr012Path = try writeSR012(&rng)
        #expect(!sr012Path.isEmpty)
        let iv13 = try AESCBC.IV()
        let nonUTF8 = try AESCBC.encrypt([0xFF, 0xFE, 0x41], using: key.encryptionKey, iv: iv13)
        _ = try write(
            "a/sr013.md",
            "---\nsecured: \"\(SealedValue(ciphertext: nonUTF8, iv: iv13).serialized)\"\n---\n\n")
        let sr014Path = try writeSR014(&rng, iv: goodBlob.iv)
        #expect(!sr014Path.isEmpty)
        // SR015 across folders: the same blob copied.
        _ = try write("c/sr015.md", good.bytes)
        _ = try write("a/sr016.md", good.bytes + Array("leaked plaintext\n".utf8))
        _ = try write("a/sr017.md", Array("---\ntitle: ".utf8) + [0xC3, 0x28] + Array("\n---\n".utf8))
        _ = try write("a/.hidden/skip.md", "not checked\n")
        _ = try write("a/notes.txt", "not a record\n")

        var options = AuditOptions()
        options.requireSecured = true
        options.requireSignature = false
        let report = Auditor(keys: try ring(key), options: options).audit(paths: [dir.path])
        #expect(report.recordsChecked == 18)  // the hidden folder and notes.txt are skipped
        #expect(codes(report, "good.md") == ["SR014", "SR015"])  // shares its IV with sr014, its blob with sr015
        let expected: [(String, [String])] = [
            ("sr001.md", ["SR001"]), ("sr002.md", ["SR002"]), ("sr003.md", ["SR003"]), ("sr004.md", ["SR004"]),
            ("sr005.md", ["SR005"]), ("sr006.md", ["SR006"]), ("sr007.md", ["SR007"]),
            ("sr009.md", ["SR003", "SR009"]),
            ("sr010.md", ["SR010"]), ("sr011.md", ["SR011", "SR014", "SR015"]),  // SR014/SR015: it holds good.md's blob
            ("sr012.md", ["SR012"]), ("sr013.md", ["SR013"]),
            ("sr014.md", ["SR012", "SR014"]), ("sr015.md", ["SR014", "SR015"]), ("sr017.md", ["SR017"]),
        ]
        for (file, want) in expected {
            #expect(
                codes(report, file).sorted() == want, "\(file): \(report.findings.filter { $0.file.hasSuffix(file) })")
        }
        #expect(codes(report, "sr016.md").contains("SR016"))
        #expect(codes(report, "sr008.md").isEmpty, "unsigned passes when signatures are not required")

        options.requireSignature = true
        let strict = Auditor(keys: try ring(key), options: options).audit(paths: [dir.path])
        #expect(codes(strict, "sr008.md") == ["SR008"], "never decrypted, so no SR012/SR013 either")
        #expect(
            !codes(strict, "sr012.md").contains("SR012"), "unsigned blob not decrypted when signatures are required")
        // Findings are in a stable order whatever the thread count.
        options.jobs = 1
        let serial = Auditor(keys: try ring(key), options: options).audit(paths: [dir.path])
        #expect(serial.findings.map(\.description) == strict.findings.map(\.description))
        // Lines are reported for line-bound findings.
        #expect(strict.findings.first { $0.file.hasSuffix("sr002.md") }?.line == 3)  // first occurrence of the key
        #expect(strict.findings.first { $0.file.hasSuffix("sr017.md") }?.line == 2)
    }

    @Test func withoutKeysOnlyKeylessChecksRun() throws {
        let good = try sealed("fine\n")
        _ = try write("good.md", good.bytes)
        _ = try write("copy.md", good.bytes)
        let report = Auditor(keys: KeyRing()).audit(paths: [dir.path])
        #expect(report.findings.map(\.code.rawValue) == ["SR015", "SR015"])
        #expect(!report.hasErrors)
    }

    @Test func shardsPartitionTheCorpus() throws {
        for i in 0..<40 { _ = try write("s/\(i).md", i % 5 == 0 ? "bad\n" : "---\nt: \(i)\n---\n") }
        let whole = Auditor(keys: KeyRing()).audit(paths: [dir.path])
        var union: [String] = []
        var files = 0
        for shard in 1...3 {
            var options = AuditOptions()
            options.shard = (shard, 3)
            let part = Auditor(keys: KeyRing(), options: options).audit(paths: [dir.path])
            files += part.recordsChecked
            union += part.findings.map(\.description)
            #expect(part.corpusChecksCoverShardOnly)
        }
        #expect(files == 40)
        #expect(union.sorted() == whole.findings.map(\.description).sorted())
    }

    @Test func aShardIndexReadsBackByteForByteWhateverThePaths() throws {
        // "a %\xFF/ü\n.md": a space, a percent sign, a byte that is not UTF-8, a line break.
        let odd = FilePath.decode([0x61, 0x20, 0x25, 0xFF, 0x2F, 0xC3, 0xBC, 0x0A, 0x2E, 0x6D, 0x64])
        let entries = [odd, "b.md", "c/d e.md"].enumerated().map { k, path in
            AuditIndex.Entry(
                iv: [UInt8](repeating: UInt8(k), count: 16), ciphertextDigest: [UInt8](repeating: 7, count: 32),
                line: k + 2, path: path)
        }
        let index = AuditIndex(shardIndex: 2, shardCount: 3, recordsChecked: 5, entries: entries.reversed())
        let bytes = index.serialized()
        #expect(!bytes.contains(0xFF) && bytes.filter { $0 == 0x0A }.count == 9)
        let back = try AuditIndex(parsing: bytes, file: "x.index")
        #expect(back == index)
        #expect(back.entries.map(\.path) == [odd, "b.md", "c/d e.md"])
        #expect(FilePath.bytes(back.entries[0].path) == FilePath.bytes(odd))
        // Any change of form is refused with its line.
        let text = String(decoding: bytes, as: UTF8.self)
        for (bad, line) in [
            (text.replacingOccurrences(of: "%FF", with: "%ff"), 6),
            (text.replacingOccurrences(of: "records 5", with: "records 05"), 4),
            (text.replacingOccurrences(of: "blobs 3", with: "blobs 4"), 5),  // more than the file holds
            (text + "more\n", 10),
        ] {
            #expect(throws: RecordError.self) { try AuditIndex(parsing: Array(bad.utf8), file: "x.index") }
            do {
                _ = try AuditIndex(parsing: Array(bad.utf8), file: "x.index")
            } catch {
                #expect(error.line == line, "\(error)")
            }
        }
    }
}
