import SecuredCrypto

/// What a policy below a folder named does to a run that requires signatures or sealing (SPEC
/// section 8, and the README's "What a policy or a key in a pull request can and cannot do"):
/// a policy file is as easy to add in a pull request as a record, so one that leaves records
/// out of the walk, or drops a requirement (signed, sealed) of the folder's own policy, is
/// never silent.
extension CorpusWalker {
    /// Whether a policy below the folder named leaves out a file that the named folder's own
    /// policy (`root`; the pattern when there is none) would check under a signature or
    /// sealing requirement.
    ///
    /// - Parameters:
    ///   - path: a file met in a folder.
    ///   - name: its name.
    ///   - policy: the policy in force for it.
    ///   - root: the policy in force at the folder named (`nil`: none).
    /// - Returns: whether the file is left out by a policy below the root, and signatures or
    ///   sealing are required for it (by the command line, or by the root policy).
    public func narrowing(path: String, name: String, policy: Policy?, root: Policy?) -> Bool {
        guard let policy, policy.file != root?.file else { return false }
        guard !selects(path: path, name: name, policy: policy) else { return false }
        let rootSelects = selects(path: path, name: name, policy: root)
        guard rootSelects else { return false }
        return signaturesRequired || sealingRequired || root?.requiresSignature(path) == true
            || root?.requiresSecured(path) == true
    }

    /// Whether the policy in force for a record, one below the folder named, drops a
    /// requirement (signed, or sealed) the named folder's own policy (`root`) sets for it.
    public func relaxing(path: String, policy: Policy?, root: Policy?) -> Bool {
        guard let policy, let root, policy.file != root.file else { return false }
        return (root.requiresSignature(path) && !policy.requiresSignature(path))
            || (root.requiresSecured(path) && !policy.requiresSecured(path))
    }

    /// One note per policy that left records out (``narrowing(path:name:policy:root:)``) or
    /// dropped a requirement (``relaxing(path:policy:root:)``), with the count and the first
    /// files, in policy-file order.
    ///
    /// - Parameters:
    ///   - narrowed: the files left out, by policy file.
    ///   - relaxed: the files no longer required signed, by policy file.
    /// - Returns: the notes.
    public static func policyNotes(narrowed: [String: [String]], relaxed: [String: [String]]) -> [Note] {
        notes(narrowed, .policyNarrowsChecks, remedy: nil) { count, first in
            "this policy leaves \(count) out of a run that requires them signed or sealed (\(first)): they were not checked; a policy below the folder checked decides nothing about what is required unless you reviewed it"
        }
            + notes(relaxed, .policyDropsRequirement, remedy: .overridePolicies) { count, first in
                "this policy drops what the policy of the folder checked requires of \(count) (signed or sealed: \(first)); review it"
            }
    }

    private static func notes(
        _ byPolicy: [String: [String]], _ kind: Note.Kind, remedy: Remedy?, _ message: (String, String) -> String
    ) -> [Note] {
        byPolicy.keys.sorted(by: FilePath.precedes).map { file in
            let files = byPolicy[file]!.sorted(by: FilePath.precedes)
            let first = files.prefix(3).map(FilePath.display).joined(separator: ", ")
            return Note(
                kind, path: file,
                message: message(files.count.counted("record"), first + (files.count > 3 ? ", …" : "")), remedy: remedy)
        }
    }
}
