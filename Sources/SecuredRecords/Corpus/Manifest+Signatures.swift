import SecuredCrypto

extension Manifest {
    /// Checks the signatures (SPEC section 6): the HMAC line, the detached `.minisig`, or
    /// both; each that the supplied keys can verify is verified.
    ///
    /// - Returns: SR019 findings, and notes saying which signatures were verified and which
    ///   could not be checked.
    static func checkSignatures(_ parsed: Parsed, bytes: [UInt8], manifest: String, keys: KeyRing)
        -> (findings: [RecordError], notes: [Note])
    {
        var findings: [RecordError] = []
        var notes: [Note] = []
        let signatureLine = parsed.signatureLine
        let bodyEnd = parsed.bodyEnd
        var verified: [String] = []
        var unverifiable: [String] = []
        var signatureFindings = 0
        func signatureFinding(_ line: Int?, _ file: String, _ reason: String) {
            findings.append(RecordError(.sr019ManifestSignature, file: file, line: line, reason: reason))
            signatureFindings += 1
        }
        if let (text, number) = signatureLine {
            let value = text.dropFirst(signaturePrefix.count).drop { $0 == " " }
            switch SignatureValue.parse(value) {
            case .failure(let problem):
                signatureFinding(number, manifest, "malformed signature line: \(problem.reason)")
            case .success(let signature) where signature.algorithm != .hmacSHA256:
                signatureFinding(
                    number, manifest,
                    "malformed signature line: it holds HMAC (v1) signatures only; the Ed25519 one is the .minisig")
            case .success(let signature) where keys.isEmpty:
                unverifiable.append("the '# signature:' line (key '\(signature.keyID)')")
            case .success(let signature):
                if let key = keys.macKey(id: signature.keyID), let macKey = key.authenticationKey {
                    let expected = Manifest.tag(Array(bytes[..<bodyEnd]), macKey: macKey)
                    if ConstantTime.equals(expected, signature.tag) {
                        verified.append("the '# signature:' line (HMAC, key '\(key.id)')")
                    } else {
                        signatureFinding(
                            number, manifest,
                            "manifest signature does not match key '\(key.id)': the manifest was changed or the key is wrong"
                        )
                    }
                } else {
                    unverifiable.append(
                        "the '# signature:' line: key '\(signature.keyID)' was not supplied as a secret key with 'mac'")
                }
            }
        }
        let minisigPath = manifest + minisigSuffix
        let hasMinisig = FilePath.kind(minisigPath) != nil
        if hasMinisig {
            switch readMinisig(minisigPath) {
            case .failure(let problem) where !keys.isEmpty:
                signatureFinding(problem.line, minisigPath, "malformed detached signature: \(problem.reason)")
            case .failure: unverifiable.append("the detached signature \(FilePath.display(minisigPath)) (malformed)")
            case .success where keys.isEmpty:
                unverifiable.append("the detached signature \(FilePath.display(minisigPath))")
            case .success(let signature):
                if let pub = keys.publicKey(keyNumber: signature.keyNumber) {
                    switch (try? signature.verify(bytes, with: pub.key)) ?? .signatureFails {
                    case .valid:
                        verified.append("the detached signature (Ed25519, key '\(pub.id)')")
                    case .signatureFails:
                        signatureFinding(
                            nil, minisigPath,
                            "detached signature does not match public key '\(pub.id)': the manifest was changed or the key is wrong"
                        )
                    case .trustedCommentFails:
                        signatureFinding(
                            nil, minisigPath,
                            "the trusted comment of the detached signature was changed (global signature fails)")
                    }
                } else {
                    unverifiable.append(
                        "the detached signature: no supplied public key has minisign key ID \(SecuredPublicKey.minisignKeyID(of: signature.keyNumber))"
                    )
                }
            }
        }
        if signatureLine == nil && !hasMinisig {
            signatureFinding(nil, manifest, "manifest has neither a '# signature:' line nor a detached .minisig")
        } else if keys.isEmpty {
            notes.append(
                Note(
                    .manifestSignatureNotChecked, path: manifest, line: signatureLine?.number,
                    message: "no key supplied; not checked: \(unverifiable.joined(separator: "; "))"))
        } else if verified.isEmpty && signatureFindings == 0 {
            signatureFinding(
                signatureLine?.number, manifest,
                "no signature of the manifest could be checked with the supplied keys: \(unverifiable.joined(separator: "; "))"
            )
        } else {
            if !verified.isEmpty {
                notes.append(
                    Note(
                        .manifestSignatureVerified, path: manifest,
                        message: "verified: \(verified.joined(separator: "; "))"))
            }
            if !unverifiable.isEmpty && signatureFindings == 0 {
                notes.append(
                    Note(
                        .manifestSignatureNotChecked, path: manifest,
                        message: "not checked: \(unverifiable.joined(separator: "; "))"))
            }
        }
        return (findings, notes)
    }

    /// The detached signature beside a manifest, parsed.
    private static func readMinisig(_ path: String) -> Result<MinisignSignature, MinisignSignature.FormatError> {
        guard let bytes = try? RecordFile.read(path, sizeLimit: 64 * 1024), UTF8Validation.isValid(bytes[...]) else {
            return .failure(.init(line: nil, reason: "unreadable, over 64 KiB, or not UTF-8"))
        }
        do {
            return .success(try MinisignSignature(parsing: String(decoding: bytes, as: UTF8.self)))
        } catch {
            return .failure(error)
        }
    }
}
