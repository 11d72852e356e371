internal import COpenSSL

extension Ed25519 {
    /// The public key of a seed.
    static func publicKey(seed: UnsafeRawBufferPointer) throws -> [UInt8] {
        let pkey = try privateKey(seed)
        defer { EVP_PKEY_free(pkey) }
        var out = [UInt8](repeating: 0, count: publicKeySize)
        var length = out.count
        guard EVP_PKEY_get_raw_public_key(pkey, &out, &length) == 1, length == publicKeySize else {
            throw CryptoError.fromQueue()
        }
        return out
    }

    /// Pure Ed25519: `EVP_DigestSign` with no digest, over the whole message at once.
    static func sign(seed: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) throws -> [UInt8] {
        let pkey = try privateKey(seed)
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.fromQueue() }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, pkey) == 1 else { throw CryptoError.fromQueue() }
        var signature = [UInt8](repeating: 0, count: signatureSize)
        var length = signature.count
        let base = message.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard EVP_DigestSign(ctx, &signature, &length, base, message.count) == 1, length == signatureSize else {
            throw CryptoError.fromQueue()
        }
        return signature
    }

    private static func privateKey(_ seed: UnsafeRawBufferPointer) throws -> OpaquePointer {
        guard
            let pkey = EVP_PKEY_new_raw_private_key(
                EVP_PKEY_ED25519, nil, seed.baseAddress!.assumingMemoryBound(to: UInt8.self), seed.count)
        else { throw CryptoError.fromQueue() }
        return pkey
    }
}

/// Owns the `EVP_PKEY` of a public key, made once and shared by every verification.
final class PublicKeyContext: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; OpenSSL 3 lets threads verify with one
    // EVP_PKEY at a time, each with its own EVP_MD_CTX.
    private let pkey: OpaquePointer

    init(raw: [UInt8]) throws {
        guard let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
            throw CryptoError.fromQueue()
        }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else {
            _ = OpenSSLErrorEntry.drainQueue()
            return false
        }
        defer { EVP_MD_CTX_free(ctx) }
        let ok =
            EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1
            && EVP_DigestVerify(
                ctx, signature.baseAddress!.assumingMemoryBound(to: UInt8.self), signature.count,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
        // A failed verification leaves an error on the queue: drop it, it is not an error here.
        _ = OpenSSLErrorEntry.drainQueue()
        return ok
    }
}
