import ArgumentParser
import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(FoundationEssentials)
    import FoundationEssentials  // JSONEncoder, without ICU
#else
    import Foundation
#endif

/// The JSON document of the per-file commands (seal, sign, verify, open, rotate): one entry
/// per file, with what happened or the finding that stopped it.
struct FileReport: Encodable {
    struct Entry: Encodable {
        var file: String
        var outcome: String
        var keyID: String?
        var error: JSONFinding?
    }

    var command: String
    var tool = "secured"
    var version = Secured.version
    var files: [Entry] = []
    var failed = 0
    var elapsedSeconds: Double = 0

    init(command: String) { self.command = command }

    mutating func add(_ file: String, _ outcome: String, keyID: String? = nil) {
        files.append(Entry(file: FilePath.display(file), outcome: outcome, keyID: keyID))
    }

    mutating func add(_ error: RecordError) {
        failed += 1
        files.append(Entry(file: FilePath.display(error.file), outcome: "failed", error: JSONFinding(error)))
    }
}
