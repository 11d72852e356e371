/// The age file format (`age-encryption.org/v1`, C2SP), as much as SPEC section 3 needs: X25519
/// recipients, the header and its MAC, the STREAM payload, strict ASCII armor, Bech32 keys.
///
/// Decryption releases nothing until the whole file has checked out: the header MAC, then
/// every payload chunk, the final one included.
///
/// ```swift
/// let identity = try AgeIdentity.generate()
/// let file = try AgeFile.encrypt(Array("secret".utf8), to: [identity.recipient])
/// let text = try AgeFile.decrypt(file, identities: [identity])   // SecureBytes
/// ```
public enum AgeFile {
    /// The armor's first line.
    public static let armorBegin = "-----BEGIN AGE ENCRYPTED FILE-----"
    /// The armor's last line.
    public static let armorEnd = "-----END AGE ENCRYPTED FILE-----"
    static let versionLine = "age-encryption.org/v1"
    static let chunkSize = 64 * 1024
    static let x25519Info = "age-encryption.org/v1/X25519"
    /// Headers longer than this are refused (a key file's header is a few hundred bytes).
    static let maximumHeader = 1 << 20

    /// Whether `bytes` are an age file: armored (after leading whitespace) or binary.
    public static func looksLikeAge(_ bytes: some Collection<UInt8>) -> Bool {
        let trimmed = bytes.drop { isWhitespace($0) }
        return trimmed.starts(with: armorBegin.utf8) || bytes.starts(with: "age-encryption.org/".utf8)
    }

    static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }

    // MARK: - Encryption

    /// Encrypts `plaintext` to `recipients` with a new random file key (one X25519 stanza
    /// each), armored unless `armored` is false.
    /// - Throws: ``AgeError/header(_:)`` for an empty recipient list or a recipient key no
    ///   X25519 exchange accepts; a ``CryptoError`` when the random source or OpenSSL fails.
    public static func encrypt(_ plaintext: [UInt8], to recipients: [AgeRecipient], armored: Bool = true) throws
        -> [UInt8]
    {
        guard !recipients.isEmpty else {
            throw AgeError.header("no recipient: a file must be encrypted to at least one")
        }
        let fileKey = try SymmetricKey(size: .bits128)
        var header = Array((versionLine + "\n").utf8)
        for recipient in recipients {
            let ephemeral = try SecureBytes(count: X25519.keySize) { try SecureRandom.fill($0) }
            let share = try X25519.publicKey(secret: ephemeral)
            let shared: SecureBytes
            do {
                shared = try X25519.sharedSecret(secret: ephemeral, peer: recipient.publicKey)
            } catch {
                throw AgeError.header("recipient \(recipient) is not a usable X25519 key")
            }
            let wrapKey = try shared.withUnsafeBytes {
                try HKDFSHA256.deriveKey(
                    inputKeyMaterial: $0, salt: share + recipient.publicKey, info: Array(x25519Info.utf8))
            }
            let body = try fileKey.withUnsafeBytes {
                try ChaCha20Poly1305.seal($0, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12))
            }
            header += Array("-> X25519 \(rawBase64(share))\n".utf8)
            header += wrapped(rawBase64(body))
        }
        header += Array("---".utf8)
        let mac = try HMACSHA256.authenticationCode(for: header, using: headerKey(fileKey))
        header += Array(" \(rawBase64(mac))\n".utf8)
        let nonce = try SecureRandom.bytes(count: 16)
        let payloadKey = try HKDFSHA256.deriveKey(from: fileKey, salt: nonce, info: "payload")
        var out = header + nonce
        var start = 0
        var counter: UInt64 = 0
        repeat {
            let end = min(start + chunkSize, plaintext.count)
            let last = end == plaintext.count
            out += try plaintext[start..<end].withUnsafeBytes {
                try ChaCha20Poly1305.seal($0, key: payloadKey, nonce: chunkNonce(counter, last: last))
            }
            start = end
            counter += 1
        } while start < plaintext.count
        return armored ? armor(out) : out
    }

    /// A stanza body: base64 wrapped at 64 columns, ending with a line shorter than 64.
    private static func wrapped(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var rest = Array(text.utf8)[...]
        while rest.count >= 64 {
            out += rest.prefix(64) + [0x0A]
            rest = rest.dropFirst(64)
        }
        return out + rest + [0x0A]
    }

    /// RFC 7468 strict PEM, label `AGE ENCRYPTED FILE`, 64 columns, LF line ends.
    public static func armor(_ bytes: [UInt8]) -> [UInt8] {
        var out = Array((armorBegin + "\n").utf8)
        var text = Array(Base64.encode(bytes).utf8)[...]
        while !text.isEmpty {
            out += text.prefix(64) + [0x0A]
            text = text.dropFirst(64)
        }
        return out + Array((armorEnd + "\n").utf8)
    }

    // MARK: - Decryption

    /// Decrypts an age file (armored or binary) with the first identity that unwraps one of
    /// its X25519 stanzas; other stanza types are ignored.
    ///
    /// - Parameters:
    ///   - file: the age file's bytes.
    ///   - identities: the identities to try, in order.
    ///   - armored: whether the file is armored; `nil`: armored when its first non-blank
    ///     characters are `-----` (a PEM line).
    /// - Returns: the plaintext, in wiped storage, only once every check has passed.
    /// - Throws: ``AgeError``: bad armor, a malformed header, no matching identity, a
    ///   failed header MAC, or a payload that fails authentication or is truncated.
    public static func decrypt(_ file: [UInt8], identities: [AgeIdentity], armored: Bool? = nil) throws(AgeError)
        -> SecureBytes
    {
        let isArmored = armored ?? file.drop { isWhitespace($0) }.starts(with: "-----".utf8)
        let bytes = isArmored ? try dearmor(file) : file
        let header = try Header(parsing: bytes)
        let fileKey = try header.unwrap(with: identities)
        do {
            let expected = try HMACSHA256.authenticationCode(
                for: bytes[..<header.macInputEnd], using: headerKey(fileKey))
            guard constantTimeEqual(expected, header.mac) else { throw AgeError.headerMAC }
        } catch let error as AgeError {
            throw error
        } catch {
            throw .header("the header MAC could not be computed")
        }
        return try payload(bytes[header.payloadStart...], fileKey: fileKey)
    }

    private static func payload(_ rest: ArraySlice<UInt8>, fileKey: SymmetricKey) throws(AgeError) -> SecureBytes {
        guard rest.count >= 16 else { throw .header("the payload nonce is missing or short") }
        let nonce = Array(rest.prefix(16))
        let sealed = rest.dropFirst(16)
        guard !sealed.isEmpty else { throw .payload("the payload has no chunk") }
        let sealedChunk = chunkSize + ChaCha20Poly1305.tagSize
        let chunks = (sealed.count + sealedChunk - 1) / sealedChunk
        let lastSize = sealed.count - (chunks - 1) * sealedChunk
        guard lastSize >= ChaCha20Poly1305.tagSize else { throw .payload("the last chunk is truncated") }
        if chunks > 1 && lastSize == ChaCha20Poly1305.tagSize {
            throw .payload("the final chunk is empty (only an empty payload may have one)")
        }
        let payloadKey: SymmetricKey
        do {
            payloadKey = try HKDFSHA256.deriveKey(from: fileKey, salt: nonce, info: "payload")
        } catch {
            throw .payload("the payload key could not be derived")
        }
        let plainCount = sealed.count - chunks * ChaCha20Poly1305.tagSize
        do {
            return try SecureBytes(count: plainCount) { out in
                try sealed.withUnsafeBytes { input in
                    for index in 0..<chunks {
                        let start = index * sealedChunk
                        let end = min(start + sealedChunk, input.count)
                        let outStart = index * chunkSize
                        let piece = UnsafeRawBufferPointer(rebasing: input[start..<end])
                        let target = UnsafeMutableRawBufferPointer(
                            rebasing: out[outStart..<(outStart + piece.count - ChaCha20Poly1305.tagSize)])
                        do {
                            try ChaCha20Poly1305.open(
                                piece, key: payloadKey, nonce: chunkNonce(UInt64(index), last: index == chunks - 1),
                                into: target)
                        } catch {
                            throw AgeError.payload(
                                index == chunks - 1
                                    ? "the final chunk fails authentication (damaged, truncated or missing its end)"
                                    : "chunk \(index + 1) of \(chunks) fails authentication")
                        }
                    }
                }
            }
        } catch let error as AgeError {
            throw error
        } catch {
            throw .payload("the payload could not be decrypted")
        }
    }

    static func chunkNonce(_ counter: UInt64, last: Bool) -> [UInt8] {
        var nonce = [UInt8](repeating: 0, count: 12)
        for k in 0..<8 { nonce[10 - k] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * k)) }
        nonce[11] = last ? 1 : 0
        return nonce
    }

    static func headerKey(_ fileKey: SymmetricKey) throws -> SymmetricKey {
        try HKDFSHA256.deriveKey(from: fileKey, salt: [], info: "header")
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }

    /// Strict armor: whitespace allowed only before the first line and after the last; LF or
    /// CRLF line ends; every base64 line 64 columns but the last (1 to 64); canonical padded
    /// base64; no headers, no checksum.
    public static func dearmor(_ file: [UInt8]) throws(AgeError) -> [UInt8] {
        var trimmed = file[...]
        while let b = trimmed.first, isWhitespace(b) { trimmed = trimmed.dropFirst() }
        while let b = trimmed.last, isWhitespace(b) { trimmed = trimmed.dropLast() }
        var lines = trimmed.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            line.last == 0x0D ? line.dropLast() : line
        }
        guard lines.count >= 2, lines.first!.elementsEqual(armorBegin.utf8) else {
            throw .armor("the first line is not '\(armorBegin)'")
        }
        guard lines.last!.elementsEqual(armorEnd.utf8) else { throw .armor("the last line is not '\(armorEnd)'") }
        lines = Array(lines.dropFirst().dropLast())
        var text: [UInt8] = []
        for (k, line) in lines.enumerated() {
            guard line.allSatisfy({ Base64.isBase64Character($0) }) else {
                throw .armor("line \(k + 2) holds a character outside base64")
            }
            if k < lines.count - 1 {
                guard line.count == 64 else {
                    throw .armor("line \(k + 2) is not 64 columns (only the last may be shorter)")
                }
            } else {
                guard (1...64).contains(line.count) else { throw .armor("the last base64 line is empty or too long") }
            }
            text += line
        }
        switch text.withUnsafeBytes({ Base64.decode(bytes: $0) }) {
        case .success(let bytes): return bytes
        case .failure(let error): throw .armor("the base64 is not canonical: \(error)")
        }
    }

    // MARK: - Base64 without padding (the header's)

    static func rawBase64(_ bytes: [UInt8]) -> String {
        var text = Base64.encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return text
    }

    /// Canonical unpadded base64; `nil` otherwise (padding, a foreign character, stray bits).
    static func rawBase64Decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard !text.contains(UInt8(ascii: "=")), text.count % 4 != 1 else { return nil }
        var padded = Array(text)
        while padded.count % 4 != 0 { padded.append(UInt8(ascii: "=")) }
        return try? padded.withUnsafeBytes { Base64.decode(bytes: $0) }.get()
    }
}
