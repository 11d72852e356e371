import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--hmac`: sign with HMAC even when the key has `sign`.
struct SigningOptions: ParsableArguments {
    @Flag(
        help:
            "Sign with HMAC-SHA256 (v1) even when the key has 'sign' (Ed25519 signatures verify with the public key alone; HMAC only with the secret key, about ten times faster)."
    )
    var hmac = false

    var choice: SigningChoice { hmac ? .hmac : .preferred }
}
