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
        let body = sealed.count - tagSize
        let inPtr = sealed.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var ok = addAAD(ctx, aad)
        if ok && body > 0 {
            var written: Int32 = 0
            ok =
                EVP_DecryptUpdate(
                    ctx, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, inPtr, Int32(body)) == 1
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

    private static func context(key: SymmetricKey, nonce: Nonce, encrypting: Bool) throws -> OpaquePointer {
        guard key.byteCount == keySize else { throw CryptoError.invalidKeySize(key.byteCount) }
        guard let cipher = FetchedGCM.shared.aes256 else { throw CryptoError.fromQueue() }
        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.fromQueue() }
        // The default IV length of AES-GCM is 12 bytes, the only one this type takes.
        let ok = key.withUnsafeBytes { k in
            EVP_CipherInit_ex2(
                ctx, cipher, k.baseAddress!.assumingMemoryBound(to: UInt8.self), nonce.bytes, encrypting ? 1 : 0,
                nil)
        }
        guard ok == 1 else {
            EVP_CIPHER_CTX_free(ctx)
            throw CryptoError.fromQueue()
        }
        return ctx
    }
}
