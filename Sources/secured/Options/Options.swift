import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--key PATH` (repeatable) or SECURED_KEY.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "A key file, or a folder of *.key files (repeatable). Without --key, SECURED_KEY is read.",
            valueName: "path"))
    var keyPaths: [String] = []

    /// Loads the keys, printing warnings; configuration errors exit 2.
    func loadRing() throws -> KeyRing { try Self.loadRing(keyPaths) }

    /// Exactly one key, for writers.
    func loadSingle(purpose: String) throws -> SecuredKey { try Self.loadSingle(keyPaths, purpose: purpose) }

    static func loadRing(_ keyPaths: [String]) throws -> KeyRing {
        do {
            let (ring, warnings) = try KeyRing.load(paths: keyPaths)
            for warning in warnings { Output.error(warning) }
            return ring
        } catch {
            Output.error("error: \(error)")
            throw ExitCode(2)
        }
    }

    static func loadSingle(_ keyPaths: [String], purpose: String) throws -> SecuredKey {
        let ring = try loadRing(keyPaths)
        guard ring.keys.count == 1, let key = ring.keys.first else {
            Output.error(
                ring.isEmpty
                    ? "error: \(purpose) needs a key: pass --key PATH or set SECURED_KEY"
                    : "error: \(purpose) takes exactly one key, \(ring.keys.count) were given")
            throw ExitCode(2)
        }
        return key
    }
}

/// How folders are walked.
struct WalkOptions: ParsableArguments {
    @Option(help: ArgumentHelp("File-name pattern for records found in folders.", valueName: "glob"))
    var include: String = "*.md"

    @Option(help: ArgumentHelp("Largest record read, in bytes (larger files are SR017).", valueName: "bytes"))
    var sizeLimit: Int = Record.defaultSizeLimit

    var walker: CorpusWalker { CorpusWalker(include: include) }

    func validate() throws {
        guard sizeLimit > 0 else { throw ValidationError("--size-limit must be positive") }
    }

    /// The record files under `paths`; walk problems are printed; no file exits 2.
    func files(_ paths: [String]) throws -> [String] {
        let walk = walker.walk(paths)
        for note in walk.notes { Output.error(note) }
        for error in walk.errors { Output.error(error.description) }
        if walk.files.isEmpty {
            Output.error("error: no record found in \(paths.joined(separator: ", ")) (pattern \(include))")
            throw ExitCode(2)
        }
        return walk.files
    }
}

/// `--format`.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, github
}
