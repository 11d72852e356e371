import Foundation
import SecuredCrypto
import SecuredRecords
import TestSupport
import Testing

/// Passphrase key files are unwrapped only when a record names their id, each at most once
/// (a folder of six files at 10,000,000 iterations once made `verify`
/// spend 14.4 s deriving keys it never used).
@Suite("Passphrase keys: unwrapped lazily, once")
struct LazyPassphraseKeyTests {
    static let phrase = Passphrase("ample orbit velvet cactus harbor")

    /// A folder of passphrase key files (ids `p0`, `p1`, …) at the weakest count readers take.
    func folder(_ count: Int) throws -> URL {
        let dir = try TestPaths.temporaryDirectory("lazy-pw")
        for k in 0..<count {
            let key = try SecuredKey.generate(id: "p\(k)")
            let file = try PassphraseKeyFile.wrap(key, label: "members", passphrase: Self.phrase, iterations: 100_000)
            try Data(file.fileText.utf8).write(to: dir.appendingPathComponent("p\(k).members.key.pw"))
        }
        return dir
    }

    @Test func loadingDerivesNothingAndEachFileIsUnwrappedOnceWhenNamed() throws {
        let dir = try folder(3)
        let (ring, _) = try KeyRing.load(paths: [dir.path], passphrase: Self.phrase, environment: [:])
        #expect(ring.secretKeyCount == 3)
        #expect(ring.unwrappedPassphraseKeyCount == 0, "loading unwrapped a passphrase key")
        #expect(!ring.isEmpty && !ring.isPublicOnly && ring.publicKey(id: "p1") == nil)
        #expect(ring.unwrappedPassphraseKeyCount == 0)
        #expect(ring.key(id: "nobody") == nil)
        #expect(ring.unwrappedPassphraseKeyCount == 0)
        #expect(ring.key(id: "p1")?.id == "p1")
        #expect(ring.unwrappedPassphraseKeyCount == 1)
        #expect(ring.key(id: "p1")?.id == "p1")
        #expect(ring.unwrappedPassphraseKeyCount == 1, "unwrapped twice")
        // Every key (an unsigned blob is tried with each): the others, once.
        #expect(ring.keys.map(\.id) == ["p0", "p1", "p2"])
        #expect(ring.unwrappedPassphraseKeyCount == 3)
    }

    @Test func workersSharingTheRingDeriveEachKeyOnce() async throws {
        let dir = try folder(2)
        let (ring, _) = try KeyRing.load(paths: [dir.path], passphrase: Self.phrase, environment: [:])
        let ids = await withTaskGroup(of: String?.self) { group in
            for k in 0..<8 { group.addTask { ring.key(id: "p\(k % 2)")?.id } }
            var out: [String?] = []
            for await id in group { out.append(id) }
            return out
        }
        #expect(ids.compactMap { $0 }.count == 8)
        #expect(ring.unwrappedPassphraseKeyCount == 2)
    }

    @Test func aWrongPassphraseFailsWhenTheKeyIsNeededAndIsKept() throws {
        let dir = try folder(2)
        let (ring, _) = try KeyRing.load(
            paths: [dir.path], passphrase: Passphrase("not the right passphrase"), environment: [:])
        #expect(ring.unwrappedPassphraseKeyCount == 0)
        #expect(ring.key(id: "p0") == nil)
        #expect(ring.passphraseKeyFailures.map(\.reason) == ["wrong passphrase or damaged file"])
        #expect(throws: KeyFileError.self) { try ring.unwrapAll() }
        // Where the key is needed up front (open, seal), loading says so.
        #expect(throws: KeyFileError.self) {
            try KeySources(
                paths: [dir.appendingPathComponent("p1.members.key.pw").path], passphrase: Passphrase("nope nope nope")
            )
            .loadSingle(purpose: "seal")
        }
    }

    @Test func anHMACSignatureNamingAPassphraseKeyUnwrapsNothing() throws {
        let dir = try folder(1)
        let (ring, _) = try KeyRing.load(paths: [dir.path], passphrase: Self.phrase, environment: [:])
        // A read-only key has no mac: a v1 signature naming its id is SR010 without deriving.
        let record = try Record(
            parsing: Array(
                "---\ntitle: a\nsignature: \"v1;p0;\(Base64.encode([UInt8](repeating: 7, count: 32)))\"\n---\nbody\n"
                    .utf8),
            file: "a.md")
        let check = RecordSigner.verify(record, keys: ring)
        guard case .failure(let error) = check else {
            Issue.record("\(check)")
            return
        }
        #expect(error.code == .sr010UnknownKeyID)
        #expect(ring.unwrappedPassphraseKeyCount == 0)
    }
}
