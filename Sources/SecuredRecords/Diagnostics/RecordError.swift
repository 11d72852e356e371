import SecuredCrypto

/// A finding or failure about one record: what, where and why.
///
/// Findings of an audit and refusals of an operation share this type. `==` compares
/// ``code`` only, so tests do not depend on message wording.
///
/// `description` reads `posts/a.md:31: error: SR005 IV part of 'secured' is not canonical base64`.
/// No message ever holds key bytes or decrypted content.
public struct RecordError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The diagnostic codes of SPEC section 7, and two codes for refusals that are not findings.
    public enum Code: String, Sendable, CaseIterable, Codable, Comparable {
        case sr001NoFrontMatter = "SR001"
        case sr002AmbiguousFrontMatter = "SR002"
        case sr003SecuredMissing = "SR003"
        case sr004SecuredNotLiteral = "SR004"
        case sr005NonCanonicalBase64 = "SR005"
        case sr006BadIVLength = "SR006"
        case sr007BadCiphertextLength = "SR007"
        case sr008SignatureMissing = "SR008"
        case sr009SignatureMalformed = "SR009"
        case sr010UnknownKeyID = "SR010"
        case sr011SignatureMismatch = "SR011"
        case sr012DecryptionFailed = "SR012"
        case sr013ContentNotUTF8 = "SR013"
        case sr014IVReused = "SR014"
        case sr015DuplicateBlob = "SR015"
        case sr016BodyBesideSealedContent = "SR016"
        case sr017Unreadable = "SR017"
        case sr018ManifestMismatch = "SR018"
        case sr019ManifestSignature = "SR019"
        case sr020LeakInFile = "SR020"
        case sr021LeakInHistory = "SR021"
        /// An operation declined to act (nothing to seal, wrong key size, …); not an SR finding.
        case refused = "refused"
        /// A file could not be written or replaced.
        case io = "io"

        /// `error` or `warning`, as SPEC section 7 fixes it.
        public var severity: Severity {
            switch self {
            case .sr013ContentNotUTF8, .sr015DuplicateBlob: return .warning
            default: return .error
            }
        }

        /// Whether this is one of the SR codes of SPEC section 7.
        public var isDiagnostic: Bool { rawValue.hasPrefix("SR") }

        public static func < (a: Code, b: Code) -> Bool { a.rawValue < b.rawValue }
    }

    /// How bad a finding is. Warnings alone pass an audit.
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file, as the user named it or as the walk found it.
    public var file: String
    /// The 1-based line, where the problem has one.
    public var line: Int?
    /// The front-matter field concerned (`secured`, `signature`, …), where there is one.
    public var field: String?
    /// What is wrong, in words; never key bytes or plaintext.
    public var reason: String
    /// The key id the finding is about (the one a signature names), where there is one.
    public var keyID: String?
    /// For a leak (SR020, SR021): the sealed record, the run's length, its fingerprint.
    public var leak: LeakSource?
    /// What would get past a refusal, for the command line to word as its flags.
    package var remedy: Remedy?

    /// - Parameters:
    ///   - code: the code.
    ///   - file: the file.
    ///   - line: the 1-based line, if any.
    ///   - field: the field, if any.
    ///   - reason: the message.
    ///   - keyID: the key id concerned, if any.
    public init(
        _ code: Code, file: String, line: Int? = nil, field: String? = nil, reason: String, keyID: String? = nil
    ) {
        self.code = code
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.keyID = keyID
    }

    /// A finding or refusal with a remedy, for the command line to word as its flags.
    package init(
        _ code: Code, file: String, line: Int? = nil, field: String? = nil, reason: String, remedy: Remedy?
    ) {
        self.init(code, file: file, line: line, field: field, reason: reason)
        self.remedy = remedy
    }

    /// The finding's severity.
    public var severity: Severity { code.severity }

    public var description: String {
        var place = FilePath.display(file)
        if let line { place += ":\(line)" }
        let label = code.isDiagnostic ? "\(code.rawValue) " : ""
        return "\(place): \(severity.rawValue): \(label)\(FilePath.visible(reason))"
    }

    public static func == (a: RecordError, b: RecordError) -> Bool { a.code == b.code }
}
