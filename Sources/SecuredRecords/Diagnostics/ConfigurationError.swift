import SecuredCrypto

/// A usage or configuration error (SPEC section 8, exit status 2): a missing key, a key that
/// cannot do what was asked, a path that does not exist.
///
/// ``code`` says which, for a caller that acts on it; ``message`` says it in words, naming
/// the file concerned. `==` compares ``code`` only, so callers and tests do not depend on
/// wording:
///
/// ```swift
/// do {
///     _ = try sources.loadSecret(purpose: "open")
/// } catch let error as ConfigurationError where error.code == .noKey {
///     // ask for a key
/// }
/// ```
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of configuration error this is.
    ///
    /// A struct with static members rather than an enum, so that codes can be added without
    /// breaking a caller's `switch`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: String, Hashable, Sendable {
            case noKey, unsuitableKeys, capability, passphrase, notFound, unreadable, unwritable, malformed,
                policy, notAGitRepository, wouldOverwrite, usage
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// No key was given, and the operation needs one.
        public static let noKey = Code(.noKey)
        /// Keys were given, but not what the operation takes: only public keys where a
        /// secret key is needed, several where it takes one, none that opens the records.
        public static let unsuitableKeys = Code(.unsuitableKeys)
        /// The key cannot do what was asked: it lacks `sign` or `mac`, or its `enc` is not
        /// for writers (``KeyCapability``).
        public static let capability = Code(.capability)
        /// A passphrase is missing, too short, or was not confirmed.
        public static let passphrase = Code(.passphrase)
        /// A path, commit or name given does not exist.
        public static let notFound = Code(.notFound)
        /// A file or folder exists but cannot be read or entered.
        public static let unreadable = Code(.unreadable)
        /// A file or folder cannot be written or made.
        public static let unwritable = Code(.unwritable)
        /// A file read holds something it must not (a baseline line that is not a fingerprint).
        public static let malformed = Code(.malformed)
        /// A policy file is bad or cannot be read.
        public static let policy = Code(.policy)
        /// The operation needs a git repository (or git) and has none.
        public static let notAGitRepository = Code(.notAGitRepository)
        /// The operation would write over a key file it reads.
        public static let wouldOverwrite = Code(.wouldOverwrite)
        /// What was asked does not fit together (a folder where a record is taken, a missing
        /// argument, no terminal to ask on).
        public static let usage = Code(.usage)

        /// The code's name (`noKey`).
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public var code: Code
    /// What is wrong, naming the file or value concerned. Never holds key bytes or content.
    public var message: String
    /// What would get past it, for the command line to word as its flags.
    package var remedy: Remedy?

    /// An error with its code and message.
    ///
    /// - Parameters:
    ///   - code: what kind of error it is.
    ///   - message: what is wrong, naming the file or value concerned.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// An error with its code, message and remedy.
    package init(_ code: Code, _ message: String, remedy: Remedy?) {
        self.init(code, message)
        self.remedy = remedy
    }

    /// The message.
    public var description: String { message }

    public static func == (a: ConfigurationError, b: ConfigurationError) -> Bool { a.code == b.code }

    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
