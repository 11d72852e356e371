import SecuredCrypto
import Synchronization

/// Passphrase key files (SPEC 1.2 section 3) whose keys are unwrapped only when needed: when a
/// record names their id, or when every key must be tried. Each file's key derivation (up to
/// 10,000,000 PBKDF2 iterations) runs at most once; the result, key or failure, is kept.
/// Thread-safe: audit workers share one.
final class PassphraseKeys: Sendable {
    /// The files, in the order given; their ids are known without deriving anything.
    let files: [PassphraseKeyFile]
    private let passphrase: Passphrase?
    private let results: Mutex<[Int: Result<SecuredKey, KeyFileError>]>

    init(files: [PassphraseKeyFile], passphrase: Passphrase?) {
        self.files = files
        self.passphrase = passphrase
        results = Mutex([:])
    }

    /// The key of the file at `index`, unwrapped now unless it already was. The lock is held
    /// while deriving, so that two workers asking for one file derive it once.
    func key(at index: Int) -> Result<SecuredKey, KeyFileError> {
        results.withLock { done in
            if let known = done[index] { return known }
            let file = files[index]
            let result: Result<SecuredKey, KeyFileError>
            if let passphrase {
                result = Result { () throws(KeyFileError) in try file.unwrap(with: passphrase) }
            } else {
                result = .failure(
                    KeyFileError(
                        source: file.source, line: nil, field: nil,
                        reason: "the key file is encrypted under a passphrase, and none was given",
                        remedy: .givePassphrase))
            }
            done[index] = result
            return result
        }
    }

    /// How many files were unwrapped (or tried), so far.
    var unwrappedCount: Int { results.withLock { $0.count } }

    /// The failures so far (a wrong passphrase, a damaged file), in the order of the files.
    var failures: [KeyFileError] {
        results.withLock { done in
            done.keys.sorted().compactMap { if case .failure(let error) = done[$0]! { error } else { nil } }
        }
    }
}
