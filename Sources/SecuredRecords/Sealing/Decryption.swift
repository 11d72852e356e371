import SecuredCrypto

/// Which keys may decrypt a blob, and the decryption itself: the one policy that audit,
/// open and inspect follow (SPEC section 5).
///
/// A blob whose signature checked out is decrypted with the secret key that signed it and
/// no other (a record signed by a key supplied only as a public key is not decrypted). An unsigned blob is tried with every supplied key in turn, and the first whose
/// padding checks out is taken: that is not authentication (a wrong key passes about once
/// in 256 tries). A blob whose signature was not checked, or failed, is never decrypted, so
/// padding errors offer no oracle.
package enum Decryption {
    /// Decrypted content and the key that opened it.
    public struct Opened: Sendable {
        /// `P`, the sealed content. **Secret**: never log it; wipe it when done.
        public var content: [UInt8]
        /// The key that decrypted it.
        public var keyID: String
        /// Whether the content is valid UTF-8 (SR013 when not).
        public var isUTF8: Bool { UTF8Validation.isValid(content[...]) }
    }

    /// The keys to try, in order, given the signature check that came first.
    public static func candidates(for check: SignatureCheck, in keys: KeyRing) -> [SecuredKey] {
        switch check {
        case .valid(let keyID): return keys.key(id: keyID).map { [$0] } ?? []
        case .unsigned: return keys.keys
        case .notChecked: return []
        }
    }

    /// Decrypts `blob` with the candidate keys.
    ///
    /// - Parameters:
    ///   - blob: the well-formed blob.
    ///   - check: the signature check, which must come first.
    ///   - keys: the supplied keys.
    ///   - file: the record, for the finding.
    ///   - line: the `secured` line, for the finding.
    /// - Returns: the content, or SR012 naming the keys tried.
    public static func open(
        _ blob: SealedValue, after check: SignatureCheck, keys: KeyRing, file: String, line: Int?
    ) -> Result<Opened, RecordError> {
        let result = open(blob, after: check, candidates: candidates(for: check, in: keys), file: file, line: line)
        // A passphrase key file unwrapped lazily, and that did not: the finding says so.
        guard case .failure(var error) = result, let failed = keys.passphraseKeyFailures.first else { return result }
        error.reason += "; \(failed.description)"
        return .failure(error)
    }

    /// ``open(_:after:keys:file:line:)`` with the candidates already chosen.
    static func open(
        _ blob: SealedValue, after check: SignatureCheck, candidates: [SecuredKey], file: String, line: Int?
    ) -> Result<Opened, RecordError> {
        for key in candidates {
            if let content = try? AESCBC.decrypt(blob.ciphertext, using: key.encryptionKey, iv: blob.iv) {
                return .success(Opened(content: content, keyID: key.id))
            }
        }
        let reason: String
        var keyID: String?
        switch check {
        case .valid(let id) where candidates.isEmpty:
            keyID = id
            reason = "not decrypted: its signature by '\(id)' checks out, but no key that decrypts '\(id)' was supplied"
        case .valid(let id):
            keyID = id
            reason = "decryption failed (bad padding) with key '\(id)', although the signature matches"
        default:
            let tried = candidates.map(\.id).joined(separator: ", ")
            reason =
                candidates.isEmpty
                ? "not decrypted: no key may open it"
                : "decryption failed (bad padding) with \(candidates.count == 1 ? "key" : "keys") \(tried): wrong key or damaged ciphertext"
        }
        return .failure(
            RecordError(.sr012DecryptionFailed, file: file, line: line, field: "secured", reason: reason, keyID: keyID))
    }
}
