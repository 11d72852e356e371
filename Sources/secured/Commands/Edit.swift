import ArgumentParser
import SecuredCrypto
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension Secured {
    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Edit a record's sealed content in $EDITOR, then re-seal and re-sign it.",
            discussion: """
                The content is decrypted (after the signature is verified) into a temporary file of mode 0600 in a private folder, $EDITOR (or vi) is run on it, and on save the record is re-sealed with the key that opened it. The record is left untouched when the editor exits non-zero, nothing changed, or the file changed meanwhile. The temporary file is overwritten and removed in every case.

                Example:
                  EDITOR=nano secured edit content/posts/a.md --key site-2026.key

                Exit status: 0 saved or unchanged; 1 verification, decryption, the editor or the write failed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("The record.", valueName: "path"))
        var path: String

        @OptionGroup var keys: KeyOptions

        func run() throws {
            let editor = try Self.editor()
            let ring = try keys.loadSecret(purpose: "edit", near: [path])
            try CorpusScope.refuseMissing(!FilePath.exists(path) ? [path] : [])
            let record: Record
            var opened: RecordSealer.Opened
            record = try RecordFileOperations.load(path)
            opened = try RecordSealer.open(record, keys: ring)
            defer { secureWipe(&opened.content) }
            let key = ring.key(id: opened.keyID)!
            try key.require(.reseal(opened.signature))

            let scratch: ScratchCopy
            scratch = try ScratchCopy(
                name: FilePath.display(path.split(separator: "/").last.map(String.init) ?? "record.md"),
                content: opened.content)
            defer { scratch.remove() }
            let status = runShell("\(editor) \"$1\"", argument: scratch.path)
            guard status == 0 else {
                // 127: the shell did not find the command (126: found, not executable).
                let why =
                    status == 127
                    ? "editor '\(FilePath.visible(editor))' not found (set VISUAL or EDITOR to one that is installed)"
                    : status == 126
                        ? "editor '\(FilePath.visible(editor))' cannot be run" : "editor exited with status \(status)"
                throw RecordError(.refused, file: path, reason: "\(why); record left untouched")
            }
            guard var edited = try? scratch.read() else {
                throw RecordError(
                    .refused, file: path, reason: "cannot read the edited content back; record left untouched")
            }
            defer { secureWipe(&edited) }
            if edited == opened.content {
                Output.error("\(FilePath.display(path)): no change; record left untouched")
                return
            }
            let result = try RecordFileOperations.reseal(path, original: record, content: edited, with: key)
            Output.error(
                "\(FilePath.display(path)): re-sealed\(result.signed ? " and signed" : "") with key \(key.id)")
            StaleManifest.say(
                changed: [path],
                in: CorpusScope(
                    include: nil, sizeLimit: Record.defaultSizeLimit, usePolicies: true,
                    workingDirectory: WorkingDirectory.current))
        }
    }
}

extension Secured.Edit {
    /// The editor: `$VISUAL`, then `$EDITOR`, then `vi` — but `vi` only on a terminal: with no
    /// terminal it would wait for keys that never come.
    ///
    /// - Throws: ``ConfigurationError`` (exit 2) with no terminal and neither variable set.
    static func editor() throws -> String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = Output.environment(name), !value.isEmpty { return value }
        }
        guard isatty(0) == 1 && isatty(1) == 1 else {
            throw ConfigurationError(
                .usage,
                "edit needs an editor: set VISUAL or EDITOR (there is no terminal for vi here); nothing was changed")
        }
        return "vi"
    }
}

/// Runs `/bin/sh -c script secured-edit argument` with the terminal and environment of this
/// process, and waits for it.
///
/// - Returns: its exit status (128 + the signal when a signal ended it; -1 when it could not start).
private func runShell(_ script: String, argument: String) -> Int32 {
    switch Subprocess.run(["/bin/sh", "-c", script, "secured-edit", argument], captureOutput: false) {
    case .success(let result): return result.status
    case .failure: return -1
    }
}
