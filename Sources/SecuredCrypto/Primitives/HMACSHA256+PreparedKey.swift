extension HMACSHA256 {
    /// An HMAC-SHA256 key made ready once, for many messages.
    ///
    /// ``HMACSHA256/init(key:)`` fetches the digest from OpenSSL's provider and hashes the
    /// padded key for every message: for a record of a few kilobytes that is a tenth of the
    /// work, and the fetch takes a lock every thread shares. A prepared key keeps keyed
    /// contexts and resets one for each message (no fetch, no key hashing, no allocation);
    /// concurrent callers each get a context of their own, and there are never more than
    /// callers that ever computed at the same time. Freeing it frees (and wipes) them.
    ///
    /// ```swift
    /// let prepared = HMACSHA256.PreparedKey(macKey)
    /// let tag = prepared.authenticationCode { feed in feed(header); feed(body) }
    /// ```
    public final class PreparedKey: Sendable {
        let contexts: MACKeyContexts

        /// Prepares `key` (any non-empty length).
        public init(_ key: SymmetricKey) {
            precondition(key.byteCount > 0, "HMAC-SHA256 needs a key (every key this package makes has 16 to 64 bytes)")
            contexts = MACKeyContexts(key: key)
        }

        /// The tag of the message that `message` feeds, piece by piece, to the function it is given.
        ///
        /// - Returns: 32 bytes, the same as ``HMACSHA256/authenticationCode(for:using:)`` of
        ///   the pieces joined.
        public func authenticationCode(_ message: ((UnsafeRawBufferPointer) -> Void) -> Void) -> [UInt8] {
            contexts.authenticationCode(message)
        }
    }
}
