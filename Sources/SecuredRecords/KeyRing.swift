import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The keys supplied to an operation (SPEC section 3), looked up by id.
///
/// ```swift
/// let (ring, warnings) = try KeyRing.load(paths: ["Keys/demo.key"])
/// ```
public struct KeyRing: Sendable {
    /// The keys, in the order given.
    public let keys: [SecuredKey]

    /// A ring of `keys`.
    ///
    /// - Throws: ``KeyFileError`` when two keys share an id.
    public init(_ keys: [SecuredKey]) throws(KeyFileError) {
        var seen: [String: String] = [:]
        for key in keys {
            if seen[key.id] != nil {
                throw KeyFileError(
                    source: nil, line: nil, field: "id", reason: "two keys have the id '\(key.id)'")
            }
            seen[key.id] = key.fingerprint
        }
        self.keys = keys
    }

    /// An empty ring: only the checks that need no key run.
    public init() { keys = [] }

    /// Whether no key was supplied.
    public var isEmpty: Bool { keys.isEmpty }

    /// The key with this id, if supplied.
    public func key(id: String) -> SecuredKey? { keys.first { $0.id == id } }

    /// Loads keys from files and folders, or from `SECURED_KEY` when no path is given.
    ///
    /// - Parameters:
    ///   - paths: key files, or folders whose `*.key` files (not recursively) are loaded.
    ///   - environment: where `SECURED_KEY` is looked up (the process environment by default).
    /// - Returns: the ring, and warnings to show (a key file readable by group or others).
    /// - Throws: ``KeyFileError``: unreadable or bad key file, empty folder, repeated id.
    public static func load(
        paths: [String], environment: [String: String]? = nil
    ) throws(KeyFileError) -> (ring: KeyRing, warnings: [String]) {
        var keys: [SecuredKey] = []
        var warnings: [String] = []
        if paths.isEmpty {
            let env = environment ?? currentEnvironment()
            if let text = env["SECURED_KEY"], !text.isEmpty {
                keys.append(try SecuredKey(parsing: text, source: "$SECURED_KEY"))
            }
        }
        for path in paths {
            guard let info = FilePath.status(path) else {
                throw KeyFileError(
                    source: FilePath.display(path), line: nil, field: nil,
                    reason: "cannot read key: \(RecordFile.errnoText())")
            }
            if FileKind(info.st_mode) == .directory {
                let files = listKeyFiles(in: path)
                if files.isEmpty {
                    throw KeyFileError(
                        source: FilePath.display(path), line: nil, field: nil, reason: "folder holds no *.key file")
                }
                for file in files { keys.append(try loadFile(file, warnings: &warnings)) }
            } else {
                keys.append(try loadFile(path, warnings: &warnings))
            }
        }
        return (try KeyRing(keys), warnings)
    }

    private static func loadFile(_ path: String, warnings: inout [String]) throws(KeyFileError) -> SecuredKey {
        let shown = FilePath.display(path)
        guard let info = FilePath.status(path), FileKind(info.st_mode) == .regular else {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: "not a readable key file")
        }
        guard Int(info.st_size) <= SecuredKey.maximumFileSize else {
            throw KeyFileError(
                source: shown, line: nil, field: nil,
                reason: "key file is larger than \(SecuredKey.maximumFileSize) bytes; not a key file")
        }
        if info.st_mode & 0o077 != 0 {
            warnings.append(
                "\(shown): warning: key file is readable by group or others (mode \(String(info.st_mode & 0o777, radix: 8))); run chmod 600 \(shown)"
            )
        }
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(path, sizeLimit: SecuredKey.maximumFileSize)
        } catch {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: error.reason)
        }
        guard Record.isValidUTF8(bytes[...]) else {
            throw KeyFileError(source: shown, line: nil, field: nil, reason: "key file is not UTF-8 text")
        }
        return try SecuredKey(parsing: String(decoding: bytes, as: UTF8.self), source: shown)
    }

    private static func listKeyFiles(in dir: String) -> [String] {
        let base = dir.hasSuffix("/") ? dir : dir + "/"
        let names = (FilePath.entries(of: dir) ?? []).map(\.name).filter { $0.hasSuffix(".key") && !$0.hasPrefix(".") }
        return names.sorted(by: FilePath.precedes).map { base + $0 }.filter {
            FilePath.status($0).map { FileKind($0.st_mode) == .regular } ?? false
        }
    }

    private static func currentEnvironment() -> [String: String] {
        var env: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                env[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return env
    }
}
