internal import COpenSSL

/// The digests this package uses.
enum DigestAlgorithm {
    case sha256, blake2b512

    var byteCount: Int { self == .sha256 ? SHA256.byteCount : BLAKE2b512.byteCount }
}

private final class FetchedDigest: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; a fetched EVP_MD is shareable.
    let sha256: OpaquePointer?
    let blake2b512: OpaquePointer?
    init() {
        sha256 = EVP_MD_fetch(nil, "SHA256", nil)
        blake2b512 = EVP_MD_fetch(nil, "BLAKE2B-512", nil)
        _ = OpenSSLErrorEntry.drainQueue()
    }
    deinit {
        EVP_MD_free(sha256)
        EVP_MD_free(blake2b512)
    }
    static let shared = FetchedDigest()
}

/// Owns one `EVP_MD_CTX` for the life of a digest computation.
final class DigestContext {
    private let ctx: OpaquePointer
    private let algorithm: DigestAlgorithm

    /// Traps when OpenSSL cannot provide the digest or allocate a context, as swift-crypto
    /// does on an allocation failure: no input can cause it.
    init(algorithm: DigestAlgorithm = .sha256) {
        self.algorithm = algorithm
        let fetched = algorithm == .sha256 ? FetchedDigest.shared.sha256 : FetchedDigest.shared.blake2b512
        guard let md = fetched, let ctx = EVP_MD_CTX_new() else { openSSLFailure("EVP_MD_CTX_new") }
        self.ctx = ctx
        guard EVP_DigestInit_ex2(ctx, md, nil) == 1 else { openSSLFailure("EVP_DigestInit_ex2") }
    }

    deinit { EVP_MD_CTX_free(ctx) }

    func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        guard EVP_DigestUpdate(ctx, data.baseAddress, data.count) == 1 else { openSSLFailure("EVP_DigestUpdate") }
    }

    func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: algorithm.byteCount)
        var written: UInt32 = 0
        let ok = out.withUnsafeMutableBytes {
            EVP_DigestFinal_ex(ctx, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), &written)
        }
        guard ok == 1, written == UInt32(algorithm.byteCount) else { openSSLFailure("EVP_DigestFinal_ex") }
        return out
    }
}

/// Stops the process on an OpenSSL failure that no input can cause (an allocation that
/// failed, a built-in algorithm missing), naming the call and the queued errors.
func openSSLFailure(_ call: String) -> Never {
    fatalError("\(call) failed: \(OpenSSLErrorEntry.drainQueue())")
}
