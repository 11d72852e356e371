import SecuredCrypto
import SecuredRecords
import Synchronization

/// The keys this run knows, for the commands that hints and notes suggest (``SuggestedKey``):
/// set once a command's keys are known (``KeyOptions``); until then, `SECURED_KEY` and the
/// keys the current folder's policy names.
enum Hints {
    private static let known = Mutex<SuggestedKey?>(nil)

    /// The keys the run knows.
    static var key: SuggestedKey {
        known.withLock { value in
            if let value { return value }
            let policy = PolicyResolver(workingDirectory: WorkingDirectory.current).policy(for: ".", isFolder: true)
            let found = SuggestedKey.find(keyPaths: [], policies: policy.map { [$0] } ?? [])
            value = found
            return found
        }
    }

    /// Records the keys of the run: `--key`'s files and folders, then `SECURED_KEY` and the
    /// `policies`' keys.
    static func know(keyPaths: [String], policies: [Policy]) {
        let found = SuggestedKey.find(keyPaths: keyPaths, policies: policies)
        known.withLock { $0 = found }
    }

    /// A `secured` command with the run's key (``SuggestedCommand/secured(_:key:_:keyID:paths:)``);
    /// when it says `--key KEY`, what to put there comes first.
    static func command(_ words: [String], _ purpose: SuggestedKey.Purpose, paths: [String]) -> String {
        let key = key
        let command = SuggestedCommand.secured(words, key: key, purpose, paths: paths)
        return key.fillIn(purpose).map { "\($0): \(command)" } ?? command
    }

    /// A finding's hint, with the run's keys in its commands.
    static func hint(_ f: RecordError) -> String? { f.hint(key: key) ?? f.remedy.map(Advice.hint) }
}
