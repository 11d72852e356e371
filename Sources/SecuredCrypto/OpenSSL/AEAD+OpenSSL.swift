internal import COpenSSL

/// The one AEAD code path over `EVP_CIPHER_CTX` (AES-256-GCM, ChaCha20-Poly1305): a 12-byte
/// nonce, optional associated data, the 16-byte tag after the ciphertext. Nothing decrypted is
/// kept unless the tag passes.
enum AEAD {
    static let tagSize = 16

    /// A context for `cipher` keyed with `key` and `nonce`; freed by the caller.
    static func context(
        _ cipher: OpaquePointer?, key: SymmetricKey, nonce: UnsafePointer<UInt8>, encrypting: Bool
    ) throws -> OpaquePointer {
        guard let cipher, let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.fromQueue() }
        let ok = key.withUnsafeBytes { k in
            EVP_CipherInit_ex2(
                ctx, cipher, k.baseAddress!.assumingMemoryBound(to: UInt8.self), nonce, encrypting ? 1 : 0, nil)
        }
        guard ok == 1 else {
            EVP_CIPHER_CTX_free(ctx)
            throw CryptoError.fromQueue()
        }
        return ctx
    }

    /// `ciphertext || tag` of `plaintext` with `aad`, through `ctx` (set up to encrypt).
    static func seal(_ ctx: OpaquePointer, _ plaintext: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer) throws
        -> [UInt8]
    {
        guard addAAD(ctx, aad) else { throw CryptoError.fromQueue() }
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

    /// Decrypts `ciphertext || tag` with `aad` into `output` (exactly `sealed.count - 16`
    /// bytes) through `ctx` (set up to decrypt); on a wrong tag, throws
    /// ``CryptoError/authenticationFailed`` and leaves `output` zeroed.
    static func open(
        _ ctx: OpaquePointer, _ sealed: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
        into output: UnsafeMutableRawBufferPointer
    ) throws {
        let body = sealed.count - tagSize
        var ok = addAAD(ctx, aad)
        if ok && body > 0 {
            var written: Int32 = 0
            ok =
                EVP_DecryptUpdate(
                    ctx, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written,
                    sealed.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(body)) == 1
                && Int(written) == body
        }
        var tag = Array(UnsafeRawBufferPointer(rebasing: sealed[body...]))
        ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, Int32(tagSize), &tag) == 1
        var final: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: 16)
        // The tag is checked here: nothing decrypted is kept unless it passes.
        ok = ok && EVP_DecryptFinal_ex(ctx, &scratch, &final) == 1
        if !ok {
            secureZero(output)
            _ = OpenSSLErrorEntry.drainQueue()
            throw CryptoError.authenticationFailed
        }
    }

    private static func addAAD(_ ctx: OpaquePointer, _ aad: UnsafeRawBufferPointer) -> Bool {
        guard aad.count > 0 else { return true }
        var written: Int32 = 0
        return EVP_CipherUpdate(
            ctx, nil, &written, aad.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(aad.count)) == 1
    }
}
