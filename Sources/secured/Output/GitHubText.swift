import SecuredRecords
import Synchronization

/// Text that GitHub Actions shows: what a hostile file name or record can put there must stay
/// text. Lines on stdout and stderr go through the runner's workflow-command parser (`::cmd
/// …::` at the start of a line, after spaces; the legacy `##[cmd]` anywhere in it), and the
/// step summary is rendered as Markdown with HTML.
enum GitHubText {
    /// Whether this run writes `--format github` (set once, before any output): then every
    /// line written to stderr is ``inertLine(_:)``.
    static let isActive = Atomic<Bool>(false)

    /// Whether `arguments` ask for `--format github` (`--format github` or `--format=github`).
    static func requested(by arguments: [String]) -> Bool {
        zip(arguments, arguments.dropFirst() + [""]).contains { argument, next in
            argument == "--format=github" || (argument == "--format" && next == "github")
        }
    }

    /// A workflow command's data (the message): `%`, CR and LF escaped.
    static func escapeData(_ s: String) -> String { Escaping.replace(s, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A")]) }

    /// A workflow command's property value (file, title), where `:` and `,` separate things.
    static func escapeProperty(_ s: String) -> String {
        Escaping.replace(s, [("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")])
    }

    /// `text` (a note, an error, a summary) as one line the runner cannot read as a workflow
    /// command: `%`, CR and LF escaped as in a command's data, so that nothing in it starts a
    /// line; a leading `::` (after spaces) written `%3A:`; and `##[` written `##%5B`. Ends in LF.
    static func inertLine(_ text: String) -> String {
        var body = Substring(text)
        if body.hasSuffix("\n") && !body.hasSuffix("\r\n") { body = body.dropLast() }
        var line = escapeData(FilePath.visible(String(body), keeping: ["\n", "\r", "\t"]))
        if line.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("::"), let colon = line.firstIndex(of: ":") {
            line.replaceSubrange(colon...colon, with: "%3A")
        }
        return line.replacingEach("##[", with: "##%5B") + "\n"
    }

    /// `text` (one or more lines of diagnostics, in any format) with nothing in it that a
    /// terminal or the Actions runner would act on, each line break kept: every control
    /// character but LF and tab as `\xHH` (``FilePath/visible(_:keeping:)``), a line that
    /// starts with `::` (after blanks) with its first `:` as `\x3A`, and `##[` as `##\x5B`.
    /// Every line the tool writes to stderr goes through here (``Output/error(_:)``), so a
    /// file name, a policy value or a record's text quoted in a message stays text.
    static func inertLines(_ text: String) -> String {
        // Most text has no control character but LF and tab, no "::" and no "##[": as it is.
        let controls = text.utf8.contains {
            ($0 < 0x20 && $0 != 0x0A && $0 != 0x09) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xF4
        }
        guard controls || text.includes("::") || text.includes("##[") else { return text }
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var shown = FilePath.visible(String(line), keeping: ["\t"])
            if shown.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("::"), let colon = shown.firstIndex(of: ":") {
                shown.replaceSubrange(colon...colon, with: "\\x3A")
            }
            lines.append(shown.includes("##[") ? shown.replacingEach("##[", with: "##\\x5B") : shown)
        }
        return lines.joined(separator: "\n")
    }

    /// `text` as an inline Markdown code span, inert whatever it holds (links, images, HTML,
    /// backticks): fenced by one more backtick than its longest run of them, line breaks and
    /// tabs as spaces.
    static func codeSpan(_ text: String) -> String {
        var longest = 0
        var run = 0
        var flat = ""
        for scalar in text.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                flat += " "
            } else {
                flat.unicodeScalars.append(scalar)
            }
        }
        if flat.isEmpty { return "` `" }
        let fence = String(repeating: "`", count: longest + 1)
        // A span that starts or ends with a backtick or a space needs a space inside each end
        // (CommonMark strips one from each).
        let pad = flat.first == "`" || flat.last == "`" || flat.first == " " || flat.last == " "
        return fence + (pad ? " " : "") + flat + (pad ? " " : "") + fence
    }
}
