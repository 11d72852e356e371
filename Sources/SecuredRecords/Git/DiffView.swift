import SecuredCrypto

/// What the git diff driver (`secured textconv`) shows of a file: the record with its body
/// opened when the keys at hand open it, else the file unchanged and why it was not opened.
package enum DiffView: Sendable {
    /// The record with its sealed content restored (as `open --in-place` would write it).
    /// `authenticated` is `false` for an unsigned record: its padding checked out with a key,
    /// which anyone holding that key could have made (SPEC section 5), so the driver says so.
    case opened([UInt8], authenticated: Bool)
    /// The file as it is; `reason`, when set, says why it was not opened (a sealed record
    /// the keys could not open); `nil` for a file that is not a sealed record.
    case unchanged([UInt8], reason: String?)
    /// A regular file over the size limit, not read whole: shown unchanged all the same (so
    /// that git diff still shows every change in it), streamed with
    /// `RecordFile.stream(_:in:_:)`, then `reason`.
    case tooLarge(reason: String)
    /// The file cannot be read.
    case unreadable(reason: String)

    /// Decides what to show of `file`, never throwing: a diff driver must not fail.
    ///
    /// - Parameters:
    ///   - file: the file git passes (the old side may be a temporary file).
    ///   - keyPaths: key files and folders (`--key`); `SECURED_KEY` when empty.
    ///   - identityPaths: age identity files (`--identity`); `SECURED_AGE_IDENTITY` when empty.
    ///   - passphrasePath: the passphrase file (`--passphrase-file`); `SECURED_PASSPHRASE` when
    ///     `nil`. The terminal is never asked: git runs the driver.
    ///   - usePolicies: whether policy files apply; git runs the driver at the work tree's
    ///     root, so the current folder's policy applies to a file that has none.
    ///   - workingDirectory: the absolute folder relative paths start from.
    ///   - environment: where `SECURED_KEY`, `SECURED_AGE_IDENTITY` and `SECURED_PASSPHRASE`
    ///     are looked up; the process environment when `nil`.
    /// - Returns: what to show.
    package static func of(
        _ file: String, keyPaths: [String], identityPaths: [String], passphrasePath: String? = nil, usePolicies: Bool,
        workingDirectory: String, environment: [String: String]? = nil
    ) -> DiffView {
        let scope = CorpusScope(
            include: nil, sizeLimit: Record.defaultSizeLimit, usePolicies: usePolicies,
            workingDirectory: workingDirectory)
        if usePolicies && scope.policy(for: file) == nil {
            _ = scope.policy(for: ".", isFolder: true)
        }
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(file, in: workingDirectory)
        } catch {
            if let info = FilePath.status(FilePath.resolved(file, in: workingDirectory)),
                FileKind(info.st_mode) == .regular,
                Int(info.st_size) > Record.defaultSizeLimit
            {
                return .tooLarge(reason: error.reason)
            }
            return .unreadable(reason: error.reason)
        }
        guard let record = try? Record(parsing: bytes, file: file), record.readBlob() != nil else {
            return .unchanged(bytes, reason: nil)  // not a sealed record: nothing to open
        }
        let ring: KeyRing
        do {
            let identities = try KeyRing.loadIdentities(
                paths: identityPaths, environment: environment, workingDirectory: workingDirectory
            ).identities
            let passphrase = try KeyRing.loadPassphrase(
                path: passphrasePath, environment: environment, workingDirectory: workingDirectory)
            let sources = KeySources(
                paths: keyPaths, identities: identities, passphrase: passphrase, environment: environment)
            ring = try scope.loadKeys(sources).ring
        } catch {
            return .unchanged(bytes, reason: "the keys cannot be loaded (\(String(describing: error)))")
        }
        if ring.isEmpty {
            return .unchanged(
                bytes,
                reason:
                    "no key: export SECURED_KEY=\"$(cat KEYFILE)\" before git diff, or git config diff.secured.textconv \"secured textconv --key KEYFILE\""
            )
        }
        if ring.isPublicOnly {
            return .unchanged(bytes, reason: "only public keys (a public key verifies, it cannot decrypt)")
        }
        do {
            let (restored, opened) = try RecordSealer.openInPlace(record, keys: ring)
            return .opened(restored.bytes, authenticated: opened.signature != .unsigned)
        } catch {
            return .unchanged(
                bytes, reason: error.code.isDiagnostic ? "\(error.code.rawValue) \(error.reason)" : error.reason)
        }
    }
}
