internal import COpenSSL

/// The HMAC implementation, fetched once.
private final class FetchedMAC: @unchecked Sendable {
    // @unchecked Sendable: immutable after init; a fetched EVP_MAC is shareable.
    let hmac: OpaquePointer?
    init() {
        hmac = EVP_MAC_fetch(nil, "HMAC", nil)
        _ = OpenSSLErrorEntry.drainQueue()
    }
    deinit { EVP_MAC_free(hmac) }
    static let shared = FetchedMAC()
}

/// Owns one `EVP_MAC_CTX` for the life of a ``HMACSHA256`` computation.
final class MACContext {
    private let ctx: OpaquePointer

    /// Traps on an OpenSSL failure no input can cause (see ``openSSLFailure(_:)``).
    init(key: SymmetricKey) {
        guard let mac = FetchedMAC.shared.hmac, let ctx = EVP_MAC_CTX_new(mac) else {
            openSSLFailure("EVP_MAC_CTX_new")
        }
        self.ctx = ctx
        let ok = key.withUnsafeBytes { k in
            COpenSSL_EVP_MAC_init_HMAC(
                ctx, k.baseAddress!.assumingMemoryBound(to: UInt8.self), k.count, "SHA256")
        }
        guard ok == 1 else { openSSLFailure("EVP_MAC_init") }
    }

    deinit { EVP_MAC_CTX_free(ctx) }

    func update(_ data: UnsafeRawBufferPointer) {
        guard data.count > 0 else { return }
        guard EVP_MAC_update(ctx, data.baseAddress!.assumingMemoryBound(to: UInt8.self), data.count) == 1
        else { openSSLFailure("EVP_MAC_update") }
    }

    func finalize() -> [UInt8] {
        var out = [UInt8](repeating: 0, count: HMACSHA256.byteCount)
        var written = 0
        let ok = out.withUnsafeMutableBytes {
            EVP_MAC_final(ctx, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), &written, $0.count)
        }
        guard ok == 1, written == HMACSHA256.byteCount else { openSSLFailure("EVP_MAC_final") }
        return out
    }
}
