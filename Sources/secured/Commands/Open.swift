import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a record's sealed content (verifying its signature first).",
            discussion: """
                The signature, when present, is checked before anything is decrypted; a record whose signature fails is never decrypted. An unsigned blob is tried with each key. With --in-place the body is restored and the 'secured' and 'signature' lines are removed instead, so seal followed by open --in-place gives back the original file.

                Examples:
                  secured open content/posts/a.md --key site-2026.key > a.txt
                  secured open content/posts/a.md --key site-2026.key --in-place
                  secured open content/posts/a.md --key site-2026.key --format json

                With --format json, stdout holds one document: the file, the key, the signature check and the content (as text when it is UTF-8, else as base64).

                Exit status: 0 opened; 1 verification or decryption failed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("The record.", valueName: "path"))
        var path: String

        @OptionGroup var keys: KeyOptions

        @Flag(help: "Restore the body in the file instead of printing it.")
        var inPlace = false

        @Flag(help: "Refuse an unsigned record (SR008) without decrypting it.")
        var requireSignature = false

        @Option(help: ArgumentHelp("Largest record read, in bytes.", valueName: "bytes"))
        var sizeLimit: Int = Record.defaultSizeLimit

        @OptionGroup var output: FormatOptions<PlainFormats>

        struct Document: Encodable {
            var command = "open"
            var file: String
            var keyID: String
            var signature: String
            var inPlace: Bool
            var content: String?
            var contentBase64: String?
            var warnings: [String]
        }

        func run() throws {
            let ring = try keys.loadSecret(purpose: "open", near: [path])
            try CorpusScope.refuseMissing(!FilePath.exists(path) ? [path] : [])
            if FilePath.isDirectory(path) {
                throw ConfigurationError(
                    .usage,
                    "\(FilePath.display(path)) is a folder: open takes one record (to check every record in a folder: \(Hints.command(["audit"], .read, paths: [path])))"
                )
            }
            let shown = FilePath.display(path)
            var opened: RecordSealer.Opened
            if inPlace {
                opened = try RecordFileOperations.openInPlace(
                    path, keys: ring, requireSignature: requireSignature, sizeLimit: sizeLimit)
            } else {
                let record = try RecordFileOperations.load(path, sizeLimit: sizeLimit)
                opened = try RecordSealer.open(record, keys: ring, requireSignature: requireSignature)
            }
            defer { secureWipe(&opened.content) }
            let warning = opened.warning(file: path, line: nil)
            if output.format == .json {
                var doc = Document(
                    file: shown, keyID: opened.keyID, signature: describe(opened.signature), inPlace: inPlace,
                    warnings: warning.map { [$0.code.rawValue] } ?? [])
                if !inPlace {
                    if UTF8Validation.isValid(opened.content[...]) {
                        doc.content = String(decoding: opened.content, as: UTF8.self)
                    } else {
                        doc.contentBase64 = Base64.encode(opened.content)
                    }
                }
                Output.json(doc)
            } else if !inPlace {
                Output.dataBytes(opened.content)
            }
            if let warning { Output.error(warning.description) }
            let how = inPlace ? "opened in place" : "opened"
            Output.error("\(shown): \(how) with key \(opened.keyID) (\(describe(opened.signature)))")
        }
    }
}
