import SecuredRecords

/// What `seal`, `sign`, `rotate` and `edit` say after writing records that a manifest the
/// policy names covers (``Manifest/staleNotes(changed:policies:)``).
enum StaleManifest {
    static func say(changed: [String], in scope: CorpusScope) {
        for note in Manifest.staleNotes(changed: changed, policies: scope.policies, key: Hints.key) {
            Output.note(note)
        }
    }
}
