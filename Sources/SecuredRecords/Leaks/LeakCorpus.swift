import SecuredCrypto

/// The corpus side of a leak audit: every record walked, its sealed content decrypted and
/// indexed (``LeakIndex``), the bodies of unsealed records taken as public text.
struct LeakCorpus: Sendable {
    /// The sealed records whose content was indexed, by record number.
    var records: [String] = []
    /// The index of their windows.
    var index = LeakIndex()
    /// Every file of the corpus, to be searched too, with whether it is sealed.
    var files: [(path: String, sealed: Bool)] = []
    /// Sealed records that no key given opened.
    var unopened: [String] = []
    /// Files that could not be read (SR017).
    var errors: [RecordError] = []
    /// Records with no `secured` field whose text counts as public (``isPublished(_:policies:)``).
    var publicCount = 0

    /// Reads the records of `walked`, decrypting sealed ones with `keys`.
    ///
    /// - Parameter asCommitted: for the pre-commit check, the files a commit adds or changes,
    ///   by normalized path (``LeakBaseline/normalized(_:)``), with their committed bytes
    ///   (`nil`: new). An unsealed record among them is public only as it was committed: a
    ///   paragraph pasted into it does not make itself public.
    ///   `policies`: the run's policies; a record one of them requires sealed is not public.
    ///   `workingDirectory`: where relative paths start from (`nil`: the process's folder).
    init(
        walked: CorpusWalker.Result, keys: KeyRing, sizeLimit: Int, asCommitted: [String: [UInt8]?] = [:],
        policies: PolicyResolver? = nil, workingDirectory: String? = nil
    ) {
        let folder = workingDirectory.map { OpenFolder(workingDirectory: $0) }
        var sealed: [(path: String, content: [UInt8])] = []
        for (k, path) in walked.files.enumerated() {
            let listed = k < walked.listedRegular.count && walked.listedRegular[k]
            let bytes: [UInt8]
            do {
                bytes = try RecordFile.read(path, sizeLimit: sizeLimit, listedRegular: listed, folder: folder)
            } catch {
                errors.append(error)
                continue
            }
            guard let record = try? Record(parsing: bytes, file: path) else {
                files.append((path, false))  // not a record: searched as any file
                continue
            }
            guard let reading = record.readBlob() else {
                files.append((path, false))
                guard Self.isPublished(record, policies: policies) else { continue }  // searched, never public
                publicCount += 1
                if let committed = asCommitted[LeakBaseline.normalized(path)] {
                    if let committed, let before = try? Record(parsing: committed, file: path), before.readBlob() == nil
                    {
                        index.addPublic(Array(before.body), markdown: true)
                    }
                } else {
                    index.addPublic(Array(record.body), markdown: true)
                }
                continue
            }
            files.append((path, true))
            guard let blob = reading.value, let content = Self.open(blob, record: record, keys: keys) else {
                unopened.append(path)
                continue
            }
            sealed.append((path, content))
        }
        for (number, (path, content)) in sealed.enumerated() {
            records.append(path)
            index.addSealed(content, record: Int32(number))
        }
        for k in sealed.indices { Self.wipe(&sealed[k].content) }
        index.freeze()
    }

    /// The sealed content, decrypted with the key its signature names when that key was given,
    /// else with each key in turn (a leak audit needs the content, not its authenticity: a
    /// read-only key is enough). `nil` when no key opens it.
    static func open(_ blob: SealedValue, record: Record, keys: KeyRing) -> [UInt8]? {
        var candidates = keys.keys
        if case .success(let signature?) = RecordSigner.signature(of: record), let key = keys.key(id: signature.keyID) {
            candidates = [key] + candidates.filter { $0.id != key.id }
        }
        let opened = Decryption.open(blob, after: .unsigned, candidates: candidates, file: record.file, line: nil)
        guard case .success(let content) = opened else { return nil }
        return content.content
    }

    /// Whether an unsealed record's text is published, so that it counts as public: not a
    /// draft (a file below a `_drafts` folder, Jekyll's; front matter `draft: true`, Hugo's;
    /// `published: false`, Jekyll's), and not a record a policy requires sealed (it is
    /// plaintext only until it is sealed). The others are searched like any other file.
    static func isPublished(_ record: Record, policies: PolicyResolver?) -> Bool {
        if LeakBaseline.normalized(record.file).split(separator: "/").contains("_drafts") { return false }
        if let policy = policies?.policy(for: record.file), policy.requiresSecured(record.file) { return false }
        func value(_ key: String) -> String? {
            guard let line = record.topLevelLines(forKey: key).last else { return nil }
            let text = String(decoding: record.bytes[line.afterColon], as: UTF8.self).prefix { $0 != "#" }
            return String(text.filter { !" \t\r\"'".contains($0) }).lowercased()
        }
        if let draft = value("draft"), ["true", "yes", "on"].contains(draft) { return false }
        if let published = value("published"), ["false", "no", "off"].contains(published) { return false }
        return true
    }

    static func wipe(_ bytes: inout [UInt8]) {
        for k in bytes.indices { bytes[k] = 0 }
    }

    /// A sealed record's own bytes with its `secured` value blanked: the sealed form is not
    /// text, the rest of the file (a `description`, a body left beside it) is searched.
    static func withoutBlob(_ bytes: [UInt8], path: String) -> [UInt8] {
        guard let record = try? Record(parsing: bytes, file: path), let line = record.securedLine else { return bytes }
        var copy = bytes
        for k in line.line.contentRange { copy[k] = 0x20 }
        return copy
    }
}
