/// An age X25519 recipient, `age1…`.
public struct AgeRecipient: Sendable, Equatable, CustomStringConvertible {
    /// The X25519 public key.
    public let publicKey: [UInt8]

    init(publicKey: [UInt8]) { self.publicKey = publicKey }

    /// Parses `age1…` (lowercase Bech32).
    /// - Throws: ``AgeKeyError`` saying why (never repeating the text).
    public init(parsing text: String) throws(AgeKeyError) {
        guard text.hasPrefix("age1"), text == text.lowercased() else {
            throw AgeKeyError("not an age X25519 recipient (they start with 'age1', in lowercase)")
        }
        do {
            let (hrp, data) = try Bech32.decode(text)
            guard hrp == "age", data.count == 32 else {
                throw AgeKeyError("not an age X25519 recipient ('age1' and 32 bytes)")
            }
            publicKey = data
        } catch let error as AgeKeyError {
            throw error
        } catch {
            throw AgeKeyError("not valid Bech32 (\(error))")
        }
    }

    public var description: String { Bech32.encode(hrp: "age", data: publicKey) }

    /// Recipients from a file's text: one per line, `#` comments and blank lines allowed.
    public static func parseList(_ text: String, source: String) throws(AgeKeyError) -> [AgeRecipient] {
        var out: [AgeRecipient] = []
        for (number, line) in ageFileLines(text) {
            do {
                out.append(try AgeRecipient(parsing: String(line)))
            } catch {
                throw AgeKeyError("\(source):\(number): \(error.reason)")
            }
        }
        return out
    }
}

/// The lines of an identity or recipients file that hold something, numbered from 1: LF or
/// CRLF line ends, spaces and tabs around them trimmed, blank lines and `#` comments left out.
func ageFileLines(_ text: String) -> [(number: Int, text: Substring)] {
    textLines(text).compactMap { number, line in
        var trimmed = line.drop { $0 == " " || $0 == "\t" }
        while trimmed.last == " " || trimmed.last == "\t" { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (number, trimmed)
    }
}
