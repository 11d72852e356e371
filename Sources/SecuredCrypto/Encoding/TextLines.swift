/// The lines of a key file, public key file or `.minisig`, numbered from 1: lines end in LF
/// or CRLF (git's `autocrlf`), and a leading byte-order mark is not text.
///
/// Split on scalars: `"\r\n"` is a single `Character`, which a split on `"\n"` would miss.
func textLines(_ text: String, droppingBOM: Bool = true) -> [(number: Int, text: Substring)] {
    var scalars = Substring(text).unicodeScalars
    if droppingBOM && scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    return scalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { k, raw in
        var line = Substring(raw)
        if line.unicodeScalars.last == "\r" { line = Substring(line.unicodeScalars.dropLast()) }
        return (k + 1, line)
    }
}
