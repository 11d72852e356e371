import SecuredCrypto
import SecuredRecords
import Testing

/// One place decides what a key can do; each refusal is a configuration error with the code
/// `capability`, naming the key.
@Suite("Key capabilities")
struct KeyCapabilityTests {
    /// A key with `enc` only: a read-only key.
    func readOnly() throws -> SecuredKey { try newKey("ro").readOnly }

    /// A key with `enc` and `sign`, but no `mac`.
    func signOnly() throws -> SecuredKey {
        try SecuredKey(
            id: "signer", encryptionKey: SymmetricKey(size: .bits256), authenticationKey: nil,
            signingSeed: SymmetricKey(size: .bits256))
    }

    /// The refusal of `capability` by `key`, or `nil` when the key can do it.
    func refusal(_ key: SecuredKey, _ capability: KeyCapability) -> ConfigurationError? {
        do {
            try key.require(capability)
            return nil
        } catch {
            return error
        }
    }

    @Test func aFullKeyCanDoEverything() throws {
        let key = try newKey("full")
        for capability: KeyCapability in [
            .sign(.preferred), .sign(.hmac), .seal(signed: true), .reseal(.valid(keyID: "full")), .rotateTo,
        ] {
            #expect(refusal(key, capability) == nil, "\(capability)")
        }
    }

    @Test func aReadOnlyKeyCannotSign() throws {
        let error = try #require(refusal(try readOnly(), .sign(.preferred)))
        #expect(error.code == .capability)
        #expect(error.message.contains("key ro has no 'sign' or 'mac'"))
    }

    @Test func aKeyWithoutMacCannotMakeAnHMACSignature() throws {
        #expect(refusal(try signOnly(), .sign(.preferred)) == nil)
        #expect(refusal(try signOnly(), .sign(.hmac))?.code == .capability)
    }

    @Test func aReadOnlyKeySealsOnlyWhenAnUnsignedRecordIsAskedFor() throws {
        let error = try #require(refusal(try readOnly(), .seal(signed: true)))
        #expect(error.code == .capability)
        #expect(error.remedy == .sealUnsigned, "the command line offers its way to seal unsigned on purpose")
        #expect(refusal(try readOnly(), .seal(signed: false)) == nil)
    }

    @Test func aSignedRecordIsReSealedOnlyWithAKeyThatSigns() throws {
        #expect(refusal(try readOnly(), .reseal(.valid(keyID: "ro")))?.code == .capability)
        #expect(refusal(try readOnly(), .reseal(.unsigned)) == nil, "an unsigned record stays unsigned")
    }

    @Test func aRotationTargetNeedsAnAES256KeyThatSigns() throws {
        #expect(refusal(try readOnly(), .rotateTo)?.code == .capability)
        let short = try SecuredKey(
            id: "short", encryptionKey: SymmetricKey(size: .bits128), authenticationKey: SymmetricKey(size: .bits256))
        let error = try #require(refusal(short, .rotateTo))
        #expect(error.code == .capability && error.message.contains("not 32 bytes"))
    }
}
