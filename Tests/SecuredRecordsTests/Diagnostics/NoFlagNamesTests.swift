import Foundation
import TestSupport
import Testing

/// The library says what is missing in its own terms ("no key was given"); the command line
/// adds its flags when it renders the message. So no string in the library's sources names a
/// flag, except inside a command line it suggests (`git rm --cached`, `secured share … --out`)
/// or as one argument word of such a command (`"--cached"`). Comments may describe flags.
@Suite("Library messages name no command-line flag")
struct NoFlagNamesTests {
    /// The flags a line of source names outside comments and suggested command lines.
    static func flagNames(in line: String) -> [String] {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard !trimmed.hasPrefix("//") else { return [] }
        let chars = Array(line)
        var found: [String] = []
        var i = 0
        while i + 2 < chars.count {
            defer { i += 1 }
            guard chars[i] == "-", chars[i + 1] == "-", chars[i + 2].isLowercase, chars[i + 2].isASCII else { continue }
            guard i == 0 || chars[i - 1] != "-" else { continue }
            let before = String(chars[..<i])
            // One argument word of a command the library runs or suggests: `"--cached"`.
            if before.hasSuffix("\"") { continue }
            // Inside a command line it suggests: after `git ` or `secured ` on the same line.
            if before.range(of: #"\b(git|secured) "#, options: .regularExpression) != nil { continue }
            var end = i + 2
            while end < chars.count, chars[end].isLetter || chars[end] == "-" { end += 1 }
            found.append(String(chars[i..<end]))
        }
        return found
    }

    @Test func theCheckFindsAFlagInAMessageAndSparesCommandsAndComments() {
        #expect(
            Self.flagNames(in: #"    throw ConfigurationError(.noKey, "pass --key PATH or set SECURED_KEY")"#) == [
                "--key"
            ])
        #expect(Self.flagNames(in: #"        "not searched (--size-limit)""#) == ["--size-limit"])
        #expect(Self.flagNames(in: #"    /// Reads `--key` files."#).isEmpty)
        #expect(Self.flagNames(in: #"    let fix = words(["git", "rm", "--cached", "--"], paths: [p])"#).isEmpty)
        #expect(Self.flagNames(in: #"    "keep it out of the commit (git rm --cached)""#).isEmpty)
        #expect(Self.flagNames(in: #"    "then: secured share \(key) --out \(out)""#).isEmpty)
    }

    @Test func noLibrarySourceNamesAFlagInAMessage() throws {
        let root = TestPaths.repositoryRoot.appendingPathComponent("Sources/SecuredRecords")
        let files = try #require(FileManager.default.enumerator(atPath: root.path))
            .compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        var offenders: [String] = []
        for file in files.sorted() {
            let text = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let flags = Self.flagNames(in: String(line))
                if !flags.isEmpty { offenders.append("\(file):\(number + 1): \(flags.joined(separator: ", "))") }
            }
        }
        #expect(
            offenders.isEmpty,
            "say what is missing; the command line words it as its flags (Remedy):\n\(offenders.joined(separator: "\n"))"
        )
    }
}
