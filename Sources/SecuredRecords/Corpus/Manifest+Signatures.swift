import SecuredCrypto

extension Manifest {
    /// Checks the signatures (SPEC section 6): the HMAC line, the detached `.minisig`, or
    /// both; each that the supplied keys can verify is verified.
    ///
    /// - Returns: SR019 findings, and notes saying which signatures were verified and which
    ///   could not be checked.
    static func checkSignatures(
        _ parsed: Parsed, bytes: [UInt8], manifest: String, keys: KeyRing, workingDirectory: String? = nil
    ) -> (findings: [RecordError], notes: [Note]) {
        var tally = SignatureTally()
        var notes: [Note] = []
        let signatureLine = parsed.signatureLine
        if let (text, number) = signatureLine {
            checkSignatureLine(text, number, bytes[..<parsed.bodyEnd], manifest: manifest, keys: keys, &tally)
        }
        let minisigPath = manifest + minisigSuffix
        let minisigFile = FilePath.resolved(minisigPath, in: workingDirectory)
        let hasMinisig = FilePath.kind(minisigFile) != nil
        if hasMinisig { checkMinisig(minisigPath, at: minisigFile, bytes, keys: keys, &tally) }
        if signatureLine == nil && !hasMinisig {
            tally.finding(nil, manifest, "manifest has neither a '# signature:' line nor a detached .minisig")
        } else if keys.isEmpty {
            notes.append(
                Note(
                    .manifestSignatureNotChecked, path: manifest, line: signatureLine?.number,
                    message: "no key supplied; not checked: \(tally.unverifiable.joined(separator: "; "))"))
        } else if tally.verified.isEmpty && tally.findings.isEmpty {
            tally.finding(
                signatureLine?.number, manifest,
                "no signature of the manifest could be checked with the supplied keys: \(tally.unverifiable.joined(separator: "; "))"
            )
        } else {
            if !tally.verified.isEmpty {
                notes.append(
                    Note(
                        .manifestSignatureVerified, path: manifest,
                        message: "verified: \(tally.verified.joined(separator: "; "))"))
            }
            if !tally.unverifiable.isEmpty && tally.findings.isEmpty {
                notes.append(
                    Note(
                        .manifestSignatureNotChecked, path: manifest,
                        message: "not checked: \(tally.unverifiable.joined(separator: "; "))"))
            }
        }
        return (tally.findings, notes)
    }

    /// What the checks of a manifest's signatures found: SR019 findings, and the signatures
    /// verified or not checkable (each a phrase for a note).
    private struct SignatureTally {
        var findings: [RecordError] = []
        var verified: [String] = []
        var unverifiable: [String] = []

        mutating func finding(_ line: Int?, _ file: String, _ reason: String) {
            findings.append(RecordError(.sr019ManifestSignature, file: file, line: line, reason: reason))
        }
    }

    /// The `# signature:` line (`text`, line `number`): an HMAC over the manifest's `body`.
    private static func checkSignatureLine(
        _ text: String, _ number: Int, _ body: ArraySlice<UInt8>, manifest: String, keys: KeyRing,
        _ tally: inout SignatureTally
    ) {
        let value = text.dropFirst(signaturePrefix.count).drop { $0 == " " }
        switch SignatureValue.parse(value) {
        case .failure(let problem):
            tally.finding(number, manifest, "malformed signature line: \(problem.reason)")
        case .success(let signature) where signature.algorithm != .hmacSHA256:
            tally.finding(
                number, manifest,
                "malformed signature line: it holds HMAC (v1) signatures only; the Ed25519 one is the .minisig")
        case .success(let signature) where keys.isEmpty:
            tally.unverifiable.append("the '# signature:' line (key '\(signature.keyID)')")
        case .success(let signature):
            if let key = keys.macKey(id: signature.keyID), let macKey = key.authenticationKey {
                let expected = Manifest.tag(Array(body), macKey: macKey)
                if ConstantTime.equals(expected, signature.tag) {
                    tally.verified.append("the '# signature:' line (HMAC, key '\(key.id)')")
                } else {
                    tally.finding(
                        number, manifest,
                        "manifest signature does not match key '\(key.id)': the manifest was changed or the key is wrong"
                    )
                }
            } else {
                tally.unverifiable.append(
                    "the '# signature:' line: key '\(signature.keyID)' was not supplied as a secret key with 'mac'")
            }
        }
    }

    /// The detached signature `minisigPath` (read at `file`): Ed25519 over the manifest's `bytes`.
    private static func checkMinisig(
        _ minisigPath: String, at file: String, _ bytes: [UInt8], keys: KeyRing, _ tally: inout SignatureTally
    ) {
        switch readMinisig(file) {
        case .failure(let problem) where !keys.isEmpty:
            tally.finding(problem.line, minisigPath, "malformed detached signature: \(problem.reason)")
        case .failure: tally.unverifiable.append("the detached signature \(FilePath.display(minisigPath)) (malformed)")
        case .success where keys.isEmpty:
            tally.unverifiable.append("the detached signature \(FilePath.display(minisigPath))")
        case .success(let signature):
            if let pub = keys.publicKey(keyNumber: signature.keyNumber) {
                switch (try? signature.verify(bytes, with: pub.key)) ?? .signatureFails {
                case .valid:
                    tally.verified.append("the detached signature (Ed25519, key '\(pub.id)')")
                case .signatureFails:
                    tally.finding(
                        nil, minisigPath,
                        "detached signature does not match public key '\(pub.id)': the manifest was changed or the key is wrong"
                    )
                case .trustedCommentFails:
                    tally.finding(
                        nil, minisigPath,
                        "the trusted comment of the detached signature was changed (global signature fails)")
                }
            } else {
                tally.unverifiable.append(
                    "the detached signature: no supplied public key has minisign key ID \(SecuredPublicKey.minisignKeyID(of: signature.keyNumber))"
                )
            }
        }
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
