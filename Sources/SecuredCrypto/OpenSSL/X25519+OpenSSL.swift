internal import COpenSSL

/// X25519 (RFC 7748) through OpenSSL's `EVP_PKEY` API: the public key of a secret scalar,
/// and the shared secret of a secret and a peer's public key.
enum X25519 {
    static let keySize = 32

    /// The public key (`X25519(secret, basepoint)`).
    static func publicKey(secret: SecureBytes) throws -> [UInt8] {
        let pkey = try privateKey(secret)
        defer { EVP_PKEY_free(pkey) }
        var out = [UInt8](repeating: 0, count: keySize)
        var length = out.count
        guard EVP_PKEY_get_raw_public_key(pkey, &out, &length) == 1, length == keySize else {
            throw CryptoError.fromQueue()
        }
        return out
    }

    /// `X25519(secret, peer)`, in wiped storage.
    /// - Throws: ``CryptoError/authenticationFailed`` when the result is all zeros (a
    ///   low-order peer key: OpenSSL refuses it, and so does age).
    static func sharedSecret(secret: SecureBytes, peer: [UInt8]) throws -> SecureBytes {
        guard peer.count == keySize else { throw CryptoError.invalidKeySize(peer.count) }
        let pkey = try privateKey(secret)
        defer { EVP_PKEY_free(pkey) }
        guard let peerKey = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, nil, peer, peer.count) else {
            throw CryptoError.fromQueue()
        }
        defer { EVP_PKEY_free(peerKey) }
        guard let ctx = EVP_PKEY_CTX_new(pkey, nil) else { throw CryptoError.fromQueue() }
        defer { EVP_PKEY_CTX_free(ctx) }
        guard EVP_PKEY_derive_init(ctx) == 1, EVP_PKEY_derive_set_peer(ctx, peerKey) == 1 else {
            throw CryptoError.fromQueue()
        }
        let shared = try SecureBytes(count: keySize) { out in
            var length = keySize
            guard EVP_PKEY_derive(ctx, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) == 1,
                length == keySize
            else {
                _ = OpenSSLErrorEntry.drainQueue()
                throw CryptoError.authenticationFailed
            }
        }
        let allZero = shared.withUnsafeBytes { $0.allSatisfy { $0 == 0 } }
        if allZero { throw CryptoError.authenticationFailed }
        return shared
    }

    private static func privateKey(_ secret: SecureBytes) throws -> OpaquePointer {
        guard secret.count == keySize else { throw CryptoError.invalidKeySize(secret.count) }
        let pkey = secret.withUnsafeBytes { s in
            EVP_PKEY_new_raw_private_key(
                EVP_PKEY_X25519, nil, s.baseAddress!.assumingMemoryBound(to: UInt8.self), s.count)
        }
        guard let pkey else { throw CryptoError.fromQueue() }
        return pkey
    }
}
