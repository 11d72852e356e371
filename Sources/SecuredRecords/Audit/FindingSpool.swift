import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Per-record findings, appended in file order to an anonymous temporary file (removed by
/// the system when closed, even after a crash) and read back in the same order.
///
/// When the file cannot take more (a full disk), every finding already written is read
/// back into memory and the rest are kept there; if even that fails, ``failure`` says so.
final class FindingSpool: @unchecked Sendable {
    // @unchecked Sendable: appended to by the audit's coordinating thread only, before any
    // read; readers use pread at offsets of their own, so they share nothing but `state`.
    private var fd: Int32 = -1
    /// Bytes committed to the file.
    private var written = 0
    private var memory: [UInt8] = []
    private let writeLimit: Int?
    private let readFails: Bool
    private let state = Mutex<String?>(nil)
    /// Number of findings appended.
    private(set) var count = 0

    /// - Parameters:
    ///   - writeLimit: tests only: writes to the file fail beyond this many bytes.
    ///   - readFails: tests only: reading the file back fails.
    init(writeLimit: Int? = nil, readFails: Bool = false) {
        self.writeLimit = writeLimit
        self.readFails = readFails
        if let file = tmpfile() {
            fd = dup(fileno(file))
            fclose(file)
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Why findings were lost, if they were.
    var failure: String? { state.withLock { $0 } }

    func fail(_ reason: String) { state.withLock { if $0 == nil { $0 = reason } } }

    /// Appends the findings of the record at `fileIndex`.
    func append(_ findings: [RecordError], fileIndex: Int) {
        guard !findings.isEmpty else { return }
        var buffer: [UInt8] = []
        for finding in findings {
            put(&buffer, UInt64(fileIndex))
            put(&buffer, UInt64(bitPattern: Int64(finding.line ?? -1)))
            put(&buffer, finding.code.rawValue)
            put(&buffer, finding.field.map { "+" + $0 } ?? "")
            put(&buffer, finding.reason)
            put(&buffer, finding.keyID.map { "+" + $0 } ?? "")
            put(&buffer, finding.leak.map(Self.serialized) ?? "")
        }
        count += findings.count
        if fd >= 0 {
            if writeToFile(buffer) { return }
            moveToMemory()
        }
        memory += buffer
    }

    private func writeToFile(_ buffer: [UInt8]) -> Bool {
        if let writeLimit, written + buffer.count > writeLimit { return false }
        let ok = buffer.withUnsafeBytes { SystemCall.pwriteAll(fd, $0, at: off_t(written)) }
        if ok { written += buffer.count }
        return ok
    }

    /// The file failed: keep what it holds in memory from now on.
    private func moveToMemory() {
        if let back = readFile(at: 0, count: written), back.count == written {
            memory = back
        } else {
            fail("the findings spool could not be read back after a failed write; findings were lost")
        }
        close(fd)
        fd = -1
    }

    /// Up to `count` bytes of the file from `offset`; `nil` on a read error.
    private func readFile(at offset: Int, count: Int) -> [UInt8]? {
        if readFails { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = bytes.withUnsafeMutableBytes {
                SystemCall.pread(fd, $0.baseAddress! + got, count - got, off_t(offset + got))
            }
            if n < 0 { return nil }
            if n == 0 { break }
            got += n
        }
        return Array(bytes[..<got])
    }

    /// Up to `count` spooled bytes from `offset`.
    fileprivate func chunk(at offset: Int, count: Int) -> [UInt8] {
        if fd >= 0 {
            let wanted = min(count, written - offset)
            guard wanted > 0 else { return [] }
            guard let bytes = readFile(at: offset, count: wanted) else {
                fail("the findings spool could not be read back: \(String(cString: strerror(errno)))")
                return []
            }
            return bytes
        }
        let end = min(memory.count, offset + count)
        return offset < end ? Array(memory[offset..<end]) : []
    }

    private func put(_ buffer: inout [UInt8], _ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func put(_ buffer: inout [UInt8], _ text: String) {
        put(&buffer, UInt64(text.utf8.count))
        buffer.append(contentsOf: text.utf8)
    }

    struct Reader {
        let spool: FindingSpool
        var offset = 0
        var chunk: [UInt8] = []
        var position = 0
        /// Findings read so far.
        var read = 0

        mutating func bytes(_ n: Int) -> ArraySlice<UInt8>? {
            while chunk.count - position < n {
                let more = spool.chunk(at: offset, count: max(65536, n))
                if more.isEmpty { return nil }
                offset += more.count
                chunk = Array(chunk[position...]) + more
                position = 0
            }
            defer { position += n }
            return chunk[position..<(position + n)]
        }

        mutating func integer() -> UInt64? {
            guard let b = bytes(8) else { return nil }
            var v: UInt64 = 0
            for (k, byte) in b.enumerated() { v |= UInt64(byte) << UInt64(8 * k) }
            return v
        }

        mutating func text() -> String? {
            guard let n = integer(), let b = bytes(Int(n)) else { return nil }
            return String(decoding: b, as: UTF8.self)
        }

        mutating func next(files: [String]) -> (Int, RecordError)? {
            guard let index = integer(), let line = integer(), let code = text(), let field = text(),
                let reason = text(), let keyID = text(), let leak = text(),
                let parsed = RecordError.Code(rawValue: code), Int(index) < files.count
            else { return nil }
            read += 1
            let lineNumber = Int64(bitPattern: line)
            var finding = RecordError(
                parsed, file: files[Int(index)], line: lineNumber < 0 ? nil : Int(lineNumber),
                field: field.isEmpty ? nil : String(field.dropFirst()), reason: reason,
                keyID: keyID.isEmpty ? nil : String(keyID.dropFirst()))
            finding.leak = FindingSpool.leakSource(leak)
            return (Int(index), finding)
        }
    }

    /// A leak's details as one text: `+` then its fields separated by NUL (no path holds one).
    static func serialized(_ leak: LeakSource) -> String {
        "+"
            + [leak.record, String(leak.words), leak.fingerprint, leak.blob ?? "", leak.commit ?? ""]
            .joined(separator: "\u{0}")
    }

    /// The leak details ``serialized(_:)`` wrote, if any.
    static func leakSource(_ text: String) -> LeakSource? {
        guard text.hasPrefix("+") else { return nil }
        let parts = text.dropFirst().split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, let words = Int(parts[1]) else { return nil }
        return LeakSource(
            record: parts[0], words: words, fingerprint: parts[2], blob: parts[3].isEmpty ? nil : parts[3],
            commit: parts[4].isEmpty ? nil : parts[4])
    }

    /// A reader from the first finding.
    func reader() -> Reader { Reader(spool: self) }
}
