/// Escaping text for the formats that carry it.
enum Escaping {
    /// By scalar: "\r\n" is one `Character`, and each half must be escaped.
    static func replace(_ s: String, _ table: [(Unicode.Scalar, String)]) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if let replacement = table.first(where: { $0.0 == c })?.1 {
                out += replacement
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
