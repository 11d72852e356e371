import ArgumentParser
import JSONText
import SecuredRecords
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a report on stdout is written in, which decides how what a file, a record or a
/// policy put into it is kept from acting on a terminal or the Actions runner.
enum StdoutForm {
    /// Lines for people: ``GitHubText/inertLines(_:)``.
    case text
    /// JSON (and SARIF): `##[` written `##\u005b`, the same string to any JSON reader.
    case json
    /// XML (JUnit): `##[` written `##&#91;`; line breaks inside values are `&#10;` already.
    case xml
    /// Workflow commands, one a line (already escaped): `##[` written `##%5B`.
    case annotations
}

/// stdout carries data only; diagnostics, progress and summaries go to stderr.
enum Output {
    /// Writes a report (text the tool wrote, quoting names and values from files) to stdout,
    /// made inert for its form: a hostile name can start no workflow command there either.
    static func data(_ text: String, as form: StdoutForm = .text) {
        writeAll(1, Array(inert(text, as: form).utf8))
    }

    /// `text` with nothing a terminal or the Actions runner acts on, for its form.
    static func inert(_ text: String, as form: StdoutForm) -> String {
        switch form {
        case .text: return GitHubText.inertLines(text)
        case .json: return text.includes("##[") ? text.replacingEach("##[", with: "##\\u005b") : text
        case .xml: return text.includes("##[") ? text.replacingEach("##[", with: "##&#91;") : text
        case .annotations: return text.includes("##[") ? text.replacingEach("##[", with: "##%5B") : text
        }
    }

    /// Writes bytes that are the user's own content (an opened record's text) as they are.
    static func dataBytes(_ bytes: [UInt8]) {
        writeAll(1, bytes)
    }

    /// Whether `--quiet` (`-q`) was asked for: stderr then carries only errors and warnings.
    static let quiet = Atomic<Bool>(false)

    /// Whether `arguments` ask for `--quiet` (`-q`), before `--` ends the options.
    static func quietRequested(by arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains { $0 == "--quiet" || $0 == "-q" }
    }

    /// A note on stderr. Under `--quiet` only the notes a reviewer must see
    /// (``Note/Kind/isWarning``: a policy that hides records, a key a change added) remain.
    static func note(_ note: Note) {
        if quiet.load(ordering: .relaxed) && !note.kind.isWarning { return }
        write(note.advisedDescription)
    }

    /// The message that ends a command (what `main` reports): written even under `--quiet`,
    /// whatever its wording (the argument parser's own say `Error:`), so that an exit status
    /// never comes without its reason.
    static func failure(_ text: String) { write(text) }

    static func error(_ text: String) {
        if quiet.load(ordering: .relaxed) && !(text.includes("error: ") || text.includes("warning: ")) { return }
        write(text)
    }

    /// One diagnostic on stderr, inert (and coloured on a terminal).
    private static func write(_ text: String) {
        var line =
            GitHubText.isActive.load(ordering: .relaxed) ? GitHubText.inertLine(text) : GitHubText.inertLines(text)
        if colours { line = coloured(line) }
        writeAll(2, Array((line.hasSuffix("\n") ? line : line + "\n").utf8))
    }

    /// One JSON document on stdout: keys sorted, pretty-printed, so output is stable.
    static func json(_ value: some Encodable) {
        data((JSONText.encode(value, pretty: true) ?? "null") + "\n", as: .json)
    }

    /// Writes every byte to `fd`; `false` when a write fails.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { SystemCall.writeAll(fd, $0) }
    }

    /// Writes every byte of `buf` to `fd`; `false` when a write fails.
    @discardableResult
    static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Bool {
        SystemCall.writeAll(fd, buf)
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }

    /// Whether stderr gets colour: a terminal, `NO_COLOR` unset or empty (no-color.org), and
    /// a `TERM` that is not `dumb`.
    static let colours: Bool =
        isatty(2) == 1 && (environment("NO_COLOR") ?? "").isEmpty && environment("TERM") != "dumb"

    /// `text` with `error:` in red, `warning:` in yellow and `hint:` in cyan (SGR codes the
    /// tool writes itself, after every escape in the text was made visible).
    static func coloured(_ text: String) -> String {
        text.replacingEach(": error: ", with: ": \u{1B}[1;31merror\u{1B}[0m: ")
            .replacingEach(": warning: ", with: ": \u{1B}[1;33mwarning\u{1B}[0m: ")
            .replacingEach("  hint: ", with: "  \u{1B}[36mhint\u{1B}[0m: ")
            .replacingEach(
                "error: ", with: "\u{1B}[1;31merror\u{1B}[0m: ", maxReplacements: text.hasPrefix("error: ") ? 1 : 0)
    }

    /// An environment variable's value.
    static func environment(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Appends `text` to a file (created 0644 if missing), for the CI step summary.
    ///
    /// - Returns: whether all of it was written.
    static func append(_ text: String, toFileAt path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return writeAll(fd, Array(text.utf8))
    }

    /// `x` with `digits` decimals ("0.25"), as `%.2f` would print it.
    static func fixed(_ x: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let n = Int((abs(x) * scale).rounded())
        let whole = n / Int(scale)
        var fraction = String(n % Int(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        return (x < 0 && n != 0 ? "-" : "") + "\(whole)" + (digits > 0 ? "." + fraction : "")
    }

    /// Now, in UTC, as `2026-11-29T12:00:00Z`.
    static func utcTimestamp() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let n = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer.prefix(n).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
