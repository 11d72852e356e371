/// A passphrase: its UTF-8 bytes exactly as given (no normalization, no trimming), kept in
/// ``SecureBytes``.
///
/// `description` shows its length in characters, never the text.
///
/// - Note: Wiping is best effort: a `String` the passphrase was made from, or a buffer it was
///   read into, is the caller's to wipe.
public struct Passphrase: Sendable, CustomStringConvertible {
    let storage: SecureBytes

    /// The number of Unicode scalars (what "characters" means in SPEC 1.2 section 3).
    public let scalarCount: Int

    /// A passphrase of the given UTF-8 bytes, or `nil` when they are not valid UTF-8.
    ///
    /// - Parameter bytes: the bytes; the caller's copy is not wiped.
    public init?(utf8 bytes: some Collection<UInt8>) {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var scalars = 0
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: scalars += 1
            case .emptyInput: break decoding
            case .error: return nil
            }
        }
        storage = SecureBytes(copying: bytes)
        scalarCount = scalars
    }

    /// A passphrase of a string's UTF-8 bytes.
    ///
    /// - Parameter text: the passphrase; the caller's copy is not wiped.
    public init(_ text: String) {
        storage = SecureBytes(copying: Array(text.utf8))
        scalarCount = text.unicodeScalars.count
    }

    /// The number of UTF-8 bytes.
    public var byteCount: Int { storage.count }

    /// Lends the UTF-8 bytes to `body`.
    ///
    /// - Parameter body: reads the bytes; the pointer is not valid beyond this call.
    /// - Returns: what `body` returns.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }

    /// Whether two passphrases hold the same bytes, compared in constant time.
    public func hasSameBytes(as other: Passphrase) -> Bool {
        withUnsafeBytes { a in other.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }

    public var description: String { "Passphrase(\(scalarCount) characters)" }
}
