import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal and re-sign records from one key to another.",
            discussion: """
                Each sealed record is opened with the old key (its signature verified first),
                sealed again with a fresh IV under the new key and signed, then replaced
                atomically. Records already signed by the new key are skipped, so an interrupted
                run is simply run again. Records without 'secured' are skipped.

                Example:
                  secured rotate content/ --from site-2025.key --to site-2026.key

                Exit status: 0 every record rotated or skipped; 1 a record could not be opened or
                written; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @Option(help: ArgumentHelp("The old key file.", valueName: "path"))
        var from: String

        @Option(help: ArgumentHelp("The new key file.", valueName: "path"))
        var to: String

        @OptionGroup var walk: WalkOptions

        func run() throws {
            let old = try KeyOptions.loadSingle([from], purpose: "rotate --from")
            let new = try KeyOptions.loadSingle([to], purpose: "rotate --to")
            guard new.authenticationKey != nil, new.encryptionKey.byteCount == 32 else {
                Output.error("error: the new key must have a 32-byte 'enc' and a 'mac'")
                throw ExitCode(2)
            }
            let oldRing = try KeyRing([old])
            let newRing = try KeyRing([new])
            let files = try walk.files(paths)
            var rotated = 0
            var skipped = 0
            var failed = 0
            let bar = ProgressBar(total: files.count)
            for (index, file) in files.enumerated() {
                defer { bar.update(done: index + 1, total: files.count) }
                do {
                    let record = try RecordFileOperations.load(file, sizeLimit: walk.sizeLimit)
                    guard record.securedLine != nil else {
                        skipped += 1
                        continue
                    }
                    if case .success(.valid) = RecordSigner.verify(record, keys: newRing) {
                        skipped += 1
                        continue
                    }
                    var opened = try RecordSealer.open(record, keys: oldRing)
                    defer { secureWipe(&opened.content) }
                    let withBody = try record.replacingBody(with: opened.content)
                    let result = try RecordSealer.seal(withBody, with: new, reseal: true)
                    try AtomicFileWriter.replaceContents(of: file, with: result.record.bytes)
                    rotated += 1
                } catch let error as RecordError {
                    failed += 1
                    Output.error(error.description)
                }
            }
            bar.finish()
            Output.error(
                "rotate \(old.id) -> \(new.id): \(files.count) records: \(rotated) rotated, \(skipped) skipped, \(failed) failed"
            )
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
