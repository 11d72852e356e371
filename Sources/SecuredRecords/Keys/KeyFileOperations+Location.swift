import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where secret keys belong: outside every repository, in a folder of the user's own.
extension KeyFileOperations {
    /// The per-user key folder: `$XDG_CONFIG_HOME/secured`, else `~/.config/secured`; `nil`
    /// when neither variable is set.
    ///
    /// - Parameter environment: where the variables are looked up (the process's when `nil`).
    public static func userKeyFolder(environment: [String: String]? = nil) -> String? {
        func value(_ name: String) -> String? {
            let text = environment.map { $0[name] } ?? getenv(name).map { String(cString: $0) }
            return text.flatMap { $0.isEmpty ? nil : $0 }
        }
        if let config = value("XDG_CONFIG_HOME"), config.hasPrefix("/") { return config + "/secured" }
        return value("HOME").map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.config/secured" }
    }

    /// `path` with a leading `~/` (or a lone `~`) replaced by the home folder, as a shell
    /// would: policies and key lists name `~/.config/secured/<id>.key`.
    public static func expandingHome(_ path: String, environment: [String: String]? = nil) -> String {
        guard path == "~" || path.hasPrefix("~/") else { return path }
        let home = environment.map { $0["HOME"] } ?? getenv("HOME").map { String(cString: $0) }
        guard let home, !home.isEmpty else { return path }
        return home + path.dropFirst()
    }

    /// Secret key files in the per-user key folder (``userKeyFolder(environment:)``) for the
    /// keys `policies` name: `<folder>/<id>.key` for each id they expect (`keys: [site-2026]`)
    /// and each public key file they list (`Keys/site-2026.pub` names `site-2026`), where such
    /// a file exists. This is how `seal`, `open`, `edit` and `sign` find the key with no
    /// `--key`, as the audit finds the policy's keys.
    ///
    /// - Parameters:
    ///   - policies: the policies in force for the records concerned.
    ///   - environment: where `HOME` and `XDG_CONFIG_HOME` are looked up.
    /// - Returns: the key files found (no repeats), and the ids looked for.
    public static func userKeyFiles(for policies: [Policy], environment: [String: String]? = nil)
        -> (files: [String], ids: [String])
    {
        var ids: [String] = []
        for policy in policies {
            ids += policy.keyIDs.map(\.id)
            for (path, _) in policy.keyFileEntries where path.hasSuffix(".pub") {
                let name = path.split(separator: "/").last.map(String.init) ?? path
                ids.append(String(name.dropLast(4)))
            }
        }
        var seen = Set<String>()
        ids = ids.filter { SecuredKey.isValidID($0) && seen.insert($0).inserted }
        guard let folder = userKeyFolder(environment: environment) else { return ([], ids) }
        return (ids.map { "\(folder)/\($0).key" }.filter { FilePath.kind($0) == .regular }, ids)
    }

    /// The git work tree a file would be written in (the nearest folder at or above its
    /// folder that holds `.git`), or `nil`.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - workingDirectory: the absolute folder a relative `path` starts from.
    public static func enclosingWorkTree(of path: String, workingDirectory: String) -> String? {
        var dir = FilePath.parent(FilePath.absolute(path, from: workingDirectory))
        while true {
            if FilePath.exists(dir + (dir == "/" ? "" : "/") + ".git") { return dir }
            if dir == "/" { return nil }
            dir = FilePath.parent(dir)
        }
    }

    /// The warning for a secret key written inside a git work tree, or `nil` outside one.
    ///
    /// - Parameters:
    ///   - path: the key file written.
    ///   - workingDirectory: the absolute folder a relative `path` starts from.
    package static func workTreeWarning(for path: String, workingDirectory: String) -> String? {
        guard let tree = enclosingWorkTree(of: path, workingDirectory: workingDirectory) else { return nil }
        return
            "\(FilePath.display(path)): warning: this secret key is inside the git work tree \(FilePath.display(tree)): never commit it (the pre-commit hook refuses one); keep secret keys in ~/.config/secured (keygen's default), or make sure .gitignore covers it (secured init adds *.key)"
    }

    /// Adds `*.key` to a `.gitignore` (created if missing) unless a line already says it.
    ///
    /// - Parameter path: the `.gitignore` file.
    /// - Returns: whether the line was added.
    /// - Throws: `RecordError` when the file cannot be read or written.
    public static func ignoreSecretKeys(in path: String) throws(RecordError) -> Bool {
        let line = "*.key"
        guard FilePath.exists(path) else {
            try AtomicFileWriter.create(
                at: path, with: Array("# secret key files (secured): never committed\n\(line)\n".utf8), mode: 0o644)
            return true
        }
        var bytes = try RecordFile.read(path, sizeLimit: 1 << 20)
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard !lines.contains(where: { $0.trimmingBlanks == line || $0.trimmingBlanks == "/" + line }) else {
            return false
        }
        if let last = bytes.last, last != 0x0A { bytes.append(0x0A) }
        bytes += Array("# secret key files (secured): never committed\n\(line)\n".utf8)
        try AtomicFileWriter.replaceContents(of: path, with: bytes)
        return true
    }
}

extension Substring {
    fileprivate var trimmingBlanks: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s.removeFirst() }
        while s.last == " " || s.last == "\t" { s.removeLast() }
        return s
    }
}
