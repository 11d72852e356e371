/// An age header: its stanzas, its MAC, where the payload starts.
struct Header {
    struct Stanza {
        var arguments: [String]
        var body: [UInt8]
    }

    var stanzas: [Stanza] = []
    var mac: [UInt8] = []
    /// The header bytes the MAC covers end here (after `---`).
    var macInputEnd = 0
    var payloadStart = 0

    init(parsing bytes: [UInt8]) throws(AgeError) {
        var position = 0
        func line() throws(AgeError) -> ArraySlice<UInt8> {
            let limit = min(bytes.count, AgeFile.maximumHeader)
            guard let newline = bytes[position..<limit].firstIndex(of: 0x0A) else {
                throw .header("the header ends without its MAC line")
            }
            defer { position = newline + 1 }
            return bytes[position..<newline]
        }
        guard bytes.count > 0 else { throw .header("the file is empty") }
        let version = try line()
        guard version.elementsEqual(AgeFile.versionLine.utf8) else {
            throw .header(
                version.starts(with: "age-encryption.org/".utf8)
                    ? "an age version this tool does not read" : "not an age file (no 'age-encryption.org/v1' line)")
        }
        while true {
            let start = position
            let text = try line()
            if text.starts(with: "--- ".utf8) {
                guard let mac = AgeFile.rawBase64Decode(text.dropFirst(4)), mac.count == 32 else {
                    throw .header("the MAC line is malformed")
                }
                self.mac = mac
                macInputEnd = start + 3
                break
            }
            guard text.starts(with: "-> ".utf8) else { throw .header("a line is neither a stanza nor the MAC line") }
            let arguments = text.dropFirst(3).split(separator: 0x20, omittingEmptySubsequences: false)
            guard !arguments.isEmpty,
                arguments.allSatisfy({ !$0.isEmpty && $0.allSatisfy { (0x21...0x7E).contains($0) } })
            else { throw .header("a stanza has an empty or invalid argument") }
            var body: [UInt8] = []
            while true {
                let bodyLine = try line()
                guard bodyLine.count <= 64,
                    bodyLine.allSatisfy({ Base64.isBase64Character($0) && $0 != UInt8(ascii: "=") })
                else { throw .header("a stanza body line is malformed") }
                body += bodyLine
                if bodyLine.count < 64 { break }
            }
            guard let decoded = AgeFile.rawBase64Decode(body) else {
                throw .header("a stanza body is not canonical base64")
            }
            stanzas.append(Stanza(arguments: arguments.map { String(decoding: $0, as: UTF8.self) }, body: decoded))
        }
        guard !stanzas.isEmpty else { throw .header("the header has no recipient stanza") }
        payloadStart = position
    }

    /// The file key, from the first identity that unwraps an X25519 stanza.
    func unwrap(with identities: [AgeIdentity]) throws(AgeError) -> SymmetricKey {
        var x25519: [(share: [UInt8], body: [UInt8])] = []
        for stanza in stanzas where stanza.arguments[0] == "X25519" {
            guard stanza.arguments.count == 2 else { throw .header("an X25519 stanza takes exactly one share") }
            guard let share = AgeFile.rawBase64Decode(Array(stanza.arguments[1].utf8)), share.count == 32 else {
                throw .header("an X25519 share is not 32 bytes of canonical base64")
            }
            guard stanza.body.count == 32 else { throw .header("an X25519 stanza body is not 32 bytes") }
            x25519.append((share, stanza.body))
        }
        for identity in identities {
            for (share, body) in x25519 {
                let shared: SecureBytes
                do {
                    shared = try X25519.sharedSecret(secret: identity.secret, peer: share)
                } catch {
                    throw .header("an X25519 share is a low-order point")
                }
                do {
                    let wrapKey = try shared.withUnsafeBytes {
                        try HKDFSHA256.deriveKey(
                            inputKeyMaterial: $0, salt: share + identity.recipient.publicKey,
                            info: Array(AgeFile.x25519Info.utf8))
                    }
                    let storage = try SecureBytes(count: 16) { out in
                        try body.withUnsafeBytes {
                            try ChaCha20Poly1305.open(
                                $0, key: wrapKey, nonce: [UInt8](repeating: 0, count: 12), into: out)
                        }
                    }
                    return SymmetricKey(storage: storage)
                } catch {
                    continue  // not this identity's stanza
                }
            }
        }
        throw .noMatch
    }
}
