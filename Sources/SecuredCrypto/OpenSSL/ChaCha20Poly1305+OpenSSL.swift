internal import COpenSSL

/// ChaCha20-Poly1305 (RFC 8439) through `EVP_chacha20_poly1305`: a 32-byte key, a 12-byte
/// nonce, no associated data, the 16-byte tag after the ciphertext.
enum ChaCha20Poly1305 {
    static let keySize = 32
    static let nonceSize = 12
    static let tagSize = AEAD.tagSize

    /// `ciphertext || tag`.
    static func seal(_ plaintext: UnsafeRawBufferPointer, key: SymmetricKey, nonce: [UInt8]) throws -> [UInt8] {
        let ctx = try context(key: key, nonce: nonce, encrypting: true)
        defer { EVP_CIPHER_CTX_free(ctx) }
        return try AEAD.seal(ctx, plaintext, aad: UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Decrypts `ciphertext || tag` into `output` (exactly `sealed.count - 16` bytes); on a
    /// wrong tag, throws ``CryptoError/authenticationFailed`` and leaves `output` zeroed.
    static func open(
        _ sealed: UnsafeRawBufferPointer, key: SymmetricKey, nonce: [UInt8], into output: UnsafeMutableRawBufferPointer
    ) throws {
        guard sealed.count >= tagSize, output.count == sealed.count - tagSize else {
            throw CryptoError.invalidInputLength(sealed.count)
        }
        let ctx = try context(key: key, nonce: nonce, encrypting: false)
        defer { EVP_CIPHER_CTX_free(ctx) }
        try AEAD.open(ctx, sealed, aad: UnsafeRawBufferPointer(start: nil, count: 0), into: output)
    }

    private static func context(key: SymmetricKey, nonce: [UInt8], encrypting: Bool) throws -> OpaquePointer {
        guard key.byteCount == keySize else { throw CryptoError.invalidKeySize(key.byteCount) }
        guard nonce.count == nonceSize else { throw CryptoError.invalidIVSize(nonce.count) }
        return try AEAD.context(EVP_chacha20_poly1305(), key: key, nonce: nonce, encrypting: encrypting)
    }
}
