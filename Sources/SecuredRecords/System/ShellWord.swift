/// A path written as one word a POSIX shell reads back byte for byte, for the commands that
/// messages suggest (`secured seal -- '-dash.md' --key KEY`):
///
/// - a word of plain characters (letters, digits, `-`, `_`, `.`, `/`, `+`, `,`, `:`, `@`,
///   `%`, `=`) as it is;
/// - valid UTF-8 without control characters in single quotes, each `'` as `'\''`;
/// - anything else (a line break, a tab, bytes that are not UTF-8) as `$'…'`, with `\n`,
///   `\r`, `\t`, `\\`, `\'` and `\xHH` for the other bytes (POSIX.1-2024, bash, zsh, ksh).
///
/// A word may still start with `-`: suggested commands put paths after `--`. Where no `--`
/// comes before a path (an option's value, `--key -x.key`; an operand before the options),
/// ``argument(_:)`` writes it so that no command reads it as an option.
public enum ShellWord {
    /// `path` as one shell word that no command reads as an option, for where no `--` comes
    /// before it (an option's value, an operand): a relative path that starts with `-` is
    /// written `./-x.key`, the same file; any other path as ``quoted(_:)`` writes it.
    ///
    /// ```swift
    /// ShellWord.argument("-x.key")  // ./-x.key
    /// ```
    public static func argument(_ path: String) -> String {
        quoted(path.hasPrefix("-") ? "./" + path : path)
    }

    /// `path` as one shell word.
    public static func quoted(_ path: String) -> String {
        let bytes = FilePath.bytes(path)
        if !bytes.isEmpty && bytes.allSatisfy(isPlain) { return String(decoding: bytes, as: UTF8.self) }
        let text = String(decoding: bytes, as: UTF8.self)
        let isText =
            Array(text.utf8) == bytes
            && !text.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) }
        if isText { return "'" + text.replacingEach("'", with: "'\\''") + "'" }
        var out = "$'"
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\n"): out += "\\n"
            case UInt8(ascii: "\r"): out += "\\r"
            case UInt8(ascii: "\t"): out += "\\t"
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "'"): out += "\\'"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                // A whole valid UTF-8 sequence stays as it is; any other byte is \xHH.
                if b >= 0xC2, let length = validSequence(bytes, at: i) {
                    out += String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                    i += length
                    continue
                }
                let hex = String(b, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
            }
            i += 1
        }
        return out + "'"
    }

    private static func isPlain(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default: return "-_./+,:@%=".utf8.contains(b)
        }
    }

    /// The length of the valid UTF-8 sequence (not a control character) starting at `i`.
    private static func validSequence(_ bytes: [UInt8], at i: Int) -> Int? {
        let length = bytes[i] >= 0xF0 ? 4 : bytes[i] >= 0xE0 ? 3 : 2
        guard i + length <= bytes.count else { return nil }
        let slice = Array(bytes[i..<(i + length)])
        let text = String(decoding: slice, as: UTF8.self)
        guard Array(text.utf8) == slice, let scalar = text.unicodeScalars.first, scalar.value >= 0xA0 else {
            return nil
        }
        return length
    }
}
