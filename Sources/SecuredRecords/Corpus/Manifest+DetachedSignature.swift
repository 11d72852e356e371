import SecuredCrypto

extension Manifest {
    /// The suffix of a manifest's detached signature file.
    public static let minisigSuffix = ".minisig"

    /// The detached minisign signature of `manifest` (its exact bytes), by `key`'s `sign`.
    ///
    /// - Parameters:
    ///   - manifest: the manifest's exact bytes.
    ///   - name: the manifest's file name, for the trusted comment.
    ///   - key: a key with `sign`.
    ///   - timestamp: Unix seconds, for the trusted comment.
    public static func detachedSignature(
        of manifest: [UInt8], name: String, key: SecuredKey, timestamp: Int
    ) throws(RecordError) -> String? {
        if let problem = nameProblem(name) { throw RecordError(.refused, file: name, reason: problem) }
        guard let signer = key.signingKey, let pub = key.publicKey else { return nil }
        do {
            return try MinisignSignature.sign(
                manifest, with: signer, keyNumber: pub.keyNumber,
                untrustedComment: "secured manifest signature, key \(key.id)",
                trustedComment: "timestamp:\(timestamp)\tfile:\(name)\thashed"
            ).fileText
        } catch {
            throw RecordError(.io, file: name, reason: "cannot sign the manifest: \(error)")
        }
    }

    /// Why a manifest cannot be written at `path`, or `nil`: its file name goes into the
    /// detached signature's trusted comment, one line whose fields are tab-separated, so it
    /// cannot hold a line break or a tab (``check(manifest:root:keys:walker:sizeLimit:)`` would then reject the signature, SR019).
    public static func nameProblem(_ path: String) -> String? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let bad = name.unicodeScalars.filter { $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard let first = bad.first else { return nil }
        let what = first == "\t" ? "a tab" : first == "\n" ? "a line break" : "a carriage return"
        return
            "the manifest's name holds \(what): it goes into the detached signature's trusted comment, one line of tab-separated fields; choose another name"
    }
}
