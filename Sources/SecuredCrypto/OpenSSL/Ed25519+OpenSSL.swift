internal import COpenSSL
import Synchronization

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

/// Owns the `EVP_PKEY` of a public key, made once, and the verifiers made from it.
///
/// `EVP_DigestVerifyInit` on a shared `EVP_PKEY` fetches the signature algorithm from the
/// provider and exports the key to it on every call, taking the library's locks and
/// reference counts that every thread shares; an audit verifies once a record on every
/// worker. So each concurrent caller gets a verifier of its own, made once: a context
/// initialized with its own copy of the key, copied for each verification
/// (`EVP_MD_CTX_copy_ex`, no fetch). Idle verifiers wait in a list; there are never more
/// than callers that ever verified at the same time.
final class PublicKeyContext: @unchecked Sendable {
    // @unchecked Sendable: `pkey` is immutable after init and only read (EVP_PKEY_dup);
    // a verifier is used by one thread at a time, handed over through the mutex.
    private let pkey: OpaquePointer
    private let idle = Mutex<[Verifier]>([])
    private let made = Atomic<Int>(0)

    init(raw: [UInt8]) throws {
        guard let pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, raw, raw.count) else {
            throw CryptoError.fromQueue()
        }
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    /// How many contexts `EVP_DigestVerifyInit` initialized: one a verifier, so at most the
    /// number of threads that verified at once, however many verifications they made.
    var contextsInitialized: Int { made.load(ordering: .relaxed) }

    func verify(signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        guard let verifier = idle.withLock({ $0.popLast() }) ?? makeVerifier() else {
            _ = OpenSSLErrorEntry.drainQueue()
            return false
        }
        defer { idle.withLock { $0.append(verifier) } }
        let ok =
            EVP_MD_CTX_copy_ex(verifier.work, verifier.template) == 1
            && EVP_DigestVerify(
                verifier.work, signature.baseAddress!.assumingMemoryBound(to: UInt8.self), signature.count,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
        // A failed verification leaves an error on the queue: drop it, it is not an error here.
        _ = OpenSSLErrorEntry.drainQueue()
        return ok
    }

    private func makeVerifier() -> Verifier? {
        guard let verifier = Verifier(pkey) else { return nil }
        made.add(1, ordering: .relaxed)
        return verifier
    }
}

/// A context initialized for verification with its own copy of the key, and the context
/// each verification runs in.
private final class Verifier: @unchecked Sendable {
    // @unchecked Sendable: used by one thread at a time (PublicKeyContext hands it over).
    let key: OpaquePointer
    let template: OpaquePointer
    let work: OpaquePointer

    init?(_ shared: OpaquePointer) {
        guard let key = EVP_PKEY_dup(shared) else { return nil }
        guard let template = EVP_MD_CTX_new() else {
            EVP_PKEY_free(key)
            return nil
        }
        guard let work = EVP_MD_CTX_new() else {
            EVP_MD_CTX_free(template)
            EVP_PKEY_free(key)
            return nil
        }
        (self.key, self.template, self.work) = (key, template, work)
        guard EVP_DigestVerifyInit(template, nil, nil, nil, key) == 1 else { return nil }
    }

    deinit {
        EVP_MD_CTX_free(work)
        EVP_MD_CTX_free(template)
        EVP_PKEY_free(key)
    }
}
