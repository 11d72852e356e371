import ArgumentParser
import SecuredCrypto
import SecuredRecords

/// `--key PATH` (repeatable) or SECURED_KEY.
struct KeyOptions: ParsableArguments {
    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "A key file (secret .key or public .pub), or a folder of them (repeatable). Without --key, SECURED_KEY is read.",
            valueName: "path"))
    var keyPaths: [String] = []

    /// Loads the keys, printing warnings; configuration errors exit 2.
    func loadRing() throws -> KeyRing { try Self.loadRing(keyPaths) }

    /// Exactly one key, for writers.
    func loadSingle(purpose: String) throws -> SecuredKey { try Self.loadSingle(keyPaths, purpose: purpose) }

    /// Loads keys that must not be empty, for commands that need one.
    func loadRequired(purpose: String) throws -> KeyRing {
        let ring = try loadRing()
        if ring.isEmpty { throw Output.usage("\(purpose) needs a key: pass --key PATH or set SECURED_KEY") }
        return ring
    }

    /// Loads keys that include a secret key, for commands that decrypt.
    func loadSecret(purpose: String) throws -> KeyRing {
        let ring = try loadRequired(purpose: purpose)
        if ring.isPublicOnly {
            throw Output.usage("\(purpose) needs a secret key: a public key (.pub) verifies, it cannot decrypt")
        }
        return ring
    }

    static func loadRing(_ keyPaths: [String]) throws -> KeyRing {
        do {
            let (ring, warnings) = try KeyRing.load(paths: keyPaths)
            for warning in warnings { Output.error(warning) }
            return ring
        } catch {
            throw Output.usage("\(error)")
        }
    }

    /// Exactly one secret key: a public key verifies, it cannot seal, open or sign.
    static func loadSingle(_ keyPaths: [String], purpose: String) throws -> SecuredKey {
        let ring = try loadRing(keyPaths)
        if ring.isPublicOnly {
            throw Output.usage(
                "\(purpose) needs a secret key: a public key (.pub) verifies, it cannot seal, open or sign")
        }
        guard ring.keys.count == 1, let key = ring.keys.first else {
            throw Output.usage(
                ring.isEmpty
                    ? "\(purpose) needs a key: pass --key PATH or set SECURED_KEY"
                    : "\(purpose) takes exactly one key, \(ring.keys.count) were given")
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

    /// Walks `paths`: a path that does not exist, or no record at all, exits 2; notes and
    /// folders that cannot be listed are printed.
    func walk(_ paths: [String]) throws -> CorpusWalker.Result {
        let walk = walker.walk(paths)
        try Self.refuseMissing(walk.missing)
        for note in walk.notes { Output.error(note.description) }
        if walk.files.isEmpty {
            for error in walk.errors { Output.error(error.description) }
            throw Output.usage(
                "no record found in \(paths.map(FilePath.display).joined(separator: ", ")) (pattern \(include))")
        }
        return walk
    }

    /// The record files under `paths`, as ``walk(_:)`` finds them.
    func files(_ paths: [String]) throws -> [String] {
        let walk = try walk(paths)
        for error in walk.errors { Output.error(error.description) }
        return walk.files
    }

    /// A path named that does not exist is a usage error (SPEC section 8).
    static func refuseMissing(_ missing: [String]) throws {
        guard !missing.isEmpty else { return }
        throw Output.usage("no such file or folder: \(missing.map(FilePath.display).joined(separator: ", "))")
    }
}

/// `--format` of audit-like commands.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, junit, github, sarif
}

/// `--format` of the other commands: text on stderr, or one JSON document on stdout.
enum CommandFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// `--hmac`: sign with HMAC even when the key has `sign`.
struct SigningOptions: ParsableArguments {
    @Flag(
        help:
            "Sign with HMAC-SHA256 (v1) even when the key has 'sign' (Ed25519 signatures verify with the public key alone; HMAC only with the secret key, about ten times faster)."
    )
    var hmac = false

    var choice: SigningChoice { hmac ? .hmac : .preferred }
}
