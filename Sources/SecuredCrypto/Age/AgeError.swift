/// Why an age file could not be read. The kinds are the C2SP test kit's.
public enum AgeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The ASCII armor is not strict PEM.
    case armor(String)
    /// The header is malformed (or a stanza addressed to X25519 is).
    case header(String)
    /// The header MAC does not match: the header was changed.
    case headerMAC
    /// No identity given unwraps any stanza.
    case noMatch
    /// The payload fails authentication, is truncated or has data after its end.
    case payload(String)

    /// The kind, as the test kit names it: `armor failure`, `header failure`, `HMAC failure`,
    /// `no match` or `payload failure`.
    public var kind: String {
        switch self {
        case .armor: return "armor failure"
        case .header: return "header failure"
        case .headerMAC: return "HMAC failure"
        case .noMatch: return "no match"
        case .payload: return "payload failure"
        }
    }

    public var description: String {
        switch self {
        case .armor(let why): return "not a valid age armor: \(why)"
        case .header(let why): return "not a valid age header: \(why)"
        case .headerMAC: return "the age header MAC does not match (the file was changed)"
        case .noMatch: return "no identity given can open it (it is not encrypted to any of them)"
        case .payload(let why): return "the age payload is damaged: \(why)"
        }
    }
}

/// Why an age key or recipient cannot be used; never holds key text.
public struct AgeKeyError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
