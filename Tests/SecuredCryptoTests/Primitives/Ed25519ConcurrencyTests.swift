import Dispatch
import Synchronization
import Testing

@testable import SecuredCrypto

struct Ed25519ConcurrencyTests {
    /// An audit's workers verify every record with one shared public key. Each
    /// worker must reuse a context initialized once (not run `EVP_DigestVerifyInit`, with its
    /// provider fetch and shared locks, for every record), and every answer must stay right
    /// when the workers verify at the same time.
    @Test func workersReuseOneInitializedContextEachAndAgree() throws {
        let key = try Ed25519.PrivateKey()
        let messages = (0..<32).map { Array("record \($0)\n".utf8) + Array(repeating: UInt8($0), count: 300 * $0) }
        let signatures = try messages.map { try key.signature(for: $0) }
        let publicKey = key.publicKey
        let workers = 4
        let rounds = 8
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for round in 0..<rounds {
                for (i, message) in messages.enumerated() {
                    // A valid signature, then another message's: true, then false.
                    let other = signatures[(i + 1 + worker + round) % signatures.count]
                    if !publicKey.isValidSignature(signatures[i], for: message) { wrong.add(1, ordering: .relaxed) }
                    if publicKey.isValidSignature(other, for: message) { wrong.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
        let verifications = workers * rounds * messages.count * 2
        #expect(verifications == 2048)
        #expect(publicKey.context.contextsInitialized <= workers)
    }
}
