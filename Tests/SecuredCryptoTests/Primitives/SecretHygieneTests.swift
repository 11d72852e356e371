import Synchronization
import Testing

@testable import SecuredCrypto

/// Key storage is wiped when released (as far as Swift lets us look).
@Suite("Secret hygiene", .serialized)
struct SecretHygieneTests {
    /// What the release observer saw for the storage at `address`.
    static let seen = Mutex<(address: UInt, bytes: [UInt8]?)>((0, nil))

    func observeRelease(of address: UInt) {
        Self.seen.withLock { $0 = (address, nil) }
        SecureBytes.releaseObserver.withLock {
            $0 = { buffer in
                let here = UInt(bitPattern: buffer.baseAddress)
                SecretHygieneTests.seen.withLock { if $0.address == here { $0.bytes = Array(buffer) } }
            }
        }
    }

    @Test func keyStorageIsWipedOnRelease() throws {
        var address: UInt = 0
        do {
            let key = SymmetricKey(bytes: [UInt8](repeating: 0xA5, count: 32))
            address = key.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
            observeRelease(of: address)
            #expect(key.withUnsafeBytes { Array($0) } == [UInt8](repeating: 0xA5, count: 32))
        }
        // The key is gone: its whole storage was zero when freed.
        let seen = Self.seen.withLock { $0.bytes }
        SecureBytes.releaseObserver.withLock { $0 = nil }
        let bytes = try #require(seen, "the key's storage was not released")
        #expect(bytes.count >= 32)
        #expect(bytes.allSatisfy { $0 == 0 })
    }

    @Test func parsedKeyFileKeysAreWipedToo() throws {
        let key = try SecuredKey.generate(id: "wipe")
        var address: UInt = 0
        do {
            let parsed = try SecuredKey(parsing: key.keyFileText())
            address = parsed.encryptionKey.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
            observeRelease(of: address)
            #expect(parsed.encryptionKey.hasSameBytes(as: key.encryptionKey))
        }
        let seen = Self.seen.withLock { $0.bytes }
        SecureBytes.releaseObserver.withLock { $0 = nil }
        #expect(try #require(seen).allSatisfy { $0 == 0 })
    }
}
