import SecuredCrypto

/// Which signature a writer makes (SPEC section 4): Ed25519 when the key has `sign`, else
/// HMAC when it has `mac`; the caller may ask for HMAC.
public enum SigningChoice: Sendable {
    /// Ed25519 if the key has `sign`, otherwise HMAC.
    case preferred
    /// HMAC-SHA256 (verifies about ten times faster, but only for holders of the secret key).
    case hmac
}
