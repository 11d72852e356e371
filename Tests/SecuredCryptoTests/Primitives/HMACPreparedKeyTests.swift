import Dispatch
import Synchronization
import Testing

@testable import SecuredCrypto

struct HMACPreparedKeyTests {
    /// An audit's workers compute every record's tag with one prepared key at the
    /// same time. Each gets a context of its own, reset per message; every tag must equal the
    /// one-shot tag, whichever worker computed it and whatever it computed before.
    @Test func workersAtOnceGetTheOneShotTags() {
        let key = SymmetricKey(bytes: (0..<32).map { UInt8($0 &* 7 &+ 1) })
        let prepared = HMACSHA256.PreparedKey(key)
        let messages = (0..<48).map { Array("record \($0)\n".utf8) + Array(repeating: UInt8($0), count: 97 * $0) }
        let expected = messages.map { HMACSHA256.authenticationCode(for: $0, using: key) }
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 4) { worker in
            for round in 0..<16 {
                for i in messages.indices {
                    let k = (i + worker * 5 + round) % messages.count
                    let tag = prepared.authenticationCode { feed in messages[k].withUnsafeBytes { feed($0) } }
                    if tag != expected[k] { wrong.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
    }

    /// A tag is the same whether the key is prepared or not, and a different key differs.
    @Test func sameTagAsTheOneShotAndKeyed() {
        let key = SymmetricKey(bytes: [UInt8](repeating: 0x42, count: 32))
        let message = Array("secured-record-v1\n---\ntitle: x\n---\n".utf8)
        let tag = HMACSHA256.PreparedKey(key).authenticationCode { feed in message.withUnsafeBytes { feed($0) } }
        #expect(tag == HMACSHA256.authenticationCode(for: message, using: key))
        let other = HMACSHA256.PreparedKey(SymmetricKey(bytes: [UInt8](repeating: 0x43, count: 32)))
        #expect(other.authenticationCode { feed in message.withUnsafeBytes { feed($0) } } != tag)
    }
}
