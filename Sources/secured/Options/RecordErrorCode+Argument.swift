import ArgumentParser
import SecuredRecords

/// `--ignore SR015`: a code as a command-line value, any case.
extension RecordError.Code: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.uppercased()) }

    /// The SR codes only (refusals are not findings).
    public static var allValueStrings: [String] { diagnostics.map(\.rawValue) }
}
