import SecuredCrypto

extension StagedCheck {
    /// The staged records that the manifest the repository's policy names no longer lists as
    /// they are staged: added, or changed since the manifest was built. CI checks the manifest
    /// (SR018); the hook says so first, with the command that rebuilds it, so that a legitimate
    /// edit does not pass the hook and then fail CI. The staged manifest is read from the index.
    ///
    /// - Parameters:
    ///   - records: the staged records (``records(in:walker:)``).
    ///   - manifest: the manifest the policy names (a path from the repository's root), if any.
    ///   - key: the keys the run knows, for the command that rebuilds it (``SuggestedKey``).
    /// - Returns: one SR018 finding per record the manifest does not match.
    package static func staleManifest(_ records: [Git.StagedFile], manifest: String?, key: SuggestedKey = .unknown)
        -> [RecordError]
    {
        guard let manifest, !records.isEmpty else { return [] }
        let root = Manifest.defaultRoot(of: manifest)
        let prefix = root == "." ? "" : root + "/"
        let under = records.filter { $0.path.hasPrefix(prefix) && $0.path != manifest }
        guard !under.isEmpty else { return [] }
        let bytes: [UInt8]
        do {
            bytes = try Git.run(["cat-file", "blob", ":" + manifest])
        } catch {
            bytes = (try? RecordFile.read(manifest, sizeLimit: Manifest.maximumSize)) ?? []
        }
        let listed = Dictionary(
            Manifest.Parsed(bytes, file: manifest).entries.map { ($0.path, $0.digest) }, uniquingKeysWith: { a, _ in a }
        )
        var fix =
            SuggestedCommand.secured(["manifest", "build"], key: key, .write, paths: []) + " && "
            + SuggestedCommand.words(["git", "add", "--"], paths: [manifest])
        if let fill = key.fillIn(.write) { fix = "\(fill): \(fix)" }
        var out: [RecordError] = []
        for file in under {
            let relative = String(file.path.dropFirst(prefix.count))
            guard let bytes = try? Git.stagedBytes(file, sizeLimit: Record.defaultSizeLimit) else { continue }
            let digest = Hex.encode(SHA256.hash(bytes))
            guard let expected = listed[relative] else {
                out.append(
                    RecordError(
                        .sr018ManifestMismatch, file: file.path,
                        reason:
                            "record is not in the manifest \(FilePath.display(manifest)) the policy names: CI would fail; rebuild it: \(fix)"
                    ))
                continue
            }
            if expected != digest {
                out.append(
                    RecordError(
                        .sr018ManifestMismatch, file: file.path,
                        reason:
                            "the manifest \(FilePath.display(manifest)) the policy names lists another version: CI would fail; rebuild it: \(fix)"
                    ))
            }
        }
        return out
    }
}

extension Manifest {
    /// The note a command that changed records writes when a manifest a policy names covers
    /// one of them: it is stale now, and CI will say so (SR018) until it is rebuilt.
    ///
    /// - Parameters:
    ///   - changed: the records the command wrote.
    ///   - policies: the run's policy resolver.
    ///   - key: the keys the run knows, for the command that rebuilds it (``SuggestedKey``).
    /// - Returns: one note per stale manifest, with the command that rebuilds it.
    package static func staleNotes(changed: [String], policies: PolicyResolver?, key: SuggestedKey = .unknown)
        -> [Note]
    {
        guard let policies else { return [] }
        var stale: [String: Int] = [:]
        for file in changed {
            guard let manifest = policies.policy(for: file)?.manifest else { continue }
            let root = FilePath.absolute(defaultRoot(of: manifest), from: policies.workingDirectory)
            if FilePath.absolute(file, from: policies.workingDirectory).hasPrefix(root == "/" ? "/" : root + "/") {
                stale[manifest, default: 0] += 1
            }
        }
        return stale.keys.sorted(by: FilePath.precedes).map { manifest in
            var rebuild = SuggestedCommand.secured(
                ["manifest", "build"], key: key, .write, paths: [defaultRoot(of: manifest)])
            if let fill = key.fillIn(.write) { rebuild = "\(fill): \(rebuild)" }
            return Note(
                .manifestStale, path: manifest,
                message:
                    "this manifest, which the policy names, no longer matches the \(stale[manifest]!.counted("record")) just written, and CI reports SR018 until it is rebuilt; rebuild it before committing: \(rebuild)"
            )
        }
    }
}
