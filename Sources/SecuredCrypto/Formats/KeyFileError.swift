/// A bad key file or key: where and why. Never holds key bytes.
public struct KeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Where the key came from: a path, `$SECURED_KEY`, or `nil`.
    public var source: String?
    /// 1-based line of the key file, when one is to blame.
    public var line: Int?
    /// The field to blame (`id`, `enc`, `mac`, …).
    public var field: String?
    /// What is wrong.
    public var reason: String
    /// What would get past it, for the command line to word as its flags.
    package var remedy: Remedy?

    public init(source: String?, line: Int?, field: String?, reason: String) {
        self.source = source
        self.line = line
        self.field = field
        self.reason = reason
    }

    /// An error with a remedy.
    package init(source: String?, line: Int?, field: String?, reason: String, remedy: Remedy?) {
        self.init(source: source, line: line, field: field, reason: reason)
        self.remedy = remedy
    }

    public var description: String {
        var place = source ?? "key"
        if let line { place += ":\(line)" }
        return "\(place): \(reason)"
    }
}
