import Synchronization

/// Heap storage for secret bytes that is wiped when released.
///
/// The memory is allocated once, never copied by this type, and overwritten with
/// `OPENSSL_cleanse` over its whole capacity in `deinit`.
///
/// - Note: Wiping is best effort. Swift may have copied bytes before they reached
///   this storage (a `String` read from a file, a decoded array), and those copies
///   are outside its reach.
public final class SecureBytes: @unchecked Sendable {
    // @unchecked Sendable: the bytes are written only in init and immutable after.
    private let buffer: UnsafeMutableRawBufferPointer

    /// Allocates `count` bytes and lets `initializer` fill them.
    ///
    /// - Parameters:
    ///   - count: number of bytes.
    ///   - initializer: writes the secret into the buffer; not valid beyond this call.
    /// - Throws: whatever `initializer` throws (the storage is wiped first).
    public init(count: Int, initializer: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
        precondition(count >= 0, "negative SecureBytes count")
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try initializer(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
        } catch {
            secureZero(buffer)
            buffer.deallocate()
            throw error
        }
        self.count = count
    }

    /// Copies `bytes` into wiped-on-release storage.
    ///
    /// - Parameter bytes: the secret. The caller's copy is not wiped.
    public convenience init(copying bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { dst in
            _ = dst.initializeMemory(as: UInt8.self, from: bytes)
        }
    }

    /// Number of secret bytes.
    public let count: Int

    /// Lends the bytes to `body`.
    ///
    /// - Parameter body: reads the bytes; the pointer is not valid beyond this call.
    /// - Returns: what `body` returns.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    deinit {
        secureZero(buffer)
        Self.releaseObserver.withLock { $0?(UnsafeRawBufferPointer(buffer)) }
        buffer.deallocate()
    }

    /// Tests only: sees the storage after the wipe, just before it is freed.
    static let releaseObserver = Mutex<(@Sendable (UnsafeRawBufferPointer) -> Void)?>(nil)
}
