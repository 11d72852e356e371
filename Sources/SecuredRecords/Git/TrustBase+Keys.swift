import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension TrustBase {
    /// Key files and folders as they are at the base commit: copies, in a private folder
    /// (mode 0700) that ``removeCopies(_:)`` deletes, of each one that lies in the work tree;
    /// one outside it (a key in `~/.config/secured`) is used as it is.
    package struct KeyCopies: Sendable {
        /// The paths to load, in the order given; the ones not on the base are left out.
        package var paths: [String]
        /// What the base changed: a key file not on the base (not trusted), one that differs
        /// (read as on the base), and every key file trusted, with where it came from.
        package var notes: [Note]
        /// The private folder, when one was made.
        var folder: String?
    }

    /// Copies `paths` as they are at the base commit (``KeyCopies``).
    ///
    /// - Parameter paths: key files and folders (`--key`, a policy's `keys:`).
    /// - Returns: the paths to load instead, and the notes.
    /// - Throws: ``ConfigurationError`` when the private folder cannot be made or written.
    package func keyCopies(of paths: [String]) throws(ConfigurationError) -> KeyCopies {
        var copies = KeyCopies(paths: [], notes: [], folder: nil)
        for path in paths {
            guard let relative = relative(path) else {
                copies.paths.append(path)
                continue
            }
            let names = names(inFolder: relative).filter(Self.isKeyFileName)
            if !names.isEmpty && (FilePath.isDirectory(path) || bytes(atRelative: relative) == nil) {
                let folder = try copyFolder(relative, names: names, into: &copies)
                copies.paths.append(folder)
                copies.notes.append(
                    Note(
                        .trustedFromBase, path: path,
                        message: "key folder read as on \(name): \(names.map(FilePath.display).joined(separator: ", "))"
                    ))
                continue
            }
            guard let bytes = bytes(atRelative: relative) else {
                copies.notes.append(
                    Note(
                        .changedSinceBase, path: path,
                        message:
                            "this key file is not on \(name): the change added it, so it is not trusted; a key is trusted only once it is on the base branch",
                        remedy: .readAtTrustedBase))
                continue
            }
            let copy = try write(bytes, relative: relative, into: &copies)
            copies.paths.append(copy)
            let working = try? RecordFile.read(path, sizeLimit: Self.sizeLimit)
            copies.notes.append(
                working == bytes
                    ? Note(.trustedFromBase, path: path, message: "key file trusted as on \(name)")
                    : Note(
                        .changedSinceBase, path: path,
                        message:
                            "this key file \(working == nil ? "was deleted" : "was changed") since \(name): it is read as it is there",
                        remedy: .readAtTrustedBase))
        }
        return copies
    }

    /// Deletes the private copies of ``keyCopies(of:)`` (they are public keys or encrypted key
    /// files, but nothing is left behind).
    package func removeCopies(_ copies: KeyCopies) {
        guard let folder = copies.folder else { return }
        _ = try? Subprocess.run(["rm", "-rf", "--", folder], captureOutput: true).get()
    }

    /// Whether a file name is a key file's (`*.key`, `*.pub`, `*.key.age`, `*.key.pw`).
    static func isKeyFileName(_ name: String) -> Bool {
        !name.hasPrefix(".")
            && (name.hasSuffix(".key") || name.hasSuffix(".pub") || name.hasSuffix(".key.age")
                || name.hasSuffix(".key.pw"))
    }

    private func copyFolder(_ relative: String, names: [String], into copies: inout KeyCopies)
        throws(ConfigurationError) -> String
    {
        var folder = ""
        for name in names {
            let file = relative.isEmpty ? name : relative + "/" + name
            guard let bytes = bytes(atRelative: file) else { continue }
            folder = FilePath.parent(try write(bytes, relative: file, into: &copies))
        }
        return folder
    }

    private func write(_ bytes: [UInt8], relative: String, into copies: inout KeyCopies) throws(ConfigurationError)
        -> String
    {
        if copies.folder == nil {
            var template = Array(((Self.temporaryFolder()) + "/secured-trust.XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                throw ConfigurationError(.unwritable, "cannot make a private folder for the base's key files")
            }
            copies.folder = String(cString: made)
        }
        let path = copies.folder! + "/" + relative
        var folder = copies.folder!
        for part in relative.split(separator: "/").dropLast() {
            folder += "/" + part
            _ = FilePath.makeDirectory(folder, mode: 0o700)
        }
        do {
            try AtomicFileWriter.create(at: path, with: bytes, mode: 0o600)
        } catch {
            throw ConfigurationError(
                .unwritable, "cannot copy the base's key file \(FilePath.display(relative)): \(error.reason)")
        }
        return path
    }

    private static func temporaryFolder() -> String {
        guard let dir = getenv("TMPDIR").map({ String(cString: $0) }), !dir.isEmpty else { return "/tmp" }
        return dir
    }
}
