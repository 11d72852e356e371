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
        case .sr020LeakInFile: return "LeakInFile"
        case .sr021LeakInHistory: return "LeakInHistory"
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
        case .sr020LeakInFile:
            return "Leak: a run of a sealed record's words was found in another file (section 10)."
        case .sr021LeakInHistory:
            return
                "Leak: a run of a sealed record's words was found in an object of the repository's git history (section 10)."
        case .refused: return "An operation declined to act."
        case .io: return "A file could not be written or replaced."
        }
    }
}
