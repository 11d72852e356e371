import SecuredCrypto

/// A record's parsed `signature` (SPEC section 4) and the line it is on.
public struct RecordSignature: Sendable, Equatable {
    /// The value.
    public var value: SignatureValue
    /// The line it is on.
    public var line: Int

    /// The id of the key that made it.
    public var keyID: String { value.keyID }
}
