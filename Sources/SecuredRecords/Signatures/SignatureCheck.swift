import SecuredCrypto

/// The outcome of checking a record's signature.
public enum SignatureCheck: Sendable, Equatable {
    /// The record has no `signature` line.
    case unsigned
    /// The tag or signature matches the named key.
    case valid(keyID: String)
    /// The record is signed, but no key at all was supplied, so nothing was checked.
    case notChecked(keyID: String)
}
