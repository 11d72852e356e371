#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Paths are bytes (SPEC section 8): a file name that is not valid UTF-8 is read, checked and
/// written like any other.
///
/// Paths travel through this library as `String`s that map one-to-one onto the bytes: valid
/// UTF-8 is itself, and each byte that is not part of valid UTF-8 is carried as the
/// private-use scalar U+10FE00 + byte (genuine scalars of U+10FE00–U+10FEFF, which no real
/// name holds, are carried byte by byte the same way, so the mapping stays one-to-one).
/// Every system call goes through ``FilePath/bytes(_:)``, and messages show such bytes as
/// `\xHH` (``FilePath/display(_:)``).
package enum FilePath {
    static let escapeBase: UInt32 = 0x10_FE00

    /// A path from the bytes the system gave (a directory entry, an argument).
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        let array = Array(bytes)
        if !array.contains(0xF4) && UTF8Validation.isValid(array[...]) { return String(decoding: array, as: UTF8.self) }
        var out = String.UnicodeScalarView()
        var i = 0
        while i < array.count {
            if let (scalar, length) = scalar(in: array, at: i), scalar.value & ~0xFF != escapeBase {
                out.append(scalar)
                i += length
            } else {
                out.append(Unicode.Scalar(escapeBase + UInt32(array[i]))!)
                i += 1
            }
        }
        return String(out)
    }

    /// The absolute path, `.` and `..` resolved textually (links are not followed).
    ///
    /// - Parameters:
    ///   - path: a path, absolute or relative to `cwd`.
    ///   - cwd: the absolute folder relative paths start from (the library never reads the
    ///     process's working directory: the caller says which it is).
    public static func absolute(_ path: String, from cwd: String) -> String {
        let full = path.hasPrefix("/") ? path : cwd + "/" + path
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                _ = parts.popLast()
            } else {
                parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }

    /// The path a file operation on `path` uses: `path` itself when it is absolute or when
    /// `workingDirectory` is `nil` (the process's, which the system starts relative paths
    /// from); otherwise `workingDirectory` + `/` + `path`. Messages keep showing `path` as
    /// given: only the system calls see this one.
    ///
    /// - Parameters:
    ///   - path: a path as the caller named it.
    ///   - workingDirectory: the absolute folder relative paths start from, or `nil`.
    package static func resolved(_ path: String, in workingDirectory: String?) -> String {
        guard let workingDirectory, !path.hasPrefix("/") else { return path }
        if path == "." || path == "./" { return workingDirectory }
        return (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + path
    }

    /// An absolute path as messages name it: relative to the current folder when it lies
    /// below it, else absolute.
    public static func shortened(_ absolute: String, cwd: String) -> String {
        let prefix = cwd == "/" ? "/" : cwd + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }

    /// The path with `.` and `..` resolved textually, staying relative when it is: a `..`
    /// that climbs above the start is kept (`../a`); an empty result is `.`.
    package static func normalized(_ path: String) -> String {
        if path.hasPrefix("/") { return absolute(path, from: "/") }
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// The folder above a path, textually (`.` for a bare name, `/` for `/` and its children).
    package static func folder(of path: String) -> String {
        let path = normalized(path)
        guard let slash = path.lastIndex(of: "/") else { return path == ".." ? "../.." : "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The folder above an absolute path (`/` for `/` and its children).
    public static func parent(_ absolute: String) -> String {
        guard let slash = absolute.lastIndex(of: "/"), slash != absolute.startIndex else { return "/" }
        return String(absolute[..<slash])
    }

    /// The nearest folder at or above the absolute folder `dir` that holds `.git` (as git
    /// finds a repository's root), or `nil` outside a repository.
    public static func repositoryRoot(of dir: String) -> String? {
        var dir = dir
        while true {
            if exists(dir + (dir.hasSuffix("/") ? "" : "/") + ".git") { return dir }
            if dir == "/" { return nil }
            dir = parent(dir)
        }
    }

    /// The path's bytes, as the system knows it.
    public static func bytes(_ path: String) -> [UInt8] {
        let utf8 = Array(path.utf8)
        guard utf8.contains(0xF4) else { return utf8 }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        for scalar in path.unicodeScalars {
            if scalar.value & ~0xFF == escapeBase {
                out.append(UInt8(scalar.value & 0xFF))
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        return out
    }

    /// The path as messages show it: each byte that is not valid UTF-8 as `\xHH`.
    public static func display(_ path: String) -> String {
        visible(path)
    }

    /// `text` with every byte that is not part of valid UTF-8 (as ``decode(_:)`` keeps it) and
    /// every control character (C0, DEL, C1: a line break, an escape sequence) shown as
    /// `\xHH`, so that a file name or text taken from a record cannot start a new line of a
    /// report, a CI log's workflow command or a terminal escape sequence.
    ///
    /// - Parameter text: a path or a message.
    /// - Returns: one line of printable text.
    public static func visible(_ text: String) -> String {
        visible(text, keeping: [])
    }

    /// ``visible(_:)``, except for the control characters in `kept`, left as they are for a
    /// format that escapes them its own way (a GitHub annotation's `file=` writes a line break
    /// as `%0A`, which names the real file).
    ///
    /// - Parameters:
    ///   - text: a path or a message.
    ///   - kept: control characters (`"\n"`, `"\r"`) not to escape.
    /// - Returns: the text, with every other control character and stray byte as `\xHH`.
    public static func visible(_ text: String, keeping kept: Set<Unicode.Scalar>) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xF4 }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let byte: UInt32? =
                value & ~0xFF == escapeBase
                ? value & 0xFF
                : ((value < 0x20 || (0x7F...0x9F).contains(value)) && !kept.contains(scalar)) ? value : nil
            if let byte {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The well-formed UTF-8 scalar starting at `i` and its length, or `nil`.
    private static func scalar(in b: [UInt8], at i: Int) -> (Unicode.Scalar, Int)? {
        let c = b[i]
        let length: Int
        switch c {
        case 0x00...0x7F: return (Unicode.Scalar(c), 1)
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return nil
        }
        guard i + length <= b.count, UTF8Validation.isValid(b[i..<(i + length)]) else { return nil }
        return String(decoding: b[i..<(i + length)], as: UTF8.self).unicodeScalars.first.map { ($0, length) }
    }

    /// Calls `body` with the path as a C string.
    package static func withCString<R>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        // No escaped byte (no 0xF4, the lead byte of U+10FExx): the string's own UTF-8 is the
        // path, handed over without a copy (every record is opened through here).
        let escaped = path.utf8.withContiguousStorageIfAvailable {
            $0.count > 0 && memchr($0.baseAddress!, 0xF4, $0.count) != nil
        }
        if escaped == false { return try path.withCString(body) }
        var b = bytes(path)
        b.append(0)
        return try b.withUnsafeBufferPointer { try $0.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) } }
    }

    /// Bytewise order of paths (as `sort` in the C locale), the order of every report.
    public static func precedes(_ a: String, _ b: String) -> Bool {
        var a = a
        var b = b
        let ordered: Bool? = a.withUTF8 { pa in
            b.withUTF8 { pb in
                // U+10FExx (an escaped byte) is the only thing whose UTF-8 order differs from its bytes'.
                if pa.contains(0xF4) || pb.contains(0xF4) { return nil }
                let n = min(pa.count, pb.count)
                let c = n == 0 ? 0 : memcmp(pa.baseAddress!, pb.baseAddress!, n)
                return c != 0 ? c < 0 : pa.count < pb.count
            }
        }
        if let ordered { return ordered }
        return bytes(a).lexicographicallyPrecedes(bytes(b))
    }

    /// `paths` in the order of ``precedes(_:_:)``: the sort of a whole corpus.
    public static func sortedBytewise(_ paths: [String]) -> [String] {
        bytewiseOrder(paths).map { paths[$0] }
    }

    /// The indices of `paths` in the order of ``precedes(_:_:)``.
    ///
    /// Every path's bytes are laid out once in one buffer and the sort compares them there,
    /// so a comparison copies, retains and scans no `String` (sorting 100,000 paths with
    /// ``precedes(_:_:)`` cost the audit about 7% of its time, on one core before any check).
    static func bytewiseOrder(_ paths: [String]) -> [Int] {
        var arena: [UInt8] = []
        var spans: [Range<Int>] = []
        spans.reserveCapacity(paths.count)
        for path in paths {
            let start = arena.count
            arena.append(contentsOf: path.utf8)
            if arena[start...].contains(0xF4) {  // an escaped byte: its bytes, not its UTF-8
                arena.removeSubrange(start...)
                arena.append(contentsOf: bytes(path))
            }
            spans.append(start..<arena.count)
        }
        var order = Array(paths.indices)
        arena.withUnsafeBufferPointer { a in
            spans.withUnsafeBufferPointer { s in
                let base = a.baseAddress
                order.sort { i, j in
                    let x = s[i]
                    let y = s[j]
                    let n = min(x.count, y.count)
                    let c = n == 0 ? 0 : memcmp(base! + x.lowerBound, base! + y.lowerBound, n)
                    return c != 0 ? c < 0 : x.count < y.count
                }
            }
        }
        return order
    }

    // MARK: - System calls on byte paths

    /// `stat` (or `lstat`, with `followLinks: false`); `nil` with `errno` set on failure.
    static func status(_ path: String, followLinks: Bool = true) -> stat? {
        var info = stat()
        let result = withCString(path) { followLinks ? stat($0, &info) : lstat($0, &info) }
        return result == 0 ? info : nil
    }

    /// What the path itself is (a link is not followed), or `nil` when nothing is there.
    static func kind(_ path: String) -> FileKind? {
        status(path, followLinks: false).map { FileKind($0.st_mode) }
    }

    /// Whether anything (a dangling link included) is at `path`.
    public static func exists(_ path: String) -> Bool { kind(path) != nil }

    /// Creates the folder `path` (its parent must exist); `false` on failure.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) -> Bool {
        withCString(path) { mkdir($0, mode) } == 0
    }

    /// Whether `path` is a folder (following links).
    public static func isDirectory(_ path: String) -> Bool {
        status(path).map { FileKind($0.st_mode) == .directory } ?? false
    }

    static func isDanglingLink(_ path: String) -> Bool {
        kind(path) == .symbolicLink && status(path) == nil
    }

    static func openFile(_ path: String, _ flags: Int32, _ mode: mode_t = 0) -> Int32 {
        withCString(path) { open($0, flags, mode) }
    }

    static func renameFile(_ from: String, to: String) -> Bool {
        withCString(from) { f in withCString(to) { t in rename(f, t) } } == 0
    }

    static func linkFile(_ from: String, to: String) -> Bool {
        withCString(from) { f in withCString(to) { t in link(f, t) } } == 0
    }

    @discardableResult
    static func removeFile(_ path: String) -> Bool {
        withCString(path) { unlink($0) } == 0
    }

    /// `mkstemp` on `prefix` + `XXXXXX`: the open descriptor and the name made.
    static func makeTemporary(prefix: String) -> (fd: Int32, path: String)? {
        var template = bytes(prefix) + Array("XXXXXX".utf8) + [0]
        let fd = template.withUnsafeMutableBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { mkstemp($0.baseAddress!) }
        }
        guard fd >= 0 else { return nil }
        return (fd, decode(template.dropLast()))
    }

    /// The names in a folder (hidden ones included, `.` and `..` not) with their `d_type`;
    /// `nil` with `errno` set when it cannot be listed.
    static func entries(of dir: String) -> [(name: String, type: UInt8)]? {
        guard let handle = withCString(dir, { opendir($0) }) else { return nil }
        defer { closedir(handle) }
        var entries: [(String, UInt8)] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                let end = raw.firstIndex(of: 0) ?? raw.count
                return decode(raw[..<end])
            }
            if name == "." || name == ".." { continue }
            entries.append((name, entry.pointee.d_type))
        }
        return entries
    }
}
