import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Signs and verifies records (SPEC section 4).
///
/// The tag is `HMAC-SHA256(K_mac, "secured-record-v1\n" || R')`, where `R'` is the record
/// without its `signature` line, without a leading BOM, and with every CRLF as LF: line
/// ending conversions and BOMs do not break signatures, and moving the line keeps it valid.
///
/// ```swift
/// let signed = try RecordSigner.sign(record, with: key)
/// let check = try RecordSigner.verify(signed, keys: ring).get()   // .valid(keyID: "demo")
/// ```
public enum RecordSigner {
    static let domain = Array("secured-record-v1\n".utf8)

    /// The record's `signature`, parsed, or `nil` when it has none.
    ///
    /// - Returns: the signature, or SR009 for a repeated line, an unknown version, a value
    ///   not of the form `v1;<key id>;<base64>`, or a tag that is not canonical base64 of 32 bytes.
    public static func signature(of record: Record) -> Result<RecordSignature?, RecordError> {
        let lines = record.topLevelLines(forKey: "signature")
        guard let line = lines.first else { return .success(nil) }
        func fail(_ at: Int, _ reason: String) -> Result<RecordSignature?, RecordError> {
            .failure(
                RecordError(.sr009SignatureMalformed, file: record.file, line: at, field: "signature", reason: reason))
        }
        if lines.count > 1 {
            return fail(
                lines[1].line.number,
                "'signature' appears on \(lines.count) top-level lines (first on line \(line.line.number))")
        }
        switch LiteralValue.valueRange(field: "signature", of: line, in: record) {
        case .failure(let problem):
            return fail(line.line.number, "'signature' is not written literally: \(problem.reason)")
        case .success(let (range, _)):
            let text = Substring(decoding: record.bytes[range], as: UTF8.self)
            switch SignatureValue.parse(text) {
            case .failure(let problem): return fail(line.line.number, "'signature': \(problem.reason)")
            case .success(let value): return .success(RecordSignature(value: value, line: line.line.number))
            }
        }
    }

    /// `R'`: the bytes the tag covers (without the domain prefix).
    ///
    /// - Parameter record: a record with at most one `signature` line.
    /// - Returns: the record without its signature line and BOM, CRLF replaced by LF.
    public static func signedBytes(of record: Record) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(record.bytes.count)
        forEachSignedSegment(of: record) { out.append(contentsOf: $0) }
        return out
    }

    /// Calls `body` with the consecutive pieces of `R'`, in order, without copying: the
    /// record's bytes minus the BOM, the signature line and the CR of every CRLF.
    static func forEachSignedSegment(
        of record: Record, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        let skip = record.signatureLine?.line.range ?? 0..<0
        let first = record.hasBOM ? 3 : 0
        let ranges =
            skip.isEmpty
            ? [first..<record.bytes.count] : [first..<skip.lowerBound, skip.upperBound..<record.bytes.count]
        try record.bytes.withUnsafeBytes { (all: UnsafeRawBufferPointer) in
            for range in ranges where !range.isEmpty {
                var start = range.lowerBound
                var i = start
                while let found = Self.indexOfCR(all, from: i, to: range.upperBound) {
                    if found + 1 < range.upperBound && all[found + 1] == 0x0A {
                        try body(UnsafeRawBufferPointer(rebasing: all[start..<found]))
                        start = found + 1
                    }
                    i = found + 1
                }
                try body(UnsafeRawBufferPointer(rebasing: all[start..<range.upperBound]))
            }
        }
    }

    private static func indexOfCR(_ bytes: UnsafeRawBufferPointer, from: Int, to: Int) -> Int? {
        guard from < to, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + from, 0x0D, to - from) else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    /// The tag of `record` under `key`.
    static func tag(of record: Record, macKey: HMACSHA256.PreparedKey) -> [UInt8] {
        macKey.authenticationCode { feed in
            domain.withUnsafeBytes { feed($0) }
            forEachSignedSegment(of: record, feed)
        }
    }

    /// What an Ed25519 record signature covers: `"secured-record-v1\n" || R'`.
    static func signedMessage(of record: Record) -> [UInt8] {
        // Pure Ed25519 takes the whole message at once: R' is gathered into one buffer.
        var out = domain
        out.reserveCapacity(domain.count + record.bytes.count)
        forEachSignedSegment(of: record) { out.append(contentsOf: $0) }
        return out
    }

    /// Signs `record`: replaces its `signature` line in place, or inserts one directly
    /// after the `secured` line, or, without one, directly before the closing `---`.
    ///
    /// - Parameters:
    ///   - record: the record.
    ///   - key: a key with a `mac`.
    ///   - choice: Ed25519 or HMAC (``SigningChoice``).
    /// - Returns: the signed record; only the signature line differs.
    /// - Throws: ``RecordError``: `.refused` for a key without `mac` or for an inserted line
    ///   that would break valid YAML (keys indented), SR009 for a record with two signature lines.
    public static func sign(
        _ record: Record, with key: SecuredKey, choice: SigningChoice = .preferred
    ) throws(RecordError) -> Record {
        let signed = try placeSignature(record, with: key, choice: choice)
        // Inserting a line can break valid YAML (keys indented), and so can replacing one:
        // the old value may have continued onto the next lines (an unclosed quote).
        if (try? FrontMatterValidator.validate(record)) != nil {
            try FrontMatterValidator.refuseIfBroken(signed, by: "signing")
        }
        return signed
    }

    /// ``sign(_:with:)`` without the YAML check of the result, for callers that know the
    /// line lands where it cannot break the YAML (right after a valid `secured` line).
    static func placeSignature(
        _ record: Record, with key: SecuredKey, choice: SigningChoice = .preferred
    ) throws(RecordError) -> Record {
        let lines = record.topLevelLines(forKey: "signature")
        if lines.count > 1 {
            throw RecordError(
                .sr009SignatureMalformed, file: record.file, line: lines[1].line.number, field: "signature",
                reason: "'signature' appears on \(lines.count) top-level lines; remove all but one, then sign")
        }
        let value: SignatureValue
        if choice == .preferred, let signer = key.signingKey {
            let signature: [UInt8]
            do {
                signature = try signer.signature(for: signedMessage(of: record))
            } catch {
                throw RecordError(.io, file: record.file, reason: "cannot compute the Ed25519 signature: \(error)")
            }
            value = SignatureValue(algorithm: .ed25519, keyID: key.id, tag: signature)
        } else if let macKey = key.preparedAuthenticationKey {
            value = SignatureValue(algorithm: .hmacSHA256, keyID: key.id, tag: tag(of: record, macKey: macKey))
        } else {
            throw RecordError(
                .refused, file: record.file,
                reason:
                    choice == .hmac
                    ? "key '\(key.id)' (fingerprint \(key.fingerprint)) has no 'mac': it cannot sign with HMAC"
                    : "key '\(key.id)' (fingerprint \(key.fingerprint)) has neither 'sign' nor 'mac': it can decrypt but not sign"
            )
        }
        let content = "signature: \"\(value.serialized)\""
        let signed: Record
        if let existing = lines.first {
            signed = try record.replacingTopLevelLine(existing, with: content)
        } else if let secured = record.securedLine {
            signed = try record.insertingLine(content, at: secured.line.range.upperBound)
        } else {
            signed = try record.insertingLine(content, at: record.closingLine.range.lowerBound)
        }
        try signed.refuseUnlessLiteral("signature", by: "signing", inserted: lines.isEmpty)
        return signed
    }

    /// Checks `record`'s signature. Never decrypts anything.
    ///
    /// - Parameters:
    ///   - record: the record.
    ///   - keys: the supplied keys.
    /// - Returns: the check, or SR009 (malformed), SR010 (no supplied key with a `mac` has
    ///   that id; only when at least one key was supplied) or SR011 (wrong tag).
    public static func verify(_ record: Record, keys: KeyRing) -> Result<SignatureCheck, RecordError> {
        let parsed: RecordSignature
        switch signature(of: record) {
        case .failure(let error): return .failure(error)
        case .success(nil): return .success(.unsigned)
        case .success(let signature?): parsed = signature
        }
        if keys.isEmpty { return .success(.notChecked(keyID: parsed.keyID)) }
        func failure(_ code: RecordError.Code, _ reason: String) -> Result<SignatureCheck, RecordError> {
            .failure(
                RecordError(
                    code, file: record.file, line: parsed.line, field: "signature", reason: reason,
                    keyID: parsed.keyID))
        }
        let matches: Bool
        let named: String
        switch parsed.value.algorithm {
        case .hmacSHA256:
            guard let key = keys.macKey(id: parsed.keyID), let macKey = key.preparedAuthenticationKey else {
                let given =
                    keys.holdsSecretKey(id: parsed.keyID) || keys.publicKey(id: parsed.keyID) != nil
                    ? "the key given with that id has no 'mac' (a public, read-only or passphrase key): a v1 signature verifies only with the secret key file"
                    : "no secret key with that id and a 'mac' was supplied"
                return failure(
                    .sr010UnknownKeyID,
                    "'signature' (v1, HMAC) names key id '\(parsed.keyID)', but \(given) (keys given: \(keys.loadedDescription))"
                )
            }
            let expected = tag(of: record, macKey: macKey)
            matches = ConstantTime.equals(expected, parsed.value.tag)
            named = "key '\(key.id)' (fingerprint \(key.fingerprint))"
        case .ed25519:
            guard let pub = keys.publicKey(id: parsed.keyID) else {
                let given =
                    keys.holdsSecretKey(id: parsed.keyID)
                    ? "the key given with that id decrypts but cannot verify (a read-only or passphrase key): give its public key too, \(parsed.keyID).pub"
                    : "no public key, or secret key with 'sign', with that id was supplied"
                return failure(
                    .sr010UnknownKeyID,
                    "'signature' (ed25519) names key id '\(parsed.keyID)', but \(given) (keys given: \(keys.loadedDescription))"
                )
            }
            matches = pub.key.isValidSignature(parsed.value.tag, for: signedMessage(of: record))
            named = "public key '\(pub.id)' (minisign key ID \(pub.minisignKeyID))"
        }
        guard matches else {
            return failure(
                .sr011SignatureMismatch,
                "signature does not match \(named): the record was changed or the key is wrong")
        }
        return .success(.valid(keyID: parsed.keyID))
    }
}
