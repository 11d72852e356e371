import SecuredCrypto

extension KeyRing {
    /// ``load(paths:policyKeyFiles:identities:passphrase:askPassphrase:environment:workingDirectory:)``
    /// with the key files the `policies` name; one that does not exist is blamed on the
    /// policy's file and line.
    ///
    /// A policy's key files are named from the working directory the policy was given
    /// (``Policy/workingDirectory``) and read from there; `paths` start from `workingDirectory`.
    ///
    /// - Parameters:
    ///   - paths: key files and folders (`--key`); `SECURED_KEY` when empty.
    ///   - policies: the policies in force; their key files add to the keys.
    ///   - identities: age identities for `*.key.age` files.
    ///   - passphrase: the passphrase of `*.key.pw` files, if given.
    ///   - askPassphrase: asks for it (on a terminal) when it is needed and not given.
    ///   - environment: where `SECURED_KEY` is looked up (the process's when `nil`).
    ///   - workingDirectory: the absolute folder relative `paths` start from; `nil`: the
    ///     process's.
    /// - Returns: the ring, and warnings to show.
    /// - Throws: `KeyFileError`: a missing key file named by a policy, and the errors of
    ///   ``load(paths:policyKeyFiles:identities:passphrase:askPassphrase:environment:workingDirectory:)``.
    public static func load(
        paths: [String], policies: [Policy], identities: [AgeIdentity] = [], passphrase: Passphrase? = nil,
        askPassphrase: ((String) -> Passphrase?)? = nil, environment: [String: String]? = nil,
        workingDirectory: String? = nil
    ) throws(KeyFileError) -> (ring: KeyRing, warnings: [String]) {
        var files: [KeyPath] = []
        for policy in policies {
            for (path, line) in policy.keyFileEntries where !files.contains(where: { $0.path == path }) {
                let file = KeyPath(path, in: policy.workingDirectory)
                guard FilePath.exists(file.file) else {
                    throw KeyFileError(
                        source: FilePath.display(policy.file), line: line, field: "keys",
                        reason:
                            "'keys' names the key file \(FilePath.display(path)), which does not exist (paths in 'keys' are relative to the policy's folder; commit the public key there, or remove the line)"
                    )
                }
                files.append(file)
            }
        }
        return try load(
            named: paths.map { KeyPath($0, in: workingDirectory) } + files, fromEnvironment: paths.isEmpty,
            identities: identities, passphrase: passphrase, askPassphrase: askPassphrase, environment: environment)
    }
}
