import ArgumentParser
import Foundation
import SecuredCrypto
import SecuredRecords

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
            let ring = try keys.loadRequired(purpose: "edit")
            try WalkOptions.refuseMissing(!FilePath.exists(path) ? [path] : [])
            let record: Record
            var opened: RecordSealer.Opened
            do {
                record = try RecordFileOperations.load(path)
                opened = try RecordSealer.open(record, keys: ring)
            } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
            defer { secureWipe(&opened.content) }
            let key = ring.key(id: opened.keyID)!

            var template = Array("\(NSTemporaryDirectory())/secured-edit-XXXXXX".utf8CString)
            guard let dirPointer = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
                Output.error("error: cannot create a private temporary folder")
                throw ExitCode(1)
            }
            let dir = String(cString: dirPointer)
            let file = dir + "/" + FilePath.display(path.split(separator: "/").last.map(String.init) ?? "record.md")
            defer {
                // Overwrite, then remove: the decrypted copy must not outlive the edit.
                if let size = (try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? Int,
                    let handle = FileHandle(forWritingAtPath: file)
                {
                    try? handle.write(contentsOf: Data(count: size))
                    try? handle.synchronize()
                    try? handle.close()
                }
                try? FileManager.default.removeItem(atPath: dir)
            }
            do {
                try AtomicFileWriter.create(at: file, with: opened.content, mode: 0o600)
            } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
            let editor = ProcessInfo.processInfo.environment["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "\(editor) \"$1\"", "secured-edit", file]
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                Output.error(
                    "\(FilePath.display(path)): editor exited with status \(process.terminationStatus); record left untouched"
                )
                throw ExitCode(1)
            }
            guard var edited = try? [UInt8](Data(contentsOf: URL(fileURLWithPath: file))) else {
                Output.error("\(FilePath.display(path)): cannot read the edited content back; record left untouched")
                throw ExitCode(1)
            }
            defer { secureWipe(&edited) }
            if edited == opened.content {
                Output.error("\(FilePath.display(path)): no change; record left untouched")
                return
            }
            do {
                let result = try RecordFileOperations.reseal(path, original: record, content: edited, with: key)
                Output.error(
                    "\(FilePath.display(path)): re-sealed\(result.signed ? " and signed" : "") with key \(key.id)")
            } catch {
                Output.error(error.description)
                throw ExitCode(1)
            }
        }
    }
}
