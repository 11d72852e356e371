import ArgumentParser
import SecuredCrypto
import SecuredRecords

extension Secured {
    struct Open: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a record's sealed content (verifying its signature first).",
            discussion: """
                The signature, when present, is checked before anything is decrypted; a record
                whose signature fails is never decrypted. An unsigned blob is tried with each key.
                With --in-place the body is restored and the 'secured' and 'signature' lines are
                removed instead, so seal followed by open --in-place gives back the original file.

                Example:
                  secured open content/posts/a.md --key site-2026.key > a.txt
                  secured open content/posts/a.md --key site-2026.key --in-place

                Exit status: 0 opened; 1 verification or decryption failed; 2 usage or
                configuration error.
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

        func run() throws {
            let ring = try keys.loadRing()
            if ring.isEmpty {
                Output.error("error: open needs a key: pass --key PATH or set SECURED_KEY")
                throw ExitCode(2)
            }
            do {
                if inPlace {
                    let opened = try RecordFileOperations.openInPlace(
                        path, keys: ring, requireSignature: requireSignature, sizeLimit: sizeLimit)
                    Output.error("\(path): opened in place with key \(opened.keyID) (\(describe(opened.signature)))")
                } else {
                    let record = try RecordFileOperations.load(path, sizeLimit: sizeLimit)
                    var opened = try RecordSealer.open(record, keys: ring, requireSignature: requireSignature)
                    Output.dataBytes(opened.content)
                    secureWipe(&opened.content)
                    Output.error("\(path): opened with key \(opened.keyID) (\(describe(opened.signature)))")
                }
            } catch let error as RecordError {
                Output.error(error.description)
                throw ExitCode(1)
            }
        }
    }
}

func describe(_ check: SignatureCheck) -> String {
    switch check {
    case .valid(let id): return "signature valid, key \(id)"
    case .unsigned: return "unsigned: padding check only, not authenticated"
    case .notChecked(let id): return "signed by \(id), not checked"
    }
}
