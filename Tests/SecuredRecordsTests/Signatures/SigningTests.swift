import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

@Suite("Signatures (SPEC section 4)")
struct SigningTests {
    @Test func signedBytesDropSignatureLineBOMAndCR() throws {
        let r = try Record(
            parsing: withBOM(toCRLF(Array("---\na: 1\nsignature: \"v1;k;x\"\n---\nb\n".utf8))), file: "s")
        #expect(RecordSigner.signedBytes(of: r) == Array("---\na: 1\n---\nb\n".utf8))
        let lone = try record("---\na: 1\n---\nb\rc\r\n")
        #expect(RecordSigner.signedBytes(of: lone) == Array("---\na: 1\n---\nb\rc\n".utf8))
    }

    @Test func signaturesSurviveLineEndingConversionBOMAndMoving() throws {
        let key = try newKey()
        let signed = try RecordSigner.sign(record("---\ntitle: t\nsecured: \"x\"\nz: 1\n---\nbody\n"), with: key)
        let crlf = try Record(parsing: toCRLF(signed.bytes), file: "crlf")
        #expect(try RecordSigner.verify(crlf, keys: ring(key)).get() == .valid(keyID: "test"))
        let bom = try Record(parsing: withBOM(signed.bytes), file: "bom")
        #expect(try RecordSigner.verify(bom, keys: ring(key)).get() == .valid(keyID: "test"))
        // Move the signature line to the end of the front matter.
        let line = signed.signatureLine!
        let content = String(decoding: signed.bytes[line.line.contentRange], as: UTF8.self)
        let moved = try signed.removingTopLevelLine(line).insertingLine(
            content, at: signed.closingLine.range.lowerBound - line.line.range.count)
        #expect(moved.topLevelLines.last?.key == "signature")
        #expect(try RecordSigner.verify(moved, keys: ring(key)).get() == .valid(keyID: "test"))
    }

    @Test func everyChangedByteIsCaught() throws {
        let key = try newKey()
        let signed = try RecordSigner.sign(record("---\ntitle: t\n---\nbody text\n"), with: key)
        let skip = signed.signatureLine!.line.range
        for i in signed.bytes.indices where !skip.contains(i) {
            var bytes = signed.bytes
            bytes[i] ^= 0x01
            guard let r = try? Record(parsing: bytes, file: "m") else { continue }
            // A changed byte may make the record unsigned (the line break before the
            // signature line) or malformed; it must never still verify.
            if case .success(.valid) = RecordSigner.verify(r, keys: try ring(key)) {
                Issue.record("byte \(i) changed but the signature still verifies")
            }
        }
    }

    @Test(
        "SR009: malformed signatures",
        arguments: [
            "signature: \"v2;test;AAAA\"",
            "signature: \"v1;test\"",
            "signature: \"v1;te st;AAAA\"",
            "signature: \"v1;test;AAAA\"",  // 3 bytes, not 32
            "signature: \"v1;test;\(String(repeating: "A", count: 43))B=\"",  // not canonical
            "signature: \"v1;test;\(Base64.encode([UInt8](repeating: 1, count: 32)))\" # c",
            "signature: v1;test;\(Base64.encode([UInt8](repeating: 1, count: 32)))\\n",
        ])
    func sr009(line: String) throws {
        let r = try record("---\ntitle: t\n\(line)\n---\n", file: "s.md")
        guard case .failure(let error) = RecordSigner.verify(r, keys: try ring(newKey())) else {
            Issue.record("accepted \(line)")
            return
        }
        #expect(error.code == .sr009SignatureMalformed, "\(error)")
        #expect(error.line == 3)
    }

    @Test func sr010OnlyWhenKeysWereSupplied() throws {
        let signed = try RecordSigner.sign(record("---\ntitle: t\n---\n"), with: newKey("k1"))
        #expect(try RecordSigner.verify(signed, keys: KeyRing()).get() == .notChecked(keyID: "k1"))
        guard case .failure(let e) = RecordSigner.verify(signed, keys: try ring(newKey("k2"))) else {
            Issue.record("unknown key accepted")
            return
        }
        #expect(e.code == .sr010UnknownKeyID)
        // A key with the id but no mac cannot verify either.
        let noMac = try SecuredKey(id: "k1", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: nil)
        guard case .failure(let e2) = RecordSigner.verify(signed, keys: try ring(noMac)) else {
            Issue.record("mac-less key verified")
            return
        }
        #expect(e2.code == .sr010UnknownKeyID)
    }

    @Test func signingNeedsAMacAndOneSignatureLine() throws {
        let noMac = try SecuredKey(id: "k", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: nil)
        #expect(throws: RecordError(.refused, file: "", reason: "")) {
            try RecordSigner.sign(record("---\nt: 1\n---\n"), with: noMac)
        }
        #expect(throws: RecordError(.sr009SignatureMalformed, file: "", reason: "")) {
            try RecordSigner.sign(record("---\nsignature: a\nsignature: b\n---\n"), with: newKey())
        }
    }

    @Test func nestedSignatureIsNotTheRecordsSignature() throws {
        let r = try Record(parsing: Fixtures.bytes("sealed-lines-elsewhere.md"), file: "n.md")
        #expect(r.signatureLine == nil)
        #expect(r.securedLine == nil)
        #expect(try RecordSigner.verify(r, keys: ring(newKey())).get() == .unsigned)
    }
}

@Suite("Known-answer signed record")
struct KnownAnswerRecordTests {
    /// A BOM + CRLF record with non-ASCII and non-BMP front matter, signed once by Python's
    /// `hmac` (the tag below), committed: checks signatures where Python and Node are absent.
    static let tag = "cDsyQE1Ma2JFTJ+uPoOwb9ch/MHulpw/syylEJ2xFTU="

    @Test func pythonSignedRecordVerifiesAndOurTagMatchesTheirs() throws {
        let dir = Fixtures.directory.appendingPathComponent("known-answer")
        let key = try SecuredKey(parsing: String(contentsOf: dir.appendingPathComponent("kat.key"), encoding: .utf8))
        let bytes = [UInt8](try Data(contentsOf: dir.appendingPathComponent("signed-crlf-bom.md")))
        let r = try Record(parsing: bytes, file: "signed-crlf-bom.md")
        #expect(r.hasBOM && r.lineTerminator == .crlf)
        #expect(try RecordSigner.verify(r, keys: ring(key)).get() == .valid(keyID: "kat"))
        // Re-signing gives back the very same bytes: our tag is Python's.
        #expect(try RecordSigner.sign(r, with: key).bytes == bytes)
        #expect(try RecordSigner.signature(of: r).get()?.value.serialized == "v1;kat;\(Self.tag)")
        // One byte changed anywhere covered is SR011.
        var changed = bytes
        changed[changed.firstIndex(of: UInt8(ascii: "C"))!] = UInt8(ascii: "K")
        let tampered = try Record(parsing: changed, file: "t.md")
        #expect(throws: RecordError(.sr011SignatureMismatch, file: "", reason: "")) {
            try RecordSigner.verify(tampered, keys: ring(key)).get()
        }
    }
}

@Suite("Writers never write what they would reject")
struct WritersRefuseContinuedLinesTests {
    /// Found by FuzzSignVerify: `secured` followed by an indented line (the YAML is broken
    /// anyway); a signature inserted after `secured` would read as continued (SR009).
    @Test func signAndSealRefuseALineThatWouldReadAsContinued() throws {
        let key = try newKey("w")
        let r = try record("---\ntitle: t\nsecured: \"QUFB;QUFB\"\n  indented\n---\n\n")
        let error = #expect(throws: RecordError.self) { try RecordSigner.sign(r, with: key) }
        #expect(error?.code == .refused)
        #expect(error?.line == 4)
        let plain = try record("---\ntitle: t\nsecured: old\n  continued\n---\nbody\n")
        #expect(throws: RecordError.self) { try RecordSealer.seal(plain, with: key, reseal: true) }
    }
}

extension WritersRefuseContinuedLinesTests {
    /// Found by FuzzSignVerify in CI: the old `signature` value is an unclosed quote that
    /// libyaml continues onto the next (unindented) line. Replacing that line would leave the
    /// continuation as a stray line: seal and sign must refuse, not write broken YAML.
    @Test func replacingALineWhoseValueContinuedIsRefused() throws {
        let key = try newKey("w")
        let text = "---\ntitle: t\nsignature: \"v1;demo;abc\nrest of it\"\nslug: s\n---\nbody\n"
        let r = try record(text)
        try FrontMatterValidator.validate(r)  // valid YAML: the quote closes on the next line
        #expect(throws: RecordError(.refused, file: "", reason: "")) { try RecordSigner.sign(r, with: key) }
        #expect(throws: RecordError(.refused, file: "", reason: "")) { try RecordSealer.seal(r, with: key) }
        #expect(throws: RecordError(.refused, file: "", reason: "")) {
            try RecordSealer.seal(r, with: key, sign: false)
        }
    }
}

@Suite("ed25519 record signatures (SPEC 1.1 section 4)")
struct Ed25519SignatureTests {
    @Test func srCodesAsTheSpecWordsThem() throws {
        let key = try newKey("ed")
        let r = try record("---\ntitle: t\nsecured: \"QUFBQUFBQUFBQUFBQUFBQQ==;AAECAwQFBgcICQoLDA0ODw==\"\n---\n\n")
        let signed = try RecordSigner.sign(r, with: key)
        #expect(try RecordSigner.signature(of: signed).get()?.value.algorithm == .ed25519)
        let publicOnly = try KeyRing([], publicKeys: [key.publicKey!])
        #expect(try RecordSigner.verify(signed, keys: publicOnly).get() == .valid(keyID: "ed"))
        #expect(try RecordSigner.verify(signed, keys: ring(key)).get() == .valid(keyID: "ed"))
        // SR009: an ed25519 signature that is not canonical base64 of 64 bytes, an unknown version.
        for bad in [
            "ed25519;ed;" + Base64.encode([UInt8](repeating: 1, count: 32)),
            "ed25519;ed;" + Base64.encode([UInt8](repeating: 1, count: 63)),
            "ed2551;ed;" + Base64.encode([UInt8](repeating: 1, count: 64)),
        ] {
            let b = try record("---\ntitle: t\nsignature: \"\(bad)\"\n---\n")
            #expect(throws: RecordError(.sr009SignatureMalformed, file: "", reason: "")) {
                try RecordSigner.verify(b, keys: publicOnly).get()
            }
        }
        // SR010: no key able to verify that id — a secret key without sign, or another public key.
        let v1Only = try SecuredKey(
            id: "ed", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: SymmetricKey(size: .bits256))
        let other = try newKey("other")
        for keys in [try ring(v1Only), try KeyRing([], publicKeys: [other.publicKey!])] {
            #expect(throws: RecordError(.sr010UnknownKeyID, file: "", reason: "")) {
                try RecordSigner.verify(signed, keys: keys).get()
            }
        }
        // SR011: another key's public key under the same id, or a changed record.
        let impostor = SecuredPublicKey(id: "ed", key: other.publicKey!.key)
        #expect(throws: RecordError(.sr011SignatureMismatch, file: "", reason: "")) {
            try RecordSigner.verify(signed, keys: KeyRing([], publicKeys: [impostor])).get()
        }
        let changed = try record(
            String(decoding: signed.bytes, as: UTF8.self).replacingOccurrences(of: "title: t", with: "title: u"))
        #expect(throws: RecordError(.sr011SignatureMismatch, file: "", reason: "")) {
            try RecordSigner.verify(changed, keys: publicOnly).get()
        }
        // HMAC when asked for, and a key with neither sign nor mac cannot sign.
        let hmac = try RecordSigner.sign(r, with: key, choice: .hmac)
        #expect(try RecordSigner.signature(of: hmac).get()?.value.algorithm == .hmacSHA256)
        let legacy = try SecuredKey(id: "l", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: nil)
        #expect(throws: RecordError(.refused, file: "", reason: "")) { try RecordSigner.sign(r, with: legacy) }
    }

    @Test func aPublicKeyNeverDecrypts() throws {
        let key = try newKey("ed")
        let sealed = try RecordSealer.seal(record("---\ntitle: t\n---\nbody\n"), with: key).record
        let publicOnly = try KeyRing([], publicKeys: [key.publicKey!])
        #expect(throws: RecordError(.refused, file: "", reason: "")) { try RecordSealer.open(sealed, keys: publicOnly) }
        let inspection = Inspection(record: sealed, keys: publicOnly)
        #expect(inspection.findings.isEmpty)
        #expect(inspection.content == nil)
        if case .notChecked = inspection.padding {
        } else {
            Issue.record("padding was checked: \(String(describing: inspection.padding))")
        }
    }
}

extension ManifestTests {
    @Test func theDetachedSignatureIsNeverListed() throws {
        let signing = try newKey("s")
        let written = try Manifest.write(root: dir.path, key: signing, walker: CorpusWalker(include: "*"))
        #expect(written.minisig != nil && written.hmacLine)
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        #expect(!text.contains("minisig") && !text.contains(Manifest.defaultName))
        let checked = Manifest.check(
            manifest: manifest, root: dir.path, keys: try KeyRing([], publicKeys: [signing.publicKey!]),
            walker: CorpusWalker(include: "*"))
        #expect(checked.findings.isEmpty, "\(checked.findings)")
        #expect(checked.notes.map(\.kind).contains(.manifestSignatureVerified))
    }
}
