import SecuredRecords

/// The policy file `secured init` writes: every field, commented. Its comments speak of the
/// command line, so it lives with it; the fields are the library's (``Policy``).
enum StarterPolicy {
    /// The text `secured init` writes.
    static let text = """
        # secured policy: read by `secured audit`, `verify`, `manifest`, `textconv`, the
        # pre-commit hooks and the GitHub Action for every record in this folder and below
        # (the nearest .secured.yaml above a record applies; command-line flags add to it;
        # --no-policy ignores it). Globs work as in .gitignore and are relative to this folder.

        # Records found when walking folders (default: *.md at any depth).
        include:
          - "**/*.md"

        # Files skipped when walking (a file named on the command line is still checked).
        exclude:
          - "README.md"
          - "**/drafts/**"

        # Records that must be sealed (SR003 without `secured`; the pre-commit hook refuses
        # them in plaintext): true, false, or globs (uncomment the line below; empty: none).
        require-secured:
        #  - "content/private/**"

        # Records that must be signed (SR008): true, false, or globs. Checks that need a key
        # refuse to run without one: list the public key under `keys` (a public key verifies).
        require-signature: true

        # SR codes not reported (empty: none).
        ignore:
        #  - SR015

        # The signed manifest `secured audit` also checks (SR018, SR019).
        # manifest: content/MANIFEST.sha256

        # Keys: key files (.pub, .key, .key.age, .key.pw, or a path with '/'), relative to this
        # folder, and ids of secret keys expected from --key or SECURED_KEY (empty: none).
        keys:
        #  - Keys/site-2026.pub

        # secured leaks, the pre-commit hook and the Action: what is searched for sealed text
        # when no path is given (the built site), the findings accepted (written by
        # secured leaks --write-baseline) and whether git history is searched too.
        # leaks:
        #   paths: [_site]
        #   baseline: .secured-leaks
        #   history: false

        """
}
