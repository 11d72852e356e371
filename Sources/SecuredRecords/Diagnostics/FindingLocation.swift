import SecuredCrypto

/// Where findings are, for code-scanning reports (SARIF): paths as URIs relative to the
/// repository root, and fingerprints that survive lines inserted above a finding.
package struct FindingLocator {
    /// The folder URIs are relative to: the repository root (the nearest folder at or above
    /// the working directory holding `.git`, as git finds it), or the working directory
    /// outside one.
    public let root: String
    private let cwd: String
    private var lines: (file: String, text: [[UInt8]])?
    private var occurrences: [String: Int] = [:]

    /// A locator for paths relative to `workingDirectory`.
    ///
    /// - Parameter workingDirectory: the absolute folder relative paths start from (the
    ///   caller's working directory: the library never reads it).
    public init(workingDirectory: String) {
        cwd = workingDirectory
        root = FilePath.repositoryRoot(of: cwd) ?? cwd
    }

    /// `root` as a `file://` URI ending in `/`.
    public var rootURI: String { "file://" + Self.percentEncoded(root.hasSuffix("/") ? root : root + "/") }

    /// The path's URI relative to `root`, or `nil` when it lies outside it (then
    /// ``absoluteURI(_:)`` names it).
    public func relativeURI(_ path: String) -> String? {
        let absolute = normalized(path)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        guard absolute.hasPrefix(prefix) else { return nil }
        return Self.percentEncoded(String(absolute.dropFirst(prefix.count)))
    }

    /// The path as an absolute `file://` URI.
    public func absoluteURI(_ path: String) -> String { "file://" + Self.percentEncoded(normalized(path)) }

    private func normalized(_ path: String) -> String { FilePath.absolute(path, from: cwd) }

    /// RFC 3986 percent-encoding of the path's bytes (unreserved characters and `/` kept).
    static func percentEncoded(_ path: String) -> String {
        var out = ""
        for byte in FilePath.bytes(path) {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E, 0x2F:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    /// A fingerprint that stays the same across runs while the code, the file and the text of
    /// the finding's line do (a line inserted above it does not change it), and differs for
    /// distinct findings (a second identical one counts as another occurrence).
    ///
    /// Call it for the findings of a run in report order.
    ///
    /// - Parameters:
    ///   - finding: the finding.
    ///   - uri: the finding's file as the report names it (its relative URI).
    public mutating func fingerprint(of finding: RecordError, uri: String) -> String {
        let text = finding.line.map { lineText(finding.file, $0) } ?? []
        var material = Array("\(finding.code.rawValue)\u{0}\(uri)\u{0}".utf8) + text
        let key = String(decoding: material, as: UTF8.self)
        let occurrence = occurrences[key, default: 0]
        occurrences[key] = occurrence + 1
        material += Array("\u{0}\(occurrence)".utf8)
        let digest = SHA256.hash(material)
        return Hex.encode(digest.prefix(16))
    }

    /// The text of a line of a file, spaces at both ends trimmed (empty when unreadable).
    private mutating func lineText(_ file: String, _ line: Int) -> [UInt8] {
        if lines?.file != file {
            let bytes = (try? RecordFile.read(file, sizeLimit: Record.defaultSizeLimit, in: cwd)) ?? []
            lines = (file, bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init))
        }
        guard let all = lines?.text, line >= 1, line <= all.count else { return [] }
        var text = all[line - 1][...]
        while let c = text.first, c == 0x20 || c == 0x09 { text = text.dropFirst() }
        while let c = text.last, c == 0x20 || c == 0x09 || c == 0x0D { text = text.dropLast() }
        return Array(text)
    }
}
