extension RecordError.Code {
    /// The diagnostic codes of SPEC section 7, in order.
    public static let diagnostics: [RecordError.Code] = allCases.filter(\.isDiagnostic)

    /// A name for the rule, in CamelCase (SARIF's `rule.name`).
    public var ruleName: String {
        switch self {
        case .sr001NoFrontMatter: return "NoFrontMatter"
        case .sr002AmbiguousFrontMatter: return "AmbiguousFrontMatter"
        case .sr003SecuredMissing: return "SecuredMissing"
        case .sr004SecuredNotLiteral: return "SecuredNotLiteral"
        case .sr005NonCanonicalBase64: return "NonCanonicalBase64"
        case .sr006BadIVLength: return "BadIVLength"
        case .sr007BadCiphertextLength: return "BadCiphertextLength"
        case .sr008SignatureMissing: return "SignatureMissing"
        case .sr009SignatureMalformed: return "SignatureMalformed"
        case .sr010UnknownKeyID: return "UnknownKeyID"
        case .sr011SignatureMismatch: return "SignatureMismatch"
        case .sr012DecryptionFailed: return "DecryptionFailed"
        case .sr013ContentNotUTF8: return "ContentNotUTF8"
        case .sr014IVReused: return "IVReused"
        case .sr015DuplicateBlob: return "DuplicateBlob"
        case .sr016BodyBesideSealedContent: return "BodyBesideSealedContent"
        case .sr017Unreadable: return "Unreadable"
        case .sr018ManifestMismatch: return "ManifestMismatch"
        case .sr019ManifestSignature: return "ManifestSignature"
        case .refused: return "Refused"
        case .io: return "IO"
        }
    }

    /// SPEC section 7's line for the code.
    public var summary: String {
        switch self {
        case .sr001NoFrontMatter: return "No front matter, or it is not terminated."
        case .sr002AmbiguousFrontMatter:
            return
                "Front matter is not a YAML mapping, repeats a key, has a top-level merge key, or disagrees with the line rule."
        case .sr003SecuredMissing: return "'secured' missing (only where the audit requires it)."
        case .sr004SecuredNotLiteral: return "'secured' is not B64;B64 written literally."
        case .sr005NonCanonicalBase64: return "A base64 part is not canonical (length, padding, trailing bits)."
        case .sr006BadIVLength: return "The IV is not 16 bytes."
        case .sr007BadCiphertextLength: return "The ciphertext is empty or not a multiple of 16 bytes."
        case .sr008SignatureMissing: return "'signature' missing (only where the audit requires it)."
        case .sr009SignatureMalformed: return "'signature' malformed, repeated, or of an unknown version."
        case .sr010UnknownKeyID: return "'signature' names a key id for which no key able to verify it was supplied."
        case .sr011SignatureMismatch:
            return "The signature (HMAC tag or Ed25519) does not match: the record was changed or the key is wrong."
        case .sr012DecryptionFailed: return "Decryption failed (bad padding): wrong key or damaged ciphertext."
        case .sr013ContentNotUTF8: return "The decrypted content is not valid UTF-8."
        case .sr014IVReused: return "IV reused: two blobs share an IV but differ in ciphertext."
        case .sr015DuplicateBlob: return "Two records hold the same blob (IV and ciphertext)."
        case .sr016BodyBesideSealedContent:
            return "A sealed record still has a non-blank body (plaintext beside its own ciphertext)."
        case .sr017Unreadable: return "The file is unreadable, not UTF-8, or over the size limit."
        case .sr018ManifestMismatch: return "Manifest: a record is missing, added, or its hash differs."
        case .sr019ManifestSignature:
            return
                "The manifest signature (HMAC line or detached .minisig) is missing, unverifiable with the supplied keys, or does not match."
        case .refused: return "An operation declined to act."
        case .io: return "A file could not be written or replaced."
        }
    }

    /// How to fix a finding of this code.
    public var help: String {
        switch self {
        case .sr001NoFrontMatter:
            return "Start the file with a line '---', end the front matter with another '---' line."
        case .sr002AmbiguousFrontMatter:
            return
                "Make the front matter one YAML mapping with no key repeated at any depth and no top-level '<<'; write 'secured' and 'signature' as top-level lines of their own, in column 0."
        case .sr003SecuredMissing: return "Seal the record: secured seal PATH --key KEY."
        case .sr004SecuredNotLiteral:
            return
                "Write the value on one line as \"<base64>;<base64>\": no escapes, comment, continuation line or other characters. Re-seal with secured seal --reseal if it was damaged."
        case .sr005NonCanonicalBase64, .sr006BadIVLength, .sr007BadCiphertextLength:
            return
                "The blob was damaged or written by a broken tool: restore it from history, or re-seal the original body."
        case .sr008SignatureMissing: return "Sign the record: secured sign PATH --key KEY."
        case .sr009SignatureMalformed:
            return
                "Keep one 'signature' line of the form v1;<id>;<base64> or ed25519;<id>;<base64>, then re-sign: secured sign PATH --key KEY."
        case .sr010UnknownKeyID:
            return
                "Pass the key that signed it (--key Keys/<id>.pub for ed25519 signatures, the secret key for v1), or re-sign with a key you hold."
        case .sr011SignatureMismatch:
            return
                "Someone changed the record after it was signed, or the wrong key was passed. Review the change; if it is wanted, re-sign with secured sign PATH --key KEY."
        case .sr012DecryptionFailed:
            return
                "Pass the key that sealed it, or restore the blob from history: it does not decrypt with the keys given."
        case .sr013ContentNotUTF8: return "Open the record and check its content; re-seal it from a UTF-8 body."
        case .sr014IVReused:
            return
                "Re-seal one of the records (secured seal --reseal after secured open --in-place): every seal must draw a fresh random IV."
        case .sr015DuplicateBlob:
            return "A blob was copied between records: re-seal the copies, or delete the duplicate record."
        case .sr016BodyBesideSealedContent:
            return
                "Remove the plaintext body, or re-seal it with secured seal --reseal PATH --key KEY; never commit plaintext beside its ciphertext."
        case .sr017Unreadable:
            return "Make the path a readable regular file in UTF-8 under the size limit (--size-limit), or exclude it."
        case .sr018ManifestMismatch:
            return
                "Review the added, removed or changed records, then rebuild the manifest: secured manifest build ROOT --key KEY."
        case .sr019ManifestSignature:
            return
                "Rebuild and re-sign the manifest with secured manifest build ROOT --key KEY, and pass a key that verifies it (--key Keys/<id>.pub for the .minisig)."
        case .refused, .io: return "See the message."
        }
    }
}
