internal import COpenSSL

private final class FetchedDigest: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; a fetched EVP_MD is shareable.
    let sha256: OpaquePointer?
    init() {
        sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        _ = OpenSSLErrorEntry.drainQueue()
    }
    deinit { EVP_MD_free(sha256) }
    static let shared = FetchedDigest()
}

/// Owns one `EVP_MD_CTX` for the life of a ``SHA256`` computation.
final class DigestContext {
    private let ctx: OpaquePointer

    init() throws {
        guard let md = FetchedDigest.shared.sha256 else { throw CryptoError.fromQueue() }
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.fromQueue() }
        self.ctx = ctx
        guard EVP_DigestInit_ex2(ctx, md, nil) == 1 else { throw CryptoError.fromQueue() }
    }

    deinit { EVP_MD_CTX_free(ctx) }

    func update(_ data: UnsafeRawBufferPointer) throws {
        guard data.count > 0 else { return }
        guard EVP_DigestUpdate(ctx, data.baseAddress, data.count) == 1 else { throw CryptoError.fromQueue() }
    }

    func finalize() throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: SHA256.byteCount)
        var written: UInt32 = 0
        let ok = out.withUnsafeMutableBytes {
            EVP_DigestFinal_ex(ctx, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), &written)
        }
        guard ok == 1, written == UInt32(SHA256.byteCount) else { throw CryptoError.fromQueue() }
        return out
    }
}
