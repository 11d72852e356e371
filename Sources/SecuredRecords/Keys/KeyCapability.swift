import SecuredCrypto

/// Something a writer needs its key to be able to do: the one place that decides whether a
/// key can sign, seal signed, keep a record's signature on re-sealing, or be rotated to.
///
/// ```swift
/// try key.require(.sign(.preferred))   // throws ConfigurationError(.capability) if it cannot
/// ```
public enum KeyCapability: Sendable, Equatable {
    /// Sign records with this choice of signature: `mac` for HMAC, `sign` or `mac` for the
    /// preferred one.
    case sign(SigningChoice)
    /// Seal records, signed when `signed`: a key without `sign` or `mac` (a read-only key, one
    /// unwrapped from a passphrase file, a legacy key) seals records that anyone holding it
    /// could have made, and drops a signature the record had (SPEC section 5, step 6).
    case seal(signed: Bool)
    /// Re-seal a record whose signature check was `signature` (an edit): a signed record
    /// stays signed, so its key needs `sign` or `mac`.
    case reseal(SignatureCheck)
    /// Be the new key of a rotation: a 32-byte `enc` (writers use AES-256) and `sign` or
    /// `mac`, so that rotated records are signed.
    case rotateTo
}

extension SecuredKey {
    /// Checks that this key can do `capability`.
    ///
    /// - Parameter capability: what the key must be able to do.
    /// - Throws: ``ConfigurationError`` with code ``ConfigurationError/Code/capability``,
    ///   naming the key and what it lacks.
    public func require(_ capability: KeyCapability) throws(ConfigurationError) {
        let signs = authenticationKey != nil || signingKey != nil
        switch capability {
        case .sign(.hmac) where authenticationKey == nil:
            throw ConfigurationError(.capability, "key \(id) has no 'mac'; it cannot make an HMAC signature")
        case .sign(.preferred) where !signs:
            throw ConfigurationError(.capability, "key \(id) has no 'sign' or 'mac'; it cannot sign")
        case .seal(signed: true) where !signs:
            throw ConfigurationError(
                .capability,
                "key \(id) has no 'sign' or 'mac' (a read-only key): a record sealed with it would be unsigned, which anyone holding the key could forge; seal with the key that signs",
                remedy: .sealUnsigned)
        case .reseal(let check) where check != .unsigned && !signs:
            throw ConfigurationError(
                .capability,
                "key \(id) has no 'sign' or 'mac' (a read-only key): the record is signed, and re-sealed with this key it would be unsigned, which anyone holding the key could forge; use the key that signs"
            )
        case .rotateTo where encryptionKey.byteCount != 32:
            throw ConfigurationError(
                .capability, "key \(id)'s 'enc' is not 32 bytes (writers use AES-256); records cannot be rotated to it")
        case .rotateTo where !signs:
            throw ConfigurationError(
                .capability, "key \(id) has neither 'sign' nor 'mac', so records rotated to it could not be signed")
        default: return
        }
    }
}
