import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--key PATH` (repeatable) or SECURED_KEY, and the age identities for `*.key.age`.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "A key file (secret .key, public .pub, or age-encrypted .key.age), or a folder of them (repeatable). Without --key, SECURED_KEY is read.",
            valueName: "path"))
    var keyPaths: [String] = []

    @OptionGroup var age: IdentityOptions

    /// Loads the keys, printing warnings; configuration errors exit 2. The key files of the
    /// policies `walk` has found add to them; key ids a policy expects but nobody supplied
    /// are notes (CI may hold only public keys), returned for the run's report.
    func loadRing(policies walk: WalkOptions? = nil) throws -> KeyRing {
        let (ring, _) = try loadRingAndNotes(policies: walk)
        return ring
    }

    /// ``loadRing(policies:)``, with its notes.
    func loadRingAndNotes(policies walk: WalkOptions?) throws -> (KeyRing, [Note]) {
        let found = walk.map { $0.noPolicy ? [] : $0.policies.policies } ?? []
        let ring = try Self.loadRing(keyPaths, policies: found, identities: age.load())
        var notes: [Note] = []
        for policy in found {
            for (id, line) in policy.keyIDs where ring.key(id: id) == nil && ring.publicKey(id: id) == nil {
                notes.append(
                    Note(
                        .expectedKeyMissing, path: policy.file, line: line,
                        message: "the policy expects key '\(id)', which was not supplied (--key or SECURED_KEY)"))
            }
        }
        return (ring, notes)
    }

    /// Exactly one key, for writers.
    func loadSingle(purpose: String) throws -> SecuredKey {
        try Self.loadSingle(keyPaths, purpose: purpose, identities: age.load())
    }

    /// Loads keys that must not be empty, for commands that need one (with the policies'
    /// keys, and their notes printed, when `policies` is given).
    func loadRequired(purpose: String, policies: WalkOptions? = nil) throws -> KeyRing {
        let (ring, notes) = try loadRingAndNotes(policies: policies)
        for note in notes { Output.error(note.description) }
        if ring.isEmpty { throw Output.usage("\(purpose) needs a key: pass --key PATH or set SECURED_KEY") }
        return ring
    }

    /// Loads keys that include a secret key, for commands that decrypt.
    func loadSecret(purpose: String) throws -> KeyRing {
        let ring = try loadRequired(purpose: purpose)
        if ring.isPublicOnly {
            throw Output.usage("\(purpose) needs a secret key: a public key (.pub) verifies, it cannot decrypt")
        }
        return ring
    }

    static func loadRing(_ keyPaths: [String], policies: [Policy] = [], identities: [AgeIdentity] = []) throws
        -> KeyRing
    {
        do {
            let (ring, warnings) = try KeyRing.load(paths: keyPaths, policies: policies, identities: identities)
            for warning in warnings { Output.error(warning) }
            return ring
        } catch {
            throw Output.usage("\(error)")
        }
    }

    /// Exactly one secret key: a public key verifies, it cannot seal, open or sign.
    static func loadSingle(_ keyPaths: [String], purpose: String, identities: [AgeIdentity] = []) throws
        -> SecuredKey
    {
        let ring = try loadRing(keyPaths, identities: identities)
        if ring.isPublicOnly {
            throw Output.usage(
                "\(purpose) needs a secret key: a public key (.pub) verifies, it cannot seal, open or sign")
        }
        guard ring.keys.count == 1, let key = ring.keys.first else {
            throw Output.usage(
                ring.isEmpty
                    ? "\(purpose) needs a key: pass --key PATH or set SECURED_KEY"
                    : "\(purpose) takes exactly one key, \(ring.keys.count) were given")
        }
        return key
    }
}
