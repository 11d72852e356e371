import SecuredCrypto

/// Leak findings reviewed and accepted (SPEC 1.3 section 10): one fingerprint a line, the
/// SHA-256 of the record's path, the scanned file's path (or git blob id), the hash of the
/// run's first window, its length in words and its ordinal among the file's runs alike in
/// all these — no plaintext. A run that grew, or a second copy in the same file, is a new
/// finding. Lines starting with `#` and blank lines are comments.
public struct LeakBaseline: Sendable, Equatable {
    /// The fingerprints, lowercase hex.
    public var fingerprints: Set<String>

    /// A baseline of these fingerprints.
    public init(fingerprints: Set<String> = []) { self.fingerprints = fingerprints }

    /// The first line of a baseline file the tool writes.
    static let header = "# secured leaks baseline: accepted findings, one fingerprint a line (no plaintext)"

    /// A finding's fingerprint.
    ///
    /// - Parameters:
    ///   - record: the sealed record's path.
    ///   - file: the scanned file's path, or the git blob's id.
    ///   - window: the hash of the run's first window.
    ///   - words: the run's length in words.
    ///   - ordinal: how many runs of the file came before it with the same record, first
    ///     window and length (0 for the first).
    /// - Returns: 64 lowercase hex digits.
    public static func fingerprint(record: String, file: String, window: UInt64, words: Int, ordinal: Int) -> String {
        var input: [UInt8] = []
        input += FilePath.bytes(normalized(record))
        input.append(0)
        input += FilePath.bytes(normalized(file))
        input.append(0)
        for value in [window, UInt64(words), UInt64(ordinal)] {
            for shift in stride(from: 56, through: 0, by: -8) {
                input.append(UInt8(truncatingIfNeeded: value >> shift))
            }
        }
        return Hex.encode(SHA256.hash(input))
    }

    /// The fingerprints of the runs of one file, in order (``fingerprint(record:file:window:words:ordinal:)``).
    static func fingerprints(_ runs: [(record: String, window: UInt64, words: Int)], file: String) -> [String] {
        var seen: [String: Int] = [:]
        return runs.map { run in
            let key = "\(run.record)\u{0}\(run.window)\u{0}\(run.words)"
            let ordinal = seen[key, default: 0]
            seen[key] = ordinal + 1
            return fingerprint(record: run.record, file: file, window: run.window, words: run.words, ordinal: ordinal)
        }
    }

    /// Reads a baseline file.
    ///
    /// - Parameters:
    ///   - path: the baseline file; messages name it as given.
    ///   - workingDirectory: the absolute folder a relative `path` starts from; `nil`: the
    ///     process's working directory.
    /// - Throws: ``ConfigurationError`` when it cannot be read or holds a line that is not a
    ///   fingerprint.
    public static func read(_ path: String, workingDirectory: String? = nil) throws(ConfigurationError) -> LeakBaseline
    {
        let bytes: [UInt8]
        do {
            bytes = try RecordFile.read(path, in: workingDirectory)
        } catch {
            throw ConfigurationError(.unreadable, "cannot read the baseline \(FilePath.display(path)): \(error.reason)")
        }
        var baseline = LeakBaseline()
        for (number, raw) in String(decoding: bytes, as: UTF8.self).split(
            separator: "\n", omittingEmptySubsequences: false
        ).enumerated() {
            let line = raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
            let text = String(line)
            if text.isEmpty || text.hasPrefix("#") { continue }
            guard text.count == 64, text.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ConfigurationError(
                    .malformed,
                    "\(FilePath.display(path)):\(number + 1): not a fingerprint (64 lowercase hex digits); write the baseline again",
                    remedy: .writeBaseline)
            }
            baseline.fingerprints.insert(text)
        }
        return baseline
    }

    /// Writes `fingerprints` as a baseline file (sorted, with its header).
    ///
    /// - Throws: ``ConfigurationError`` when it cannot be written.
    public static func write(_ fingerprints: some Sequence<String>, to path: String) throws(ConfigurationError) {
        let lines = [header] + Set(fingerprints).sorted()
        do {
            try AtomicFileWriter.replaceOrCreate(path, Array((lines.joined(separator: "\n") + "\n").utf8))
        } catch {
            throw ConfigurationError(
                .unwritable, "cannot write the baseline \(FilePath.display(path)): \(error.reason)")
        }
    }

    /// `path` without leading `./`, so `./_site/feed.xml` and `_site/feed.xml` are one file.
    static func normalized(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2).drop(while: { $0 == "/" }) }
        return String(p)
    }
}
