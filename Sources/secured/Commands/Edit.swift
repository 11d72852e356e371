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
            let ring = try keys.loadSecret(purpose: "edit", near: [path])
            try CorpusScope.refuseMissing(!FilePath.exists(path) ? [path] : [])
            let record: Record
            var opened: RecordSealer.Opened
            record = try RecordFileOperations.load(path)
            opened = try RecordSealer.open(record, keys: ring)
            defer { secureWipe(&opened.content) }
            let key = ring.key(id: opened.keyID)!
            if opened.signature != .unsigned { try SigningChoice.checkSealing(with: key, sign: true) }

            let scratch: ScratchCopy
            scratch = try ScratchCopy(
                name: FilePath.display(path.split(separator: "/").last.map(String.init) ?? "record.md"),
                content: opened.content)
            defer { scratch.remove() }
            let editor = getenv("EDITOR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
            let status = runShell("\(editor) \"$1\"", argument: scratch.path)
            guard status == 0 else {
                Output.error(
                    "\(FilePath.display(path)): editor exited with status \(status); record left untouched")
                throw ExitCode(1)
            }
            guard var edited = try? scratch.read() else {
                Output.error("\(FilePath.display(path)): cannot read the edited content back; record left untouched")
                throw ExitCode(1)
            }
            defer { secureWipe(&edited) }
            if edited == opened.content {
                Output.error("\(FilePath.display(path)): no change; record left untouched")
                return
            }
            let result = try RecordFileOperations.reseal(path, original: record, content: edited, with: key)
            Output.error(
                "\(FilePath.display(path)): re-sealed\(result.signed ? " and signed" : "") with key \(key.id)")
        }
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
