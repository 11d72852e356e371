import SecuredCrypto

/// The checks of one record, in the order SPEC section 7 fixes.
///
/// SR017 (read, UTF-8), SR001 (structure), SR002 (YAML) — each ends that record's checks —
/// then the blob (SR003–SR007), a body beside sealed content (SR016), the signature
/// (SR008–SR011) and, with keys, decryption (SR012, SR013) under `Decryption`'s policy.
///
/// ```swift
/// let checker = RecordChecker(keys: ring, requireSignature: true)
/// for finding in checker.check(file: "content/a.md").findings { print(finding) }
/// ```
public struct RecordChecker: Sendable {
    /// The keys for signatures and decryption (may be empty).
    public var keys: KeyRing
    /// Report SR003 for a record without `secured`.
    public var requireSecured: Bool
    /// Report SR008 for a record without `signature`; unsigned blobs are then never decrypted.
    public var requireSignature: Bool
    /// Largest file read (SR017 beyond it).
    public var sizeLimit: Int
    /// Also hash each well-formed blob's ciphertext, for a shard index (``AuditIndex``).
    var hashesCiphertext = false
    /// Policies whose `require-secured` and `require-signature` add to the flags, per record.
    public var policies: PolicyResolver? {
        didSet { lookup = nil }
    }
    /// The policies' folders as a walk left them, read without a lock (set by the audit).
    var lookup: PolicyLookup?

    /// A checker.
    public init(
        keys: KeyRing, requireSecured: Bool = false, requireSignature: Bool = false,
        sizeLimit: Int = Record.defaultSizeLimit
    ) {
        self.keys = keys
        self.requireSecured = requireSecured
        self.requireSignature = requireSignature
        self.sizeLimit = sizeLimit
    }

    /// What checking one record found.
    public struct Result: Sendable {
        /// The findings, in the order the checks ran.
        public var findings: [RecordError] = []
        /// The well-formed blob's IV and line, for the corpus-wide checks.
        var blob: BlobIdentity?
        /// SHA-256 of that blob's ciphertext, when the checker hashes ciphertexts.
        var ciphertextDigest: [UInt8]?
        /// Whether the one-pass YAML check decided the front matter (`nil`: not reached).
        public var onePass: Bool?
        /// Whether the record is signed but no key at all was supplied to verify it.
        public var signatureNotVerified = false
        /// Whether the record carries no signature while keys that verify were supplied and
        /// signatures were not required of it (then SR008 says it): reported in a note.
        public var unsigned = false
    }

    /// Checks one record file.
    public func check(file: String) -> Result { check(file: file, listedRegular: false, folder: nil) }

    /// Checks one record file; `listedRegular`: its folder listed it as a regular file;
    /// `folder`: the calling worker's open folder (``OpenFolder``).
    func check(file: String, listedRegular: Bool, folder: OpenFolder? = nil) -> Result {
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(file, sizeLimit: sizeLimit, listedRegular: listedRegular, folder: folder)
        } catch {
            return Result(findings: [error])
        }
        return check(bytes: bytes, file: file)
    }

    /// Checks a record's bytes (a staged version, say) as if read from `file`.
    public func check(bytes: [UInt8], file: String) -> Result {
        var result = Result()
        func add(_ error: RecordError) { result.findings.append(error) }
        let policy = lookup.map { $0.policy(for: file) } ?? policies?.policy(for: file)
        let required = policy?.requirements(for: file) ?? (secured: false, signature: false)
        let requireSecured = requireSecured || required.secured
        let requireSignature = requireSignature || required.signature
        let record: Record
        do {
            record = try Record(parsing: bytes, file: file)
        } catch {
            add(error)
            return result
        }
        // The blob is read first (form only, no key needed), but reported after the YAML check:
        // the characters its decoder took are not read again there.
        let blob = record.readBlob()
        do {
            result.onePass = try FrontMatterValidator.validate(record, blobCharacters: blob?.valueRange)
        } catch {
            result.onePass = false  // the one-pass check never refuses: libyaml decided (the benchmark counts it)
            add(error)
            return result
        }

        if let blob {
            result.findings += blob.findings
            if let value = blob.value {
                result.blob = BlobIdentity(iv: value.iv.bytes, line: blob.line)
                if hashesCiphertext { result.ciphertextDigest = SHA256.hash(value.ciphertext) }
            }
            if !record.isBodyBlank {
                add(
                    RecordError(
                        .sr016BodyBesideSealedContent, file: file, line: record.closingLine.number + 1,
                        field: "secured",
                        reason: "sealed record still has a non-blank body (plaintext beside its own ciphertext)"))
            }
        } else if requireSecured {
            add(
                RecordError(.sr003SecuredMissing, file: file, field: "secured", reason: "record has no 'secured' field")
            )
        }

        // The signature, verified before any decryption.
        var check: SignatureCheck?
        switch RecordSigner.verify(record, keys: keys) {
        case .failure(let error): add(error)
        case .success(.unsigned) where requireSignature:
            add(
                RecordError(
                    .sr008SignatureMissing, file: file, field: "signature",
                    reason: "record has no 'signature' and signatures are required"))
        case .success(let outcome):
            check = outcome
            if case .unsigned = outcome, !keys.isEmpty { result.unsigned = true }
            if case .notChecked = outcome { result.signatureNotVerified = true }
        }

        // Decryption: only with keys, a well-formed blob, and a signature that checked out
        // (or no signature, where none is required).
        // A public key never decrypts: with no secret key able to open it, nothing is tried
        // (SR012 and SR013 are out of reach, and the audit says so once).
        guard let value = blob?.value, let check else { return result }
        let candidates = Decryption.candidates(for: check, in: keys)
        guard !candidates.isEmpty else { return result }
        switch Decryption.open(value, after: check, candidates: candidates, file: file, line: blob?.line) {
        case .failure(let error): add(error)
        case .success(var opened):
            if !opened.isUTF8 {
                add(
                    RecordError(
                        .sr013ContentNotUTF8, file: file, line: blob?.line, field: "secured",
                        reason: "decrypted content (key '\(opened.keyID)') is not valid UTF-8"))
            }
            secureWipe(&opened.content)
        }
        return result
    }
}
