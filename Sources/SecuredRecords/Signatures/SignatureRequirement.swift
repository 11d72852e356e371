import SecuredCrypto

/// Checks that cannot run never pass silently (SPEC 1.2 section 8): where signatures are
/// required and no key at all was supplied, a command refuses to run rather than report
/// signed records as passed without checking a single signature.
///
/// ```swift
/// try SignatureRequirement.check(keys: ring, flag: "--require-signature", files: files, policies: policies)
/// ```
package enum SignatureRequirement {
    /// Refuses a run that requires signatures and has no key at all.
    ///
    /// - Parameters:
    ///   - keys: every key supplied (`--key`, `SECURED_KEY`, the policies' key files).
    ///   - flag: how the command line requires signatures (`"--require-signature"`,
    ///     `"verify"`), or `nil` when it does not.
    ///   - files: the records the run will check; a policy requires signatures of those its
    ///     `require-signature` covers.
    ///   - policies: the policies found for them (`nil` with `--no-policy`).
    /// - Throws: ``ConfigurationError`` (exit 2) naming what requires signatures and saying
    ///   that a public key is enough.
    package static func check(keys: KeyRing, flag: String?, files: [String], policies: PolicyResolver?)
        throws(ConfigurationError)
    {
        guard keys.isEmpty else { return }
        var why = flag
        var expected: String?
        if let policies {
            if why == nil, let file = files.first(where: { policies.policy(for: $0)?.requiresSignature($0) == true }),
                let policy = policies.policy(for: file)
            {
                why = "\(FilePath.display(policy.file))\(policy.requireSignatureLine.map { ":\($0)" } ?? "")"
            }
            // After the lookup above: a resolver that had not yet seen the requiring policy
            // knows it now, and its expected key is named.
            for policy in policies.policies { expected = expected ?? policy.keyIDs.first?.id }
        }
        guard let why else { return }
        throw ConfigurationError(
            .noKey, "signatures are required (\(why)) but no key was given; a public key is enough",
            remedy: .givePublicKey(expectedID: expected))
    }

    /// The note of a run whose keys could verify signatures, for the records that carry none
    /// and were not required to: nothing about them was verified, and a run that passes must
    /// not read as "all verified". `nil` when there are none.
    ///
    /// - Parameter files: the unsigned records, in report order.
    /// - Returns: the note, with the count and the first files.
    package static func unsignedNote(_ files: [String]) -> Note? {
        guard !files.isEmpty else { return nil }
        let first = files.prefix(3).map(FilePath.display).joined(separator: ", ")
        return Note(
            .unsignedRecords,
            message:
                "\(files.count.counted("record")) \(files.count == 1 ? "carries" : "carry") no signature (\(first)\(files.count > 3 ? ", …" : "")): \(files.count == 1 ? "it was" : "they were") not verified",
            remedy: .requireSignatures)
    }

    /// The note of an audit that ran with no key at all: how many signatures it did not
    /// verify, or `nil` when there were none.
    ///
    /// - Parameter count: the signed records whose signature was not verified.
    /// - Returns: the note, or `nil` for none.
    package static func notVerifiedNote(count: Int) -> Note? {
        guard count > 0 else { return nil }
        return Note(
            .signaturesNotVerified,
            message:
                "\(count.counted("signature")) \(count == 1 ? "was" : "were") not verified: no key was given (a public key is enough)",
            remedy: .givePublicKey(expectedID: nil))
    }
}
