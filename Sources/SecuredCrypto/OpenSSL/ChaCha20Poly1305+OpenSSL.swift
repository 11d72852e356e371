internal import COpenSSL

/// ChaCha20-Poly1305 (RFC 8439) through `EVP_chacha20_poly1305`: a 32-byte key, a 12-byte
/// nonce, no associated data, the 16-byte tag after the ciphertext.
enum ChaCha20Poly1305 {
    static let keySize = 32
    static let nonceSize = 12
    static let tagSize = 16

    /// `ciphertext || tag`.
    static func seal(_ plaintext: UnsafeRawBufferPointer, key: SymmetricKey, nonce: [UInt8]) throws -> [UInt8] {
        let ctx = try context(key: key, nonce: nonce, encrypting: true)
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + tagSize)
        let ok = out.withUnsafeMutableBytes { o -> Bool in
            let outPtr = o.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var written: Int32 = 0
            if plaintext.count > 0 {
                guard
                    EVP_EncryptUpdate(
                        ctx, outPtr, &written, plaintext.baseAddress!.assumingMemoryBound(to: UInt8.self),
                        Int32(plaintext.count)) == 1, Int(written) == plaintext.count
                else { return false }
            }
            var final: Int32 = 0
            guard EVP_EncryptFinal_ex(ctx, outPtr + plaintext.count, &final) == 1, final == 0 else { return false }
            return EVP_CIPHER_CTX_ctrl(
                ctx, EVP_CTRL_AEAD_GET_TAG, Int32(tagSize), UnsafeMutableRawPointer(outPtr + plaintext.count)) == 1
        }
        guard ok else { throw CryptoError.fromQueue() }
        return out
    }

    /// Decrypts `ciphertext || tag` into `output` (exactly `sealed.count - 16` bytes); on a
    /// wrong tag, throws ``CryptoError/authenticationFailed`` and leaves `output` zeroed.
    static func open(
        _ sealed: UnsafeRawBufferPointer, key: SymmetricKey, nonce: [UInt8], into output: UnsafeMutableRawBufferPointer
    )
        throws
    {
        guard sealed.count >= tagSize, output.count == sealed.count - tagSize else {
            throw CryptoError.invalidInputLength(sealed.count)
        }
        let ctx = try context(key: key, nonce: nonce, encrypting: false)
        defer { EVP_CIPHER_CTX_free(ctx) }
        let body = sealed.count - tagSize
        let inPtr = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var written: Int32 = 0
        var ok = true
        if body > 0 {
            ok =
                EVP_DecryptUpdate(
                    ctx, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, inPtr, Int32(body)) == 1
                && Int(written) == body
        }
        var tag = Array(UnsafeRawBufferPointer(rebasing: sealed[body...]))
        ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize), &tag) == 1
        var final: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        ok = ok && EVP_DecryptFinal_ex(ctx, &scratch, &final) == 1
        if !ok {
            secureZero(output)
            _ = OpenSSLErrorEntry.drainQueue()
            throw CryptoError.authenticationFailed
        }
    }

    private static func context(key: SymmetricKey, nonce: [UInt8], encrypting: Bool) throws -> OpaquePointer {
        guard key.byteCount == keySize else { throw CryptoError.invalidKeySize(key.byteCount) }
        guard nonce.count == nonceSize else { throw CryptoError.invalidIVSize(nonce.count) }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.fromQueue() }
        let ok = key.withUnsafeBytes { k in
            EVP_CipherInit_ex2(
                ctx, EVP_chacha20_poly1305(), k.baseAddress!.assumingMemoryBound(to: UInt8.self), nonce,
                encrypting ? 1 : 0, nil)
        }
        guard ok == 1 else {
            EVP_CIPHER_CTX_free(ctx)
            throw CryptoError.fromQueue()
        }
        return ctx
    }
}
