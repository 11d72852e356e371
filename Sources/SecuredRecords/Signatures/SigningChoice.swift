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

extension SigningChoice {
    /// Checks that sealing with `key` will sign the record, unless the caller asked for an
    /// unsigned record: a key without `sign` or `mac` (a read-only key, one unwrapped from a
    /// passphrase file, a legacy key) seals records that anyone holding it could have made,
    /// and drops a signature the record had (SPEC section 5, step 6).
    ///
    /// - Parameters:
    ///   - key: the sealing key.
    ///   - sign: whether the caller wants the record signed (`seal` without `--no-sign`).
    /// - Throws: ``ConfigurationError`` naming the key and the flag that seals unsigned on purpose.
    public static func checkSealing(with key: SecuredKey, sign: Bool) throws(ConfigurationError) {
        guard sign, key.authenticationKey == nil, key.signingKey == nil else { return }
        throw ConfigurationError(
            "key \(key.id) has no 'sign' or 'mac' (a read-only key): a record sealed with it would be unsigned, which anyone holding the key could forge; seal with the key that signs, or pass --no-sign to seal unsigned on purpose"
        )
    }
}
