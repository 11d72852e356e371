import SecuredCrypto

/// Which signature a writer makes (SPEC section 4): Ed25519 when the key has `sign`, else
/// HMAC when it has `mac`; the caller may ask for HMAC.
public enum SigningChoice: Sendable {
    /// Ed25519 if the key has `sign`, otherwise HMAC.
    case preferred
    /// HMAC-SHA256 (verifies about ten times faster, but only for holders of the secret key).
    case hmac
}

extension SigningChoice {
    /// Checks that `key` can make this choice's signature: `mac` for HMAC, `sign` or `mac`
    /// for the preferred one.
    ///
    /// - Parameter key: the writer's key.
    /// - Throws: ``ConfigurationError`` naming what the key lacks.
    public func check(_ key: SecuredKey) throws(ConfigurationError) {
        let hmac = self == .hmac
        if key.authenticationKey == nil && (key.signingKey == nil || hmac) {
            throw ConfigurationError("key \(key.id) has no \(hmac ? "'mac'" : "'sign' or 'mac'"); it cannot sign")
        }
    }
}
