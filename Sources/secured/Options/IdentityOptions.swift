import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--identity PATH` (repeatable) or SECURED_AGE_IDENTITY: what opens `<id>.key.age`.
struct IdentityOptions: ParsableArguments {
    @Option(
        name: .customLong("identity"),
        help: ArgumentHelp(
            "An age identity file that opens age-encrypted key files (*.key.age) in memory (repeatable). Without --identity, SECURED_AGE_IDENTITY is read.",
            valueName: "path"))
    var paths: [String] = []

    /// The identities, printing warnings; a bad identity file exits 2.
    func load() throws -> [AgeIdentity] {
        let (identities, warnings) = try KeyRing.loadIdentities(paths: paths)
        for warning in warnings { Output.error(warning) }
        return identities
    }
}
