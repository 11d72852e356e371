import SecuredCrypto

/// Writing key files (SPEC section 3): a new key with its public key file beside it, and
/// `sign` added to a version 1 key.
public enum KeyFileOperations {
    /// Where a key file's public key file goes: the same name with `.pub` instead of `.key`
    /// (or `.pub` appended).
    public static func publicKeyPath(for keyPath: String) -> String {
        (keyPath.hasSuffix(".key") ? String(keyPath.dropLast(4)) : keyPath) + ".pub"
    }

    /// What was written.
    public struct Written: Sendable {
        /// The key.
        public var key: SecuredKey
        /// The secret key file (mode 0600).
        public var keyPath: String
        /// The public key file beside it (mode 0644).
        public var publicKeyPath: String
    }

    /// The comment at the top of a new key file.
    static let secretComment = [
        "secured key file. SECRET: anyone holding it can read and forge records.",
        "Keep it out of version control; commit its .pub instead, and pass this to CI as the",
        "SECURED_KEY secret only where records must be decrypted.",
    ]

    /// Writes a new key (`enc`, `mac` and `sign`) to `path` (mode 0600) and its public key
    /// file beside it; never overwrites either.
    ///
    /// - Throws: ``RecordError`` `.refused` when either file exists, `.io` on failure.
    public static func generate(id: String, at path: String, created: String?) throws -> Written {
        let pubPath = publicKeyPath(for: path)
        if FilePath.exists(pubPath) {
            throw RecordError(.refused, file: pubPath, reason: "already exists; not overwritten")
        }
        let key = try SecuredKey.generate(id: id, created: created)
        try AtomicFileWriter.create(at: path, with: Array(key.keyFileText(comment: secretComment).utf8), mode: 0o600)
        try AtomicFileWriter.create(at: pubPath, with: Array(key.publicKey!.fileText.utf8), mode: 0o644)
        return Written(key: key, keyPath: path, publicKeyPath: pubPath)
    }

    /// Gives an existing key without `sign` a fresh one: the line is appended, every other
    /// line and the file's mode are kept, the file is replaced atomically, and the public key
    /// file is written beside it. The fingerprint does not change (`sign` does not enter it).
    ///
    /// - Throws: ``RecordError`` `.refused` when the key already has `sign` or the public key
    ///   file exists; the key file's own errors.
    public static func addSign(to path: String) throws -> Written {
        let bytes = try RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
        let text = String(decoding: bytes, as: UTF8.self)
        let old: SecuredKey
        do {
            old = try SecuredKey(parsing: text, source: FilePath.display(path))
        } catch {
            throw RecordError(.refused, file: path, reason: error.reason)
        }
        guard old.signingKey == nil else {
            throw RecordError(.refused, file: path, reason: "key '\(old.id)' already has 'sign'; nothing changed")
        }
        let pubPath = publicKeyPath(for: path)
        if FilePath.exists(pubPath) {
            throw RecordError(.refused, file: pubPath, reason: "already exists; not overwritten")
        }
        let signer = try Ed25519.PrivateKey()
        let terminator = text.contains("\r\n") ? "\r\n" : "\n"
        let separator = text.isEmpty || text.hasSuffix("\n") ? "" : terminator
        let newText = text + separator + SecuredKey.signLine(signer) + terminator
        let key: SecuredKey
        do {
            key = try SecuredKey(parsing: newText, source: FilePath.display(path))
        } catch {
            throw RecordError(.refused, file: path, reason: error.reason)
        }
        precondition(key.fingerprint == old.fingerprint, "sign must not change the fingerprint")
        try AtomicFileWriter.replaceContents(of: path, with: Array(newText.utf8))
        try AtomicFileWriter.create(at: pubPath, with: Array(key.publicKey!.fileText.utf8), mode: 0o644)
        return Written(key: key, keyPath: path, publicKeyPath: pubPath)
    }
}
