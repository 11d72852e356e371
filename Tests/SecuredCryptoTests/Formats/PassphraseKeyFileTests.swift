import SecuredCrypto
import TestSupport
import Testing

/// Passphrase key files (SPEC 1.2 section 3). The tests use the readers' lowest count,
/// 100,000, to stay fast; writers use 600,000.
@Suite("Passphrase key files")
struct PassphraseKeyFileTests {
    static let fast = PassphraseKeyFile.iterationRange.lowerBound
    let key: SecuredKey
    let passphrase = Passphrase("correct horse battery staple")

    init() throws {
        key = try SecuredKey.generate(id: "site.2026")
    }

    func wrapped(label: String = "members") throws -> String {
        try PassphraseKeyFile.wrap(key, label: label, passphrase: passphrase, iterations: Self.fast).fileText
    }

    func unwrap(_ text: String, _ p: Passphrase? = nil) throws(KeyFileError) -> SecuredKey {
        try PassphraseKeyFile(parsing: text, source: "site.members.key.pw").unwrap(with: p ?? passphrase)
    }

    @Test func roundTripGivesTheReadOnlyPartOnly() throws {
        let text = try wrapped()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 4 && lines[3].isEmpty)
        #expect(lines[0] == "untrusted comment: secured passphrase key site.2026 members")
        #expect(lines[1].hasPrefix("pbkdf2-sha256;100000;"))
        let opened = try unwrap(text)
        #expect(opened.id == "site.2026")
        #expect(opened.isReadOnly)
        #expect(opened.encryptionKey.hasSameBytes(as: key.encryptionKey))
        #expect(opened.fingerprint == key.readOnly.fingerprint)
        // CRLF line ends and no final terminator read the same.
        let crlf = text.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(try unwrap(crlf).encryptionKey.hasSameBytes(as: key.encryptionKey))
        #expect(try unwrap(String(text.dropLast())).encryptionKey.hasSameBytes(as: key.encryptionKey))
    }

    @Test func writersUse600000IterationsAndFreshSaltAndNonce() throws {
        let a = try PassphraseKeyFile.wrap(key, label: "members", passphrase: passphrase)
        #expect(a.iterations == 600_000)
        let b = try wrapped()
        let c = try wrapped()
        let (lb, lc) = (b.split(separator: "\n"), c.split(separator: "\n"))
        #expect(lb[1] != lc[1])
        #expect(lb[2].prefix(16) != lc[2].prefix(16))  // the nonce's first 12 bytes
    }

    @Test func wrongPassphraseAndChangedBytesAreOneError() throws {
        let text = try wrapped()
        do {
            _ = try unwrap(text, Passphrase("correct horse battery stapler"))
            Issue.record("a wrong passphrase unwrapped")
        } catch {
            #expect(error.reason == "wrong passphrase or damaged file")
            #expect(error.description == "site.members.key.pw: wrong passphrase or damaged file")
        }
        // Every byte of every line, changed to another byte of the same class, is refused:
        // either the file no longer parses, or the tag fails with the one message.
        let scalars = Array(text.unicodeScalars)
        var unwrapFailures = 0
        for k in stride(from: 0, to: scalars.count - 1, by: 5) where scalars[k] != "\n" {
            var changed = scalars
            changed[k] = Self.other(changed[k])
            let changedText = String(String.UnicodeScalarView(changed))
            do {
                let file = try PassphraseKeyFile(parsing: changedText)
                do {
                    _ = try file.unwrap(with: passphrase)
                    Issue.record("changed character \(k) was accepted")
                } catch {
                    #expect(error.reason == PassphraseKeyFile.unwrapFailure, "character \(k)")
                    unwrapFailures += 1
                }
            } catch {
                #expect(error.line != nil, "character \(k): \(error)")  // a parse error names its line
            }
        }
        #expect(unwrapFailures > 10)
    }

    /// Another character of the same kind (so a base64 text mostly stays base64).
    static func other(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c {
        case "a"..."y", "A"..."Y", "0"..."8": return Unicode.Scalar(c.value + 1)!
        case "z": return "a"
        case "Z": return "A"
        case "9": return "0"
        default: return "x"
        }
    }

    @Test(arguments: [
        ("1000", "1000"), ("99999", "99999"), ("10000001", "10000001"), ("2000000000", "2000000000"),
        ("99999999999999999999999", "99999999999999999999999"),
    ])
    func countsOutOfRangeAreRefusedBeforeDeriving(count: String, shown: String) throws {
        let lines = try wrapped().split(separator: "\n").map(String.init)
        let kdf = lines[1].split(separator: ";")
        let text = [lines[0], "pbkdf2-sha256;\(count);\(kdf[2])", lines[2]].joined(separator: "\n") + "\n"
        do {
            _ = try PassphraseKeyFile(parsing: text, source: "f.key.pw")
            Issue.record("count \(count) was accepted")
        } catch {
            #expect(error.line == 2)
            #expect(error.reason.contains("iteration count \(shown) is out of range"), "\(error.reason)")
        }
    }

    @Test(
        arguments: [
            ("untrusted comment: secured passphrase key a\npbkdf2-sha256;100000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n", 1),
            (
                "untrusted comment: secured passphrase key a b!\npbkdf2-sha256;100000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n",
                1
            ),
            ("untrusted comment: secured passphrase key a b\nscrypt;100000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n", 2),
            (
                "untrusted comment: secured passphrase key a b\npbkdf2-sha256;0100000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n",
                2
            ),
            ("untrusted comment: secured passphrase key a b\npbkdf2-sha256;100000;AAAAAAAAAAAAAAAAAAAA\nAAAA\n", 2),
            ("untrusted comment: secured passphrase key a b\npbkdf2-sha256;100000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n", 3),
            ("untrusted comment: secured passphrase key a b\npbkdf2-sha256;100000;AAAAAAAAAAAAAAAAAAAAAA==\n", nil),
            (
                "untrusted comment: secured passphrase key a b\npbkdf2-sha256;100000;AAAAAAAAAAAAAAAAAAAAAA==\nAAAA\n\n",
                4
            ),
        ] as [(String, Int?)])
    func malformedFilesNameTheLine(text: String, line: Int?) {
        #expect(PassphraseKeyFile.looksLikePassphraseKeyFile(text))
        do {
            _ = try PassphraseKeyFile(parsing: text, source: "f.key.pw")
            Issue.record("accepted")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.description.hasPrefix("f.key.pw"))
        }
    }

    @Test func writersRefuseShortPassphrasesAndBadLabels() throws {
        // Eleven scalars of two bytes each: it is the scalars that count.
        let short = Passphrase("ééééééééééé")
        #expect(short.scalarCount == 11 && short.byteCount == 22)
        #expect(throws: KeyFileError.self) {
            try PassphraseKeyFile.wrap(key, label: "members", passphrase: short, iterations: Self.fast)
        }
        let twelve = Passphrase("éééééééééééé")
        let text = try PassphraseKeyFile.wrap(key, label: "m", passphrase: twelve, iterations: Self.fast).fileText
        #expect(try PassphraseKeyFile(parsing: text).unwrap(with: twelve).id == key.id)
        #expect(throws: KeyFileError.self) {
            try PassphraseKeyFile.wrap(key, label: "bad label", passphrase: passphrase, iterations: Self.fast)
        }
        #expect(throws: KeyFileError.self) {
            try PassphraseKeyFile.wrap(key, label: "m", passphrase: passphrase, iterations: 1000)
        }
        #expect(Passphrase(utf8: [0xC3]) == nil)
        #expect(Passphrase(utf8: Array("ü".utf8))?.scalarCount == 1)
    }

    /// A file made here from the spec's words with the primitives (not through `wrap`): the
    /// inside must be the read-only key file of the comment's id, nothing else.
    @Test func theInsideMustBeTheCommentsReadOnlyKey() throws {
        let enc = Base64.encode(key.encryptionKey.withUnsafeBytes { Array($0) })
        let mac = Base64.encode(key.authenticationKey!.withUnsafeBytes { Array($0) })
        func file(id: String, inside: String) throws -> String {
            let salt = [UInt8](repeating: 7, count: 16)
            let line1 = "untrusted comment: secured passphrase key \(id) g"
            let line2 = "pbkdf2-sha256;100000;" + Base64.encode(salt)
            let kek = try PBKDF2SHA256.deriveKey(from: passphrase, salt: salt, iterations: 100_000)
            let nonce = try AESGCM.Nonce()
            let sealed = try AESGCM.seal(
                Array(inside.utf8), using: kek, nonce: nonce,
                authenticating: Array("secured-passphrase-key-v1\n\(line1)\n\(line2)".utf8))
            return line1 + "\n" + line2 + "\n" + Base64.encode(nonce.bytes + sealed) + "\n"
        }
        #expect(try unwrap(file(id: "site.2026", inside: "id: site.2026\nenc: \(enc)\n")).isReadOnly)
        for (id, inside) in [
            ("other", "id: site.2026\nenc: \(enc)\n"),
            ("site.2026", "id: site.2026\nenc: \(enc)\nmac: \(mac)\n"),
            ("site.2026", "id: site.2026\nenc: \(enc)"),
            ("site.2026", "enc: \(enc)\nid: site.2026\n"),
        ] {
            #expect(throws: KeyFileError.self, "\(inside)") { try unwrap(file(id: id, inside: inside)) }
        }
    }
}
