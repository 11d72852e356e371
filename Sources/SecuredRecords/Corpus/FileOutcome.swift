/// What happened to one file of a per-file operation (seal, sign, verify, rotate): a value
/// the command line renders (a line, a JSON entry, a count in the summary).
package struct FileOutcome: Sendable {
    /// What the operation did to the file.
    package enum Action: String, Sendable, CaseIterable {
        /// seal: the body was encrypted into `secured`.
        case sealed
        /// seal --reseal: a sealed record's non-blank body replaced its old payload.
        case resealed
        /// seal: `secured` and a blank body already; left untouched.
        case alreadySealed = "already sealed"
        /// sign: a signature was written.
        case signed
        /// sign: the signature it carries is the one the key makes; left untouched.
        case alreadySigned = "already signed"
        /// rotate: opened with the old key, sealed and signed with the new one.
        case rotated
        /// rotate: not sealed, signed by the old key, signed again with the new one.
        case resigned = "re-signed"
        /// rotate: sealed and carrying no signature: re-sealed, not signed.
        case resealedUnsigned = "re-sealed, not signed"
        /// rotate --sign-unsigned: sealed and carrying no signature: re-sealed and signed.
        case signedUnsigned = "re-sealed and signed, was unsigned"
        /// rotate: neither sealed nor signed; left untouched.
        case notSealed = "not sealed"
        /// rotate: already signed by the new key (or opened by it); left untouched.
        case alreadyRotated = "already rotated"
        /// verify: the signature is valid.
        case valid
        /// The operation refused the file or could not write it (``FileOutcome/error`` says why).
        case failed

        /// Whether the file is written (or, in a dry run, would be).
        package var writes: Bool {
            switch self {
            case .sealed, .resealed, .signed, .rotated, .resigned, .resealedUnsigned, .signedUnsigned: return true
            case .alreadySealed, .alreadySigned, .notSealed, .alreadyRotated, .valid, .failed: return false
            }
        }

        /// What sealing did.
        package init(_ outcome: RecordSealer.Outcome) {
            switch outcome {
            case .sealed: self = .sealed
            case .resealed: self = .resealed
            case .alreadySealed: self = .alreadySealed
            }
        }

        /// What rotating did.
        package init(_ outcome: RecordFileOperations.RotationOutcome) {
            switch outcome {
            case .rotated: self = .rotated
            case .resigned: self = .resigned
            case .resealedUnsigned: self = .resealedUnsigned
            case .signedUnsigned: self = .signedUnsigned
            case .notSealed: self = .notSealed
            case .alreadyRotated: self = .alreadyRotated
            }
        }
    }

    /// The file.
    package var file: String
    /// What happened to it.
    package var action: Action
    /// Whether the file now carries a signature this operation wrote.
    package var signed: Bool
    /// seal: a signature the record carried was removed and not replaced (`--no-sign`).
    package var removedSignature: Bool
    /// The key used (verify: the key whose signature is valid), when one was.
    package var keyID: String?
    /// The finding that stopped this file, when ``action`` is `.failed`.
    package var error: RecordError?

    /// A file the operation handled.
    package init(
        file: String, action: Action, signed: Bool = false, removedSignature: Bool = false, keyID: String? = nil
    ) {
        self.file = file
        self.action = action
        self.signed = signed
        self.removedSignature = removedSignature
        self.keyID = keyID
    }

    /// A file the operation refused.
    package init(failed error: RecordError) {
        file = error.file
        action = .failed
        signed = false
        removedSignature = false
        self.error = error
    }
}
