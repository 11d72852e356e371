import SecuredCrypto

/// Something a run wants the user to know that is not a finding: a skipped link, a check
/// that covered part of the corpus, a signature that could not be checked.
///
/// Notes are values, so that a JSON report carries them as objects; ``description`` reads
/// `content/a.md: note: symbolic link skipped (links are not followed)`.
public struct Note: Sendable, Equatable, Codable, CustomStringConvertible {
    /// What the note is about.
    public enum Kind: String, Sendable, Codable {
        /// A symbolic link met while walking a folder was not followed.
        case symbolicLinkSkipped
        /// A folder of built output or dependencies (`node_modules`, `vendor`, `_site`) was not
        /// walked.
        case folderSkipped
        /// A sharded run checked part of the corpus; corpus-wide checks saw that part only.
        case shardCoverage
        /// Shard indexes were merged (``AuditIndex/merge(_:ignore:)``): what they covered.
        case shardsMerged
        /// No key was supplied, so the manifest's signature was not checked.
        case manifestSignatureNotChecked
        /// A signature of the manifest was verified (which one, by which key).
        case manifestSignatureVerified
        /// Only public keys were supplied: signatures were verified, nothing was decrypted.
        case publicKeysOnly
        /// A policy names a key id whose key was not supplied.
        case expectedKeyMissing
        /// No key at all was supplied: this many signed records were not verified.
        case signaturesNotVerified
        /// A policy in force hides findings of severity error for the records under it.
        case policyIgnoresErrors
        /// A policy below the folder checked left records out of a run that requires
        /// signatures.
        case policyNarrowsChecks
        /// A policy or key file was read as it is at the trusted base (`--trust-from`).
        case trustedFromBase
        /// A policy or key file differs from the trusted base: added (not applied, not
        /// trusted), changed or deleted (read as on the base).
        case changedSinceBase
        /// A policy below the current folder's own adds a key file.
        case policyAddsKey
        /// A policy below the folder checked drops a signature requirement that the folder's
        /// own policy sets.
        case policyDropsRequirement
        /// Records that carry no signature, in a run whose keys could verify one.
        case unsignedRecords
        /// A manifest a policy names no longer matches records a command just wrote.
        case manifestStale
        /// After a rotation, a copy of the old key for others (`<id>.key.age`,
        /// `<id>.<label>.key.pw`) still holds it: the new key must be shared in its place.
        case oldKeyShared
        /// Leak audit: sealed records that no key given opened, so not searched for.
        case leakRecordsNotOpened
        /// Leak audit: the corpus holds no sealed record.
        case leakNothingSealed
        /// Leak audit: baseline fingerprints that matched no finding.
        case leakBaselineStale
        /// Leak audit: git blobs over the size limit were not searched.
        case leakHistoryPartial
        /// Pre-commit leak check: staged files were not searched (no key at hand, or over the
        /// size limit).
        case leakNotSearched
        /// Pre-commit check: staged files that lie where records are checked but are not
        /// checked (hidden files, files the include pattern does not select).
        case stagedNotChecked

        /// Whether a reviewer must see it (a CI annotation, not only a log line): a policy
        /// that hides errors or leaves records out, signatures not verified.
        public var isWarning: Bool {
            switch self {
            case .policyIgnoresErrors, .policyNarrowsChecks, .signaturesNotVerified, .changedSinceBase, .policyAddsKey,
                .policyDropsRequirement, .unsignedRecords, .leakRecordsNotOpened, .leakBaselineStale,
                .leakHistoryPartial, .leakNotSearched, .stagedNotChecked:
                true
            default: false
            }
        }
    }

    /// What the note is about.
    public var kind: Kind
    /// The path concerned, if any.
    public var path: String?
    /// The 1-based line, if any.
    public var line: Int?
    /// The note, in words.
    public var message: String
    /// What would change what the note says, for the command line to word as its flags.
    package var remedy: Remedy?

    private enum CodingKeys: String, CodingKey { case kind, path, line, message }

    /// A note.
    public init(_ kind: Kind, path: String? = nil, line: Int? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.line = line
        self.message = message
    }

    /// A note with a remedy.
    package init(_ kind: Kind, path: String? = nil, line: Int? = nil, message: String, remedy: Remedy?) {
        self.init(kind, path: path, line: line, message: message)
        self.remedy = remedy
    }

    public var description: String {
        guard let path else { return "note: \(FilePath.visible(message))" }
        return "\(FilePath.display(path))\(line.map { ":\($0)" } ?? ""): note: \(FilePath.visible(message))"
    }
}
