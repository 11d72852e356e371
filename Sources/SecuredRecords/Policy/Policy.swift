import SecuredCrypto
import Synchronization

/// A policy file, `.secured.yaml`: one place for the rules that local runs, hooks and CI
/// share. It is found like `.swift-format`: the nearest one at or above each record, up to the
/// repository root (the filesystem root outside a repository); only that one applies.
///
/// ```yaml
/// include: ["content/**/*.md"]        # replaces the default *.md
/// exclude: ["content/drafts/**"]      # walked files skipped (named files are still checked)
/// require-secured: ["content/private/**"]   # true, or globs
/// require-signature: true
/// ignore: [SR015]
/// manifest: content/MANIFEST.sha256
/// keys: [Keys/site.pub, site-2026]    # key files, or ids of secret keys supplied elsewhere
/// leaks: {paths: [_site], baseline: .secured-leaks, history: true}   # `secured leaks`
/// ```
///
/// Globs are ``Glob``s, matched on paths relative to the policy's folder.
///
/// A class, so that the per-record lookups of a walk share one instance instead of copying
/// its fields.
public final class Policy: @unchecked Sendable {
    // @unchecked Sendable: every property is set in init and never changed after.
    /// The policy file's name.
    public static let fileName = ".secured.yaml"

    /// Where a requirement applies.
    public enum Requirement: Sendable, Equatable {
        /// Nowhere (the default).
        case nowhere
        /// To every record.
        case everywhere
        /// To records a glob matches.
        case matching([Glob])

        func applies(to relative: String) -> Bool {
            switch self {
            case .nowhere: return false
            case .everywhere: return true
            case .matching(let globs): return globs.contains { $0.matches(relative) }
            }
        }
    }

    /// The policy file (relative to the current folder when below it).
    public let file: String
    /// Its folder, absolute: globs and paths are relative to it.
    public let folder: String
    /// Records walked in folders (`nil`: the default, `*.md`).
    public private(set) var include: [Glob]?
    /// Walked files skipped.
    public private(set) var exclude: [Glob] = []
    /// Where a record without `secured` is SR003.
    public private(set) var requireSecured = Requirement.nowhere
    /// Where a record without `signature` is SR008.
    public private(set) var requireSignature = Requirement.nowhere
    /// Codes not reported.
    public private(set) var ignore: Set<RecordError.Code> = []
    /// The manifest to check (relative to the current folder when below it).
    public private(set) var manifest: String?
    /// Key files (relative to the current folder when below it).
    public var keyFiles: [String] { keyFileEntries.map(\.path) }
    /// Key files, with the line of the policy that names each.
    public private(set) var keyFileEntries: [(path: String, line: Int)] = []
    /// Ids of secret keys expected from `--key` or `SECURED_KEY`, with their line.
    public private(set) var keyIDs: [(id: String, line: Int)] = []
    /// What `secured leaks` searches and accepts (``LeakPolicy``).
    public private(set) var leaks = LeakPolicy()

    /// The working directory the policy was read from, and the policy's folder relative to it
    /// (`content/` for `/repo/content` read from `/repo`), so that the usual relative paths
    /// need no system call to place.
    private let cwd: String
    private let folderFromCwd: String?
    /// The absolute working directory the policy was given: its paths (``keyFiles``,
    /// ``manifest``) are named relative to it, and read from it.
    public var workingDirectory: String { cwd }

    /// The path of `path` relative to the policy's folder, or `nil` outside it.
    public func relative(_ path: String) -> String? {
        // Byte-level: a walk calls this for every record.
        if let prefix = folderFromCwd, path.utf8.first != UInt8(ascii: "/"), path.utf8.starts(with: prefix.utf8),
            !Self.hasDotComponent(path)
        {
            return String(decoding: path.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
        }
        let absolute = FilePath.absolute(path, from: cwd)
        let prefix = folder == "/" ? "/" : folder + "/"
        guard absolute.hasPrefix(prefix) else { return nil }
        return String(absolute.dropFirst(prefix.count))
    }

    /// Whether a relative path has a `.`, `..` or empty component (then it is resolved).
    private static func hasDotComponent(_ path: String) -> Bool {
        var componentStart = true
        var dots = 0
        var path = path
        return path.withUTF8 { bytes in
            for b in bytes {
                if b == UInt8(ascii: "/") {
                    if componentStart || (dots > 0 && dots <= 2) { return true }
                    componentStart = true
                    dots = 0
                } else if componentStart && b == UInt8(ascii: ".") && dots < 3 {
                    dots += 1
                } else {
                    componentStart = false
                    dots = 3  // a name, not a dot component
                }
            }
            return componentStart && dots > 0 && dots <= 2
        }
    }

    /// Whether a file found in a folder is a record under this policy (`include`, then
    /// `exclude`); `defaultInclude` applies when the policy has no `include`.
    public func includes(_ path: String, defaultInclude: (String) -> Bool) -> Bool {
        guard let relative = relative(path) else { return defaultInclude(path) }
        let included = include.map { $0.contains { $0.matches(relative) } } ?? defaultInclude(path)
        return included && !exclude.contains { $0.matches(relative) }
    }

    /// Whether `exclude` skips a file found in a folder.
    public func excludes(_ path: String) -> Bool {
        guard let relative = relative(path) else { return false }
        return exclude.contains { $0.matches(relative) }
    }

    /// Whether the policy requires the record sealed (SR003) and signed (SR008).
    public func requirements(for path: String) -> (secured: Bool, signature: Bool) {
        guard let relative = relative(path) else { return (false, false) }
        return (requireSecured.applies(to: relative), requireSignature.applies(to: relative))
    }

    /// Whether the policy requires the record sealed (SR003).
    public func requiresSecured(_ path: String) -> Bool { requirements(for: path).secured }

    /// Whether the policy requires the record signed (SR008).
    public func requiresSignature(_ path: String) -> Bool { requirements(for: path).signature }

    /// The line of the `require-secured` field, for messages.
    public private(set) var requireSecuredLine: Int?
    /// The line of `require-signature`, for messages.
    public private(set) var requireSignatureLine: Int?
    /// The line of `ignore`, if any.
    public private(set) var ignoreLine: Int?

    /// Reads a policy file.
    ///
    /// - Parameters:
    ///   - path: the policy file.
    ///   - workingDirectory: the absolute folder a relative `path` starts from.
    /// - Throws: ``PolicyError`` naming the file and line: unreadable, not YAML, an unknown
    ///   field, a bad glob or a bad value.
    public static func load(_ path: String, workingDirectory: String) throws(PolicyError) -> Policy {
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(path, sizeLimit: 1 << 20, in: workingDirectory)
        } catch {
            throw PolicyError(file: path, line: nil, message: error.reason)
        }
        return try Policy(parsing: bytes, file: path, workingDirectory: workingDirectory)
    }

    /// Parses a policy file's text.
    ///
    /// - Parameters:
    ///   - bytes: the policy file's bytes.
    ///   - file: its path (its folder anchors globs and paths).
    ///   - workingDirectory: the absolute folder a relative `file` and the paths it is asked
    ///     about start from (the caller's working directory: the library never reads it).
    public init(parsing bytes: [UInt8], file: String, workingDirectory: String) throws(PolicyError) {
        cwd = workingDirectory
        let absolute = FilePath.absolute(file, from: cwd)
        self.file = FilePath.shortened(absolute, cwd: cwd)
        folder = FilePath.parent(absolute)
        if folder == cwd {
            folderFromCwd = ""
        } else if folder.hasPrefix(cwd == "/" ? "/" : cwd + "/") {
            folderFromCwd = String(folder.dropFirst(cwd == "/" ? 1 : cwd.count + 1)) + "/"
        } else {
            folderFromCwd = nil
        }
        guard UTF8Validation.isValid(bytes[...]) else { throw PolicyError(file: file, line: nil, message: "not UTF-8") }
        // A byte-order mark (Windows editors write one) is not text.
        let text = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        let root = try PolicyNode.parse(text, file: file)
        // An empty file, or a bare `---`: the defaults.
        guard let root else { return }
        if case .scalar("", _, true) = root { return }
        guard case .mapping(let fields, _) = root else {
            throw PolicyError(
                file: file, line: root.line, message: "a policy is a mapping of fields (include, exclude, …)")
        }
        let reader = FieldReader(file: file)
        var seen: [String: Int] = [:]
        for (key, line, value) in fields {
            if let first = seen[key] { throw reader.fail(line, "'\(key)' is given twice (first on line \(first))") }
            seen[key] = line
            try set(key, line: line, value: value, reader)
        }
    }

    /// Sets the field `key`, given on `line`, from `value`.
    private func set(_ key: String, line: Int, value: PolicyNode, _ reader: FieldReader) throws(PolicyError) {
        switch key {
        case "include": include = try reader.globs(value, key)
        case "exclude": exclude = try reader.globs(value, key)
        case "require-secured":
            requireSecured = try reader.requirement(value, key)
            requireSecuredLine = line
        case "require-signature":
            requireSignature = try reader.requirement(value, key)
            requireSignatureLine = line
        case "ignore":
            ignoreLine = line
            for (text, line) in try reader.strings(value, key) {
                guard let code = RecordError.Code(rawValue: text.uppercased()), code.isDiagnostic else {
                    throw reader.fail(line, "'\(text)' in 'ignore' is not an SR code (SR001 to SR021)")
                }
                ignore.insert(code)
            }
        case "manifest":
            guard case .scalar(let text, let line, _) = value, !text.isEmpty else {
                throw reader.fail(value.line, "'manifest' is one path")
            }
            _ = line
            manifest = FilePath.shortened(FilePath.absolute(text, from: folder), cwd: cwd)
        case "keys": try addKeys(value, reader)
        case "leaks": leaks = try LeakPolicy(value, line: line, reader: reader, folder: folder, cwd: cwd)
        default:
            let known = "include, exclude, require-secured, require-signature, ignore, manifest, keys, leaks"
            throw reader.fail(line, "unknown field '\(key)' (the fields are \(known))")
        }
    }

    /// The `keys` field: key files (a known extension, or a path) and key ids.
    private func addKeys(_ value: PolicyNode, _ reader: FieldReader) throws(PolicyError) {
        for (text, line) in try reader.strings(value, "keys") {
            if text.hasSuffix(".pub") || text.hasSuffix(".key") || text.hasSuffix(".key.age")
                || text.hasSuffix(".key.pw") || text.contains("/")
            {
                // `~/.config/secured/<id>.key` names the user's own key folder, as in a shell.
                let path = KeyFileOperations.expandingHome(text)
                keyFileEntries.append((FilePath.shortened(FilePath.absolute(path, from: folder), cwd: cwd), line))
            } else if SecuredKey.isValidID(text) {
                keyIDs.append((text, line))
            } else {
                throw reader.fail(
                    line,
                    "'\(text)' in 'keys' is neither a key file (.pub, .key, .key.age, .key.pw, or a path with '/') nor a key id"
                )
            }
        }
    }

    /// Whether this policy hides findings of `code` for its records. It cannot hide what the
    /// command line itself requires (a policy file is as easy to add as a record): SR008 to
    /// SR011 (a missing, malformed, unverifiable or wrong signature) when signatures are
    /// required there, SR003 when sealing is.
    ///
    /// - Parameters:
    ///   - code: the finding's code.
    ///   - requireSecured: whether the command line requires every record sealed.
    ///   - requireSignature: whether the command line requires every record signed.
    /// - Returns: whether the finding is left out of the report.
    public func hides(_ code: RecordError.Code, requireSecured: Bool, requireSignature: Bool) -> Bool {
        guard ignore.contains(code) else { return false }
        let signatureCodes: [RecordError.Code] = [
            .sr008SignatureMissing, .sr009SignatureMalformed, .sr010UnknownKeyID, .sr011SignatureMismatch,
        ]
        return !(requireSignature && signatureCodes.contains(code))
            && !(code == .sr003SecuredMissing && requireSecured)
    }

    /// The note that says which errors this policy hides for the records under it (``hides(_:requireSecured:requireSignature:)``),
    /// or `nil` when it hides none: the audit and the pre-commit check report it alike.
    ///
    /// - Parameters:
    ///   - alsoIgnored: codes the command line ignores itself (not the policy's doing).
    ///   - requireSecured: whether the command line requires every record sealed.
    ///   - requireSignature: whether the command line requires every record signed.
    /// - Returns: the note, naming the policy file, its `ignore` line and the codes.
    public func hiddenErrorsNote(alsoIgnored: Set<RecordError.Code>, requireSecured: Bool, requireSignature: Bool)
        -> Note?
    {
        let hidden = ignore.filter {
            $0.severity == .error && !alsoIgnored.contains($0)
                && hides($0, requireSecured: requireSecured, requireSignature: requireSignature)
        }.sorted { $0.rawValue < $1.rawValue }
        guard !hidden.isEmpty else { return nil }
        let codes = hidden.map(\.rawValue).joined(separator: ", ")
        let what = hidden.map { String($0.summary.prefix { $0 != "." }) }.joined(separator: "; ")
        return Note(
            .policyIgnoresErrors, path: file, line: ignoreLine,
            message: "this policy hides \(codes) for the records under its folder (\(what))")
    }
}

/// Reads the values of a policy's fields (`file` names the policy in errors).
struct FieldReader {
    let file: String

    func fail(_ line: Int, _ message: String) -> PolicyError {
        PolicyError(file: file, line: line, message: message)
    }
    // A field with no value (`keys:` above commented examples) is an empty list.
    func isNull(_ node: PolicyNode) -> Bool {
        guard case .scalar(let text, _, true) = node else { return false }
        return text == "" || text == "~" || text == "null"
    }
    func strings(_ node: PolicyNode, _ key: String) throws(PolicyError) -> [(String, Int)] {
        if isNull(node) { return [] }
        switch node {
        case .scalar(let text, let line, _): return [(text, line)]
        case .sequence(let items, _):
            var out: [(String, Int)] = []
            for item in items {
                guard case .scalar(let text, let line, _) = item else {
                    throw fail(item.line, "'\(key)' takes a list of strings")
                }
                out.append((text, line))
            }
            return out
        case .mapping(_, let line): throw fail(line, "'\(key)' takes a list of strings, not a mapping")
        }
    }
    func globs(_ node: PolicyNode, _ key: String) throws(PolicyError) -> [Glob] {
        var out: [Glob] = []
        for (text, line) in try strings(node, key) {
            do {
                out.append(try Glob(text))
            } catch {
                throw fail(line, "bad glob in '\(key)': \(error.description)")
            }
        }
        return out
    }
    func requirement(_ node: PolicyNode, _ key: String) throws(PolicyError) -> Policy.Requirement {
        if isNull(node) { return .nowhere }
        if case .scalar(let text, let line, let plain) = node {
            switch (text, plain) {
            case ("true", true), ("True", true), ("TRUE", true): return .everywhere
            case ("false", true), ("False", true), ("FALSE", true): return .nowhere
            default: throw fail(line, "'\(key)' is true, false or a list of globs, not '\(text)'")
            }
        }
        return .matching(try globs(node, key))
    }
}
