import Foundation
import SecuredCrypto
import TestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `secured inspect`: the blob's shape, the key and the padding, without the plaintext.
@Suite("inspect: what a record holds, never its content unless asked")
struct InspectTests {
    @Test("inspect shows a record's or a blob's shape and key, its content only when asked")
    func inspectRecordAndBlob() throws {
        let ws = try Workspace()
        _ = try ws.write("a.md", plainRecord)
        #expect(try secured(["seal", "a.md", "--key", ws.keyPath], in: ws.dir).status == 0)
        let r = try secured(["inspect", "a.md", "--key", ws.keyPath], in: ws.dir)
        #expect(r.status == 0, "\(r.stderrText)")
        #expect(r.stdoutText.contains("ciphertext: 48 bytes, 3 blocks of 16"))
        #expect(r.stdoutText.contains("key id cli"))
        #expect(r.stdoutText.contains("fingerprint \(ws.key.fingerprint)"))
        #expect(r.stdoutText.contains("padding: checks out"))
        #expect(!r.stdoutText.contains("secret body"))
        let shown = try secured(["inspect", "a.md", "--key", ws.keyPath, "--show-content"], in: ws.dir)
        #expect(shown.stdoutText.contains("The secret body text"))
        let bad = try secured(["inspect", "--blob", "QUFB;AAECAwQFBgcICQoL"], in: ws.dir)
        #expect(bad.status == 1)
        #expect(bad.stdoutText.contains("SR006"))
        #expect(bad.stdoutText.contains("SR007"))
        if let seed = TestPaths.seed("000_") {
            let legacy = try secured(["inspect", seed.path], in: ws.dir)
            #expect(legacy.status == 0)
            #expect(legacy.stdoutText.contains("ciphertext: 400 bytes, 25 blocks of 16"))
        }
    }
}
