extension FilePath {
    /// `path` as one word of a POSIX shell command line, to paste as it is.
    ///
    /// A name of letters, digits and `_ . / - + , : @ % =` stays as it is; one with other
    /// printable UTF-8 goes in single quotes (`'it'\''s.md'`); one with a byte that is not
    /// valid UTF-8 or a control character uses `$'…'` with that byte as `\xHH`
    /// (`$'caf\xE9.md'`), which bash, zsh, ksh and POSIX.1-2024 shells read back byte for byte.
    /// Commands put such words after `--`, so a name that starts with `-` stays a name.
    ///
    /// - Parameter path: the path (as `FilePath.decode(_:)` made it).
    /// - Returns: one shell word that stands for exactly its bytes.
    public static func shellWord(_ path: String) -> String {
        let bytes = bytes(path)
        if !bytes.isEmpty && bytes.allSatisfy(isPlain) { return String(decoding: bytes, as: UTF8.self) }
        let needsEscapes = path.unicodeScalars.contains {
            $0.value < 0x20 || $0.value == 0x7F || $0.value & ~0xFF == escapeBase
        }
        guard needsEscapes else {
            return "'" + String(decoding: bytes, as: UTF8.self).replacing("'", with: "'\\''") + "'"
        }
        var out = "$'"
        for scalar in path.unicodeScalars {
            if scalar.value & ~0xFF == escapeBase {
                out += hex(UInt8(scalar.value & 0xFF))
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                out += hex(UInt8(scalar.value))
            } else if scalar == "'" || scalar == "\\" {
                out += "\\" + String(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "'"
    }

    private static func isPlain(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default: return "_./-+,:@%=".utf8.contains(byte)
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0xF)])
    }
}
