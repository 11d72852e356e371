internal import COpenSSL

/// AES-256-GCM, fetched once (an implicit fetch on every call costs a provider lookup).
private final class FetchedGCM: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; a fetched EVP_CIPHER is shareable.
    let aes256: OpaquePointer?
    init() {
        aes256 = EVP_CIPHER_fetch(nil, "AES-256-GCM", nil)
        _ = OpenSSLErrorEntry.drainQueue()
    }
    deinit { EVP_CIPHER_free(aes256) }
    static let shared = FetchedGCM()
}

extension AESGCM {
    /// `ciphertext || tag` of `plaintext` under `key`, `nonce` and `aad`.
    static func sealCore(
        _ plaintext: UnsafeRawBufferPointer, key: SymmetricKey, nonce: Nonce, aad: UnsafeRawBufferPointer
    ) throws -> [UInt8] {
        let ctx = try context(key: key, nonce: nonce, encrypting: true)
        defer { EVP_CIPHER_CTX_free(ctx) }
        return try AEAD.seal(ctx, plaintext, aad: aad)
    }

    /// Decrypts `ciphertext || tag` into `output` (exactly `sealed.count - 16` bytes); on a
    /// wrong tag, throws ``CryptoError/authenticationFailed`` and leaves `output` zeroed.
    static func openCore(
        _ sealed: UnsafeRawBufferPointer, key: SymmetricKey, nonce: Nonce, aad: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        guard sealed.count >= tagSize, output.count == sealed.count - tagSize else {
            throw CryptoError.invalidInputLength(sealed.count)
        }
        let ctx = try context(key: key, nonce: nonce, encrypting: false)
        defer { EVP_CIPHER_CTX_free(ctx) }
        try AEAD.open(ctx, sealed, aad: aad, into: output)
    }

    private static func context(key: SymmetricKey, nonce: Nonce, encrypting: Bool) throws -> OpaquePointer {
        guard key.byteCount == keySize else { throw CryptoError.invalidKeySize(key.byteCount) }
        // The default IV length of AES-GCM is 12 bytes, the only one this type takes.
        return try AEAD.context(FetchedGCM.shared.aes256, key: key, nonce: nonce.bytes, encrypting: encrypting)
    }
}
