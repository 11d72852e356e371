/// One entry of OpenSSL's thread-local error queue.
public struct OpenSSLErrorEntry: Equatable, Sendable, CustomStringConvertible {
    /// The packed error code (`ERR_get_error`).
    public var code: UInt
    /// OpenSSL's human-readable text for the code.
    public var text: String

    public var description: String { text }
}
