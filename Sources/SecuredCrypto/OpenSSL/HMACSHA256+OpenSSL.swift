internal import COpenSSL
import Synchronization

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

/// Owns one keyed `EVP_MAC_CTX`: for the life of a ``HMACSHA256`` computation, or for many
/// (``MACKeyContexts``), reset between them.
final class MACContext: @unchecked Sendable {
    // @unchecked Sendable: used by one thread at a time (MACKeyContexts hands it over).
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

    /// Back to the state right after keying (`EVP_MAC_init` without a key: no fetch, no
    /// key hashing), for the next message.
    func reset() {
        guard EVP_MAC_init(ctx, nil, 0, nil) == 1 else { openSSLFailure("EVP_MAC_init") }
    }

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

/// Keyed contexts of one key, for ``HMACSHA256/PreparedKey``: each message takes an idle
/// one (or makes one), resets it to its keyed state (``MACContext/reset()``), and gives it back.
///
/// The idle contexts are kept in a few lists, each behind its own lock on its own cache
/// line, and a thread uses the list its id picks: an audit's workers then rarely share a
/// lock (a lock shared by every record of every worker cost 1.5% of a two-worker audit,
/// its cache line going back and forth between the cores).
final class MACKeyContexts: Sendable {
    private let key: SymmetricKey
    private let lists: [IdleContexts]

    init(key: SymmetricKey) {
        self.key = key
        lists = (0..<8).map { _ in IdleContexts() }
    }

    func authenticationCode(_ message: ((UnsafeRawBufferPointer) -> Void) -> Void) -> [UInt8] {
        // Thread ids are aligned addresses: a multiplicative hash, its top three bits.
        let list = lists[Int((UInt64(pthread_self()) &* 0x9E37_79B9_7F4A_7C15) >> 61)]
        let context = list.contexts.withLock { $0.popLast() } ?? MACContext(key: key)
        defer { list.contexts.withLock { $0.append(context) } }
        context.reset()
        message { context.update($0) }
        return context.finalize()
    }
}

/// One list of idle contexts, alone on its cache lines (the padding keeps two lists' locks
/// from sharing one).
private final class IdleContexts: Sendable {
    let contexts = Mutex<[MACContext]>([])
    private let padding: (Int, Int, Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0, 0, 0)
}
