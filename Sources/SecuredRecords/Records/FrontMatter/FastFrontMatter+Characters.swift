extension FastFrontMatter.Checker {
    /// Every character is one libyaml reads as itself: printable ASCII, LF, CRLF, and
    /// the characters its reader allows beyond ASCII — U+00A0-U+D7FF, U+E000-U+FFFD and
    /// U+10000-U+10FFFF — less those it treats specially (NEL, U+2028/9 and U+FEFF are
    /// line breaks or a BOM to it). Tabs and lone CRs are left to the full check.
    func charactersArePlain(_ start: Int, _ end: Int) -> Bool {
        var i = start
        let raw = UnsafeRawPointer(b.baseAddress!)
        while i < end {
            // Sixteen bytes at a time (two words) while all are printable ASCII or LF, so
            // that line ends do not leave the fast loop; then eight while all are printable;
            // otherwise straight to the first byte that is not (the lowest flagged one).
            if i + 16 <= end {
                let w0 = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian
                let w1 = raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self).littleEndian
                if Self.notPrintable(Self.lineFeedsAsPrintable(w0))
                    | Self.notPrintable(Self.lineFeedsAsPrintable(w1))
                    == 0
                {
                    i += 16
                    continue
                }
                let f0 = Self.notPrintable(w0)
                let f1 = Self.notPrintable(w1)
                i += f0 != 0 ? f0.trailingZeroBitCount >> 3 : 8 + f1.trailingZeroBitCount >> 3
            } else if i + 8 <= end {
                let f = Self.notPrintable(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian)
                if f == 0 {
                    i += 8
                    continue
                }
                i += f.trailingZeroBitCount >> 3
            }
            let c = b[i]
            if c >= 0x20 && c < 0x7F {
                i += 1
                continue
            }
            switch c {
            case 0x0A: i += 1
            case 0x0D:
                guard i + 1 < end, b[i + 1] == 0x0A else { return false }
                i += 2
            case 0xC2:
                guard i + 1 < end, b[i + 1] >= 0xA0 else { return false }
                i += 2
            case 0xC3...0xDF: i += 2
            case 0xE2:
                // U+2028 and U+2029 are line breaks to libyaml, not to the line rule.
                guard i + 2 < end, !(b[i + 1] == 0x80 && (b[i + 2] == 0xA8 || b[i + 2] == 0xA9)) else {
                    return false
                }
                i += 3
            case 0xE0...0xEC, 0xEE: i += 3
            case 0xED:
                guard i + 1 < end, b[i + 1] < 0xA0 else { return false }
                i += 3
            case 0xEF:
                guard i + 2 < end else { return false }
                if b[i + 1] == 0xBB && b[i + 2] == 0xBF { return false }
                if b[i + 1] == 0xBF && (b[i + 2] == 0xBE || b[i + 2] == 0xBF) { return false }
                i += 3
            case 0xF0...0xF4:
                // U+10000-U+10FFFF: libyaml's reader takes them all (emoji, mathematical
                // letters). The record is valid UTF-8 by now, so this is a whole scalar.
                i += 4
            default: return false
            }
        }
        return true
    }

    /// `w` with each LF byte made printable (0x2A), every other byte unchanged: the fast
    /// loop's test then passes line ends, which the byte loop would otherwise take one by one.
    @inline(__always)
    static func lineFeedsAsPrintable(_ w: UInt64) -> UInt64 {
        // Exactly the LF bytes get 0x80 in `lf` (no carry crosses a byte: each sum is at
        // most 0xFE); 0x80 >> 2 is 0x20, which turns 0x0A into 0x2A.
        let ones: UInt64 = 0x0101_0101_0101_0101
        let x = w ^ (ones &* 0x0A)
        let lf = ~(((x & (ones &* 0x7F)) &+ (ones &* 0x7F)) | x) & (ones &* 0x80)
        return w | (lf >> 2)
    }

    /// Zero exactly when all eight bytes of `w` (the first in the low bits) are printable
    /// ASCII (0x20-0x7E); otherwise its lowest set bit is in the first byte that is not.
    /// A byte of 0x80 or more sets its own top bit; the lowest byte below 0x20 sets it in
    /// `w - 0x20` (the bytes under it are printable, so no borrow reaches it, though its
    /// borrow may flag the bytes above it); 0x7F sets it in `w + 0x01`. When all are
    /// printable, neither sum carries or borrows.
    @inline(__always)
    static func notPrintable(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        return (w | (w &- ones &* 0x20) | (w &+ ones)) & (ones &* 0x80)
    }
}
