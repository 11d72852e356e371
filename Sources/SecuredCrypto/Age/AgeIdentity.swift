/// An age X25519 identity, `AGE-SECRET-KEY-1…`: a secret scalar in wiped storage.
public final class AgeIdentity: Sendable {
    let secret: SecureBytes
    /// Its recipient, `age1…`.
    public let recipient: AgeRecipient

    init(secret: SecureBytes) throws {
        self.secret = secret
        recipient = AgeRecipient(publicKey: try X25519.publicKey(secret: secret))
    }

    /// A new identity from the random source.
    public static func generate() throws -> AgeIdentity {
        try AgeIdentity(secret: SecureBytes(count: X25519.keySize) { try SecureRandom.fill($0) })
    }

    /// Parses `AGE-SECRET-KEY-1…` (uppercase Bech32, as age writes it).
    public convenience init(parsing text: some StringProtocol) throws(AgeKeyError) {
        guard text.hasPrefix("AGE-SECRET-KEY-1"), String(text) == text.uppercased() else {
            throw AgeKeyError("not an age X25519 identity (they start with 'AGE-SECRET-KEY-1')")
        }
        var data: [UInt8]
        do {
            let decoded = try Bech32.decode(String(text))
            guard decoded.hrp == "age-secret-key-", decoded.data.count == 32 else {
                throw AgeKeyError("not an age X25519 identity (32 bytes)")
            }
            data = decoded.data
        } catch let error as AgeKeyError {
            throw error
        } catch {
            throw AgeKeyError("the identity is not valid Bech32")
        }
        defer { secureWipe(&data) }
        do {
            try self.init(secret: SecureBytes(copying: data))
        } catch {
            throw AgeKeyError("the identity is not a usable X25519 key")
        }
    }

    /// Identities from an identity file's text: `AGE-SECRET-KEY-1…` lines, `#` comments and
    /// blank lines.
    /// - Throws: ``AgeKeyError`` naming `source` and the line (never its text).
    public static func parseFile(_ text: String, source: String) throws(AgeKeyError) -> [AgeIdentity] {
        var out: [AgeIdentity] = []
        for (number, line) in ageFileLines(text) {
            do {
                out.append(try AgeIdentity(parsing: line))
            } catch {
                throw AgeKeyError("\(source):\(number): \(error.reason)")
            }
        }
        guard !out.isEmpty else { throw AgeKeyError("\(source): no identity (an AGE-SECRET-KEY-1… line) in it") }
        return out
    }

    /// The identity file `age-keygen` would write: `# created:` and `# public key:` comments,
    /// then the secret line.
    public func identityFileText(created: String) -> String {
        let encoded = secret.withUnsafeBytes { Bech32.encode(hrp: "AGE-SECRET-KEY-", data: $0, uppercase: true) }
        return "# created: \(created)\n# public key: \(recipient)\n\(encoded)\n"
    }
}
