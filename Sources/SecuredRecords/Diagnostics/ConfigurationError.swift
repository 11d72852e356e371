/// A usage or configuration error (SPEC section 8, exit status 2): a missing key, a key that
/// cannot do what was asked, a path that does not exist. It says what to do about it.
public struct ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong, and how to fix it. Never holds key bytes or content.
    public var message: String

    /// An error with its message.
    ///
    /// - Parameter message: what is wrong, and how to fix it.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
