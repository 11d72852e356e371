internal import COpenSSL

extension OpenSSLErrorEntry {
    /// Empties this thread's OpenSSL error queue, so no stale error is left for the
    /// next call, and returns what it held (oldest first).
    static func drainQueue() -> [OpenSSLErrorEntry] {
        var entries: [OpenSSLErrorEntry] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var text = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &text, text.count)
            let message = String(
                decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            entries.append(OpenSSLErrorEntry(code: UInt(code), text: message))
        }
        return entries
    }
}

extension CryptoError {
    /// A ``CryptoError/openSSL(_:)`` holding the drained error queue.
    static func fromQueue() -> CryptoError { .openSSL(OpenSSLErrorEntry.drainQueue()) }
}
