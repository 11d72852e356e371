import ArgumentParser
import SecuredRecords

extension Secured {
    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign records in place with HMAC-SHA256.",
            discussion: """
                An existing 'signature' line is replaced in place; otherwise one is inserted after
                'secured' (or before the closing ---). Only that line changes.

                Example:
                  secured sign content/ --key site-2026.key

                Exit status: 0 all signed; 1 a record could not be signed; 2 usage or
                configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        func run() throws {
            let key = try keys.loadSingle(purpose: "sign")
            guard key.authenticationKey != nil else {
                Output.error("error: key \(key.id) has no 'mac'; it cannot sign")
                throw ExitCode(2)
            }
            var failed = 0
            var changed = 0
            let files = try walk.files(paths)
            for file in files {
                do {
                    let didChange = try RecordFileOperations.sign(file, with: key, sizeLimit: walk.sizeLimit)
                    if didChange { changed += 1 }
                    Output.error("\(file): \(didChange ? "signed" : "already signed") with \(key.id)")
                } catch let error as RecordError {
                    failed += 1
                    Output.error(error.description)
                }
            }
            Output.error(
                "sign: \(files.count) records: \(changed) signed, \(files.count - changed - failed) unchanged, \(failed) failed"
            )
            if failed > 0 { throw ExitCode(1) }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check records' signatures (nothing is decrypted).",
            discussion: """
                Every record must carry a signature made by one of the given keys: an unsigned
                record is SR008, a malformed one SR009, an unknown key id SR010, a wrong tag SR011.

                Example:
                  secured verify content/ --key site-2026.key

                Exit status: 0 all verified; 1 a verification failed; 2 usage or configuration error.
                """)

        @Argument(help: ArgumentHelp("Records and folders.", valueName: "path"))
        var paths: [String]

        @OptionGroup var keys: KeyOptions
        @OptionGroup var walk: WalkOptions

        func run() throws {
            let ring = try keys.loadRing()
            if ring.isEmpty {
                Output.error("error: verify needs a key: pass --key PATH or set SECURED_KEY")
                throw ExitCode(2)
            }
            let files = try walk.files(paths)
            var failed = 0
            for file in files {
                do {
                    let record = try RecordFileOperations.load(file, sizeLimit: walk.sizeLimit)
                    try FrontMatterValidator.validate(record)
                    switch RecordSigner.verify(record, keys: ring) {
                    case .success(.valid(let id)): Output.error("\(file): signature valid (key \(id))")
                    case .success:
                        throw RecordError(
                            .sr008SignatureMissing, file: file, field: "signature", reason: "record has no 'signature'")
                    case .failure(let error): throw error
                    }
                } catch let error as RecordError {
                    failed += 1
                    Output.error(error.description)
                }
            }
            Output.error("verify: \(files.count) records: \(files.count - failed) valid, \(failed) failed")
            if failed > 0 { throw ExitCode(1) }
        }
    }
}
