import SecuredCrypto
import SecuredRecords

// How to fix a finding: the rules' help (SARIF's `rule.help`, `secured explain`) and each
// finding's hint. They name `secured` commands and flags, so they live with the command line;
// the library says what each rule is (`RecordError.Code.summary`).

extension RecordError.Code {
    /// How to fix a finding of this code, in general: SARIF's `rule.help` and
    /// `secured explain`. `PATH` stands for the record and `KEY` for a key file.
    var help: String { fix(path: nil, keyID: nil) }

    /// How to fix a finding of this code: the one source of the rules' help and of each
    /// finding's hint (``RecordError/hint(key:)``).
    ///
    /// - Parameters:
    ///   - path: the record; commands then name it as a POSIX shell word after `--`
    ///     (`ShellWord.quoted(_:)`). `nil`: `PATH`.
    ///   - keyID: the key id the finding is about, when it names one.
    ///   - key: the keys the run knows: commands pass the one that does the job
    ///     (``SuggestedKey``); with none, they say `--key KEY`, and the text starts by saying
    ///     what to put there (the commands stay at the end, to select and paste).
    /// - Returns: one or two sentences, with the commands to run.
    func fix(path: String?, keyID: String?, key: SuggestedKey = .unknown) -> String {
        let purpose: SuggestedKey.Purpose = self == .sr013ContentNotUTF8 ? .read : .write
        let text = sentence(path: path, keyID: keyID) { words, paths in
            SuggestedCommand.secured(words, key: key, purpose, keyID: keyID, paths: paths)
        }
        guard text.includes("--key KEY"), let fill = key.fillIn(purpose, keyID: keyID) else { return text }
        return "In" + fill.dropFirst(2) + ". " + text
    }

    /// The fix's words, with `command(words, paths)` writing each `secured` command that needs a key.
    private func sentence(path: String?, keyID: String?, command: ([String], [String]) -> String) -> String {
        let p = path.map(ShellWord.quoted) ?? "PATH"
        let record = [path ?? "PATH"]
        let id = keyID.map { "'\($0)'" }
        let pub = "Keys/\(keyID ?? "<id>").pub"
        let rebuild = command(["manifest", "build"], [])
        let rebuildOther = command(["manifest", "build"], ["FOLDER"])
        switch self {
        case .sr001NoFrontMatter:
            return
                "If it is not an article (a README, a theme's page), leave it out of the records: add it to 'exclude' in .secured.yaml; if it is one, start the file with a line '---' and end the front matter with another '---' line."
        case .sr002AmbiguousFrontMatter:
            return
                "Make the front matter one YAML mapping with no key repeated at any depth and no top-level '<<'; write 'secured' and 'signature' as top-level lines of their own, in column 0."
        case .sr003SecuredMissing:
            return "Seal it: \(command(["seal"], record)) && git add -- \(p)"
        case .sr004SecuredNotLiteral:
            return
                "Write the value on one line as \"<base64>;<base64>\": no escapes, comment, continuation line or other characters; if it was damaged, restore it from history (git log -p -- \(p))"
        case .sr005NonCanonicalBase64, .sr006BadIVLength, .sr007BadCiphertextLength:
            return
                "The blob was damaged or written by a broken tool: restore it from history (git log -p -- \(p)), or seal the original body again"
        case .sr008SignatureMissing:
            return
                "Sign it: \(command(["sign"], record))"
        case .sr009SignatureMalformed:
            return
                "Keep one 'signature' line of the form ed25519;<id>;<base64> or v1;<id>;<base64>, then re-sign: \(command(["sign"], record))"
        case .sr010UnknownKeyID:
            return
                "It names key \(id ?? "<id>"), which no key given verifies. The record chose that name: trust a key only from its owner, never because a change added it. If \(id ?? "<id>") is one of your keys, pass its public key with --key (keys come from --key, SECURED_KEY and the policy's 'keys:'; a v1 signature needs the secret key file); if it is not, the record was signed by someone else: review the change (git log -p -- \(p))"
        case .sr011SignatureMismatch:
            return
                "Review the change first (git diff --cached -- \(p); git log -p -- \(p)): the record was changed after it was signed, or the wrong key was passed. In a pull request, never re-sign what you did not write. Only if the change is yours and right, re-sign: \(command(["sign"], record))"
        case .sr012DecryptionFailed:
            return
                "Pass the secret key that sealed it\(id.map { " (\($0))" } ?? "") with --key (a public key never decrypts); if that is the key, the blob was damaged: restore it from history (git log -p -- \(p))"
        case .sr013ContentNotUTF8:
            return "Check its content (\(command(["open"], record))), then seal it again from a UTF-8 body"
        case .sr014IVReused:
            return
                "Every seal draws a fresh random IV: seal one of the two records again: \(command(["open", "--in-place"], record)) && \(command(["seal"], record))"
        case .sr015DuplicateBlob:
            return "A blob was copied between records: re-seal one copy, or delete the duplicate record."
        case .sr016BodyBesideSealedContent:
            return
                "Plaintext sits beside the sealed content. To keep the sealed content, delete the body, and change the content with \(command(["edit"], record)); only if the body is what you mean to keep, seal it over the sealed content (which is then lost for good): \(command(["seal", "--reseal"], record))"
        case .sr017Unreadable:
            return
                "Make it a readable regular file in UTF-8 under the size limit (--size-limit), or exclude it ('exclude:' in .secured.yaml); secured open and inspect take records, not folders."
        case .sr018ManifestMismatch:
            return
                "Review the added, removed or changed records (git diff; git log -p), then rebuild the manifest: \(rebuild) (the manifest the policy names; for another, name its folder: \(rebuildOther))"
        case .sr019ManifestSignature:
            return
                "Pass a key that verifies it (--key \(pub) for the .minisig, the secret key for the HMAC line), or rebuild and re-sign the manifest: \(rebuild) (the manifest the policy names; for another, name its folder: \(rebuildOther))"
        case .sr020LeakInFile: return LeakChannel(path: path).fix
        case .sr021LeakInHistory:
            return
                "History cannot be unsealed: sealing again does not withdraw what a clone already holds. Treat that content as public (if it must stay secret, write new content and rotate the key: secured rotate); only where the repository was never shared, rewrite history (git filter-repo) and rotate the key."
        case .refused, .io: return "See the message."
        }
    }
}

extension RecordError {
    /// How to fix this finding, with its path (quoted for a POSIX shell) and key id in the
    /// commands: ``Code/fix(path:keyID:key:)``, the same sentences as the rules' help. `nil`
    /// for refusals and I/O failures, whose message says it all.
    ///
    /// - Parameter key: the keys the run knows; the commands pass the one that does the job,
    ///   or say `--key KEY` and what to put there (``SuggestedKey``).
    func hint(key: SuggestedKey = .unknown) -> String? {
        guard code.isDiagnostic else { return nil }
        return code.fix(path: file.isEmpty ? nil : file, keyID: keyID, key: key)
    }
}
