import SecuredCrypto
import Synchronization

/// Why a policy file cannot be used: a usage error (exit 2) naming the file and line.
public struct PolicyError: Error, Sendable, CustomStringConvertible {
    /// The policy file.
    public var file: String
    /// The 1-based line, where known.
    public var line: Int?
    /// What is wrong.
    public var message: String

    public var description: String {
        "\(FilePath.display(FilePath.normalized(file)))\(line.map { ":\($0)" } ?? ""): \(FilePath.visible(message))"
    }
}
