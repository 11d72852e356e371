import ArgumentParser
import SecuredRecords

extension Secured {
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal and re-sign records from one key to another.",
            discussion: """
                Each sealed record is opened with the old key (its signature verified first), sealed again with a fresh IV under the new key and signed, then replaced atomically. A record that is signed by the old key but not sealed (a public post) is signed again with the new key, so that no record stays vouched for by a retired key. Records already signed by the new key are skipped, so an interrupted run is simply run again; so are records neither sealed nor signed.

                Rotating never vouches for what was never authenticated: a sealed record that carries no signature is re-sealed under the new key but NOT signed, and listed on stderr (outcome "re-sealed, not signed" in --format json); audit --require-signature keeps flagging it. To migrate a legacy corpus whose unsigned records you accept as they are, pass --sign-unsigned: they are then signed too, and each is named on stderr.

                Copies of the old key kept for others still hold it after the rotation: a team's <id>.key.age and a group of readers' <id>.<label>.key.pw found beside a --from file or beside the key files the policy names are each named in a note, with the secured share that writes the new key's copy in its place (publish a .key.pw wherever the old one is published).

                Example:
                  secured rotate content/ --from site-2025.key --to site-2026.key

                Exit status: 0 every record rotated or skipped; 1 a record could not be opened or written; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @Option(
            help: ArgumentHelp(
                "The old key file (repeatable: a read-only key, such as a .key.pw, goes with the .pub of its id, which verifies what it signed).",
                valueName: "path"))
        var from: [String] = []

        @Option(help: ArgumentHelp("The new key file.", valueName: "path"))
        var to: String

        @Flag(
            help:
                "Also sign sealed records that carry no signature (each is named): you vouch for them. Without it they are re-sealed, not signed."
        )
        var signUnsigned = false

        @OptionGroup var age: IdentityOptions
        @OptionGroup var passphrase: PassphraseOptions
        @OptionGroup var walk: WalkOptions
        @OptionGroup var signing: SigningOptions

        @OptionGroup var output: FormatOptions<PlainFormats>

        func validate() throws {
            if from.isEmpty { throw ValidationError("Missing expected argument '--from <path>'") }
        }

        func run() throws {
            let loaded = try passphrase.sources(paths: from, identities: age.load()).loadOneSecret(
                purpose: "rotate --from")
            for warning in loaded.warnings { Output.error(warning) }
            let oldRing = loaded.ring
            let old = oldRing.keys[0]
            let new = try KeyOptions.loadSingle([to], purpose: "rotate --to", age: age, passphrase: passphrase)
            Hints.know(keyPaths: [to], policies: KeyOptions.policies(near: paths))
            if old.authenticationKey == nil && old.signingKey == nil && oldRing.publicKey(id: old.id) == nil {
                Output.error(
                    "note: the old key '\(old.id)' is read-only (no 'sign' or 'mac'): it opens records but cannot check the signatures they carry, so a signed record fails (SR010) unless the public key is given too: --from \(old.id).pub"
                )
            }
            try new.require(.rotateTo)
            let scope = walk.scope()
            let files = try WalkOptions.files(paths, in: scope)
            let report = BatchRenderer.run("rotate", files: files, lines: .unsigned, format: output.format) {
                file throws(RecordError) in
                let outcome = try RecordFileOperations.rotate(
                    file, from: oldRing, to: new, signUnsigned: signUnsigned, choice: signing.choice,
                    sizeLimit: scope.sizeLimit)
                return FileOutcome(
                    file: file, action: .init(outcome),
                    signed: [.rotated, .resigned, .signedUnsigned].contains(outcome),
                    keyID: new.id)
            }
            BatchRenderer.render(report, format: output.format, title: "rotate \(old.id) -> \(new.id)")
            StaleManifest.say(changed: report.written, in: scope)
            // Copies of the old key kept for others still hold it: share the new one in their place.
            for note in KeyCopies.reshareNotes(
                oldID: old.id, newKey: to, newID: new.id, beside: from, policies: KeyOptions.policies(near: paths))
            {
                Output.note(note)
            }
            if report.counts[.resealedUnsigned, default: 0] > 0 {
                Output.error(
                    "note: rotate does not vouch for records nothing authenticated; check them, then sign them (secured sign) or run again with --sign-unsigned"
                )
            }
            if report.failed > 0 { throw ExitCode(1) }
        }
    }
}
