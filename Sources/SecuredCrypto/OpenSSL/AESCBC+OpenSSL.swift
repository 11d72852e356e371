internal import COpenSSL

/// The three AES-CBC ciphers, fetched once: an implicit fetch on every call
/// (`EVP_aes_256_cbc()`) costs a provider lookup each time.
private final class FetchedCiphers: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; fetched EVP_CIPHERs are read-only and
    // documented as safe to share between threads.
    let aes128: OpaquePointer?
    let aes192: OpaquePointer?
    let aes256: OpaquePointer?

    init() {
        aes128 = EVP_CIPHER_fetch(nil, "AES-128-CBC", nil)
        aes192 = EVP_CIPHER_fetch(nil, "AES-192-CBC", nil)
        aes256 = EVP_CIPHER_fetch(nil, "AES-256-CBC", nil)
        _ = OpenSSLErrorEntry.drainQueue()
    }

    deinit {
        EVP_CIPHER_free(aes128)
        EVP_CIPHER_free(aes192)
        EVP_CIPHER_free(aes256)
    }

    static let shared = FetchedCiphers()
}

extension AESCBC {
    static func cipher(
        _ input: UnsafeRawBufferPointer, key: SymmetricKey, iv: IV, encrypting: Bool, padding: Bool
    ) throws -> [UInt8] {
        let fetched = FetchedCiphers.shared
        let cipher: OpaquePointer?
        switch key.byteCount {
        case 16: cipher = fetched.aes128
        case 24: cipher = fetched.aes192
        case 32: cipher = fetched.aes256
        default: throw CryptoError.invalidKeySize(key.byteCount)
        }
        guard let cipher else { throw CryptoError.fromQueue() }
        guard input.count <= Int(Int32.max) - blockSize else {
            throw CryptoError.invalidInputLength(input.count)
        }

        guard let ctx = EVP_CIPHER_CTX_new() else { throw CryptoError.fromQueue() }
        defer { EVP_CIPHER_CTX_free(ctx) }

        let initOK = key.withUnsafeBytes { k in
            iv.bytes.withUnsafeBytes { v in
                EVP_CipherInit_ex2(
                    ctx, cipher, k.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    v.baseAddress!.assumingMemoryBound(to: UInt8.self), encrypting ? 1 : 0, nil)
            }
        }
        guard initOK == 1 else { throw CryptoError.fromQueue() }
        guard EVP_CIPHER_CTX_set_padding(ctx, padding ? 1 : 0) == 1 else { throw CryptoError.fromQueue() }

        // Uninitialized (no memset of every output): only the bytes the cipher wrote and
        // kept are handed back. Every other byte it may have touched, all of a failed call's
        // output and the room past the end of a decryption, is wiped first.
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: input.count + blockSize) { outBuf, initialized in
            let all = UnsafeMutableRawBufferPointer(outBuf)
            let outPtr = outBuf.baseAddress!
            var written: Int32 = 0
            if input.count > 0 {
                let inPtr = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
                guard EVP_CipherUpdate(ctx, outPtr, &written, inPtr, Int32(input.count)) == 1 else {
                    secureZero(all)
                    return
                }
            }
            var total = Int(written)
            var finalWritten: Int32 = 0
            guard EVP_CipherFinal_ex(ctx, outPtr + total, &finalWritten) == 1 else {
                // Never hand back partial plaintext; a padding failure is not told apart.
                secureZero(all)
                return
            }
            total += Int(finalWritten)
            if !encrypting { secureZero(UnsafeMutableRawBufferPointer(rebasing: all[total...])) }
            initialized = total
            ok = true
        }
        guard ok else {
            let entries = OpenSSLErrorEntry.drainQueue()
            if encrypting { throw CryptoError.openSSL(entries) }
            throw CryptoError.authenticationFailed
        }
        return out
    }
}
