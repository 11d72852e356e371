/// RFC 4648 base64, standard alphabet, `=` padding, with a **canonical-only** decoder.
///
/// Canonical means the one spelling an encoder produces: length a multiple of 4,
/// exactly the padding the length needs, and the unused trailing bits zero. Any other
/// spelling of the same bytes is rejected (SPEC section 2).
public enum Base64 {
    /// Why a string is not canonical base64.
    public enum DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
        /// A character outside `A–Z a–z 0–9 + / =` at this byte offset.
        case invalidCharacter(offset: Int)
        /// The length is not a multiple of 4.
        case invalidLength(Int)
        /// `=` somewhere other than the last one or two places, or too much of it.
        case misplacedPadding
        /// The bits after the last byte are not zero.
        case nonZeroTrailingBits

        public var description: String {
            switch self {
            case .invalidCharacter(let o): return "character at offset \(o) is not in the base64 alphabet"
            case .invalidLength(let n): return "length \(n) is not a multiple of 4"
            case .misplacedPadding: return "'=' padding is misplaced"
            case .nonZeroTrailingBits: return "unused trailing bits are not zero"
            }
        }
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let decodeTable: [UInt8] = {
        var t = [UInt8](repeating: 0xff, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    /// The 6 bits of a character already in place for each of the four positions of a
    /// quad (4 x 256 entries, position k shifted left by 18 - 6k); a foreign character
    /// (and `=`) sets bit 31 in every position, so one OR of four lookups both decodes
    /// a quad and flags it.
    private static let quadTable: [UInt32] = {
        var t = [UInt32](repeating: 0x8000_0000, count: 4 * 256)
        for (i, c) in alphabet.enumerated() {
            for k in 0..<4 { t[k * 256 + Int(c)] = UInt32(i) << UInt32(18 - 6 * k) }
        }
        return t
    }()

    /// Whether `c` is one of the 64 alphabet characters or `=`.
    @inlinable
    public static func isBase64Character(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x30 && c <= 0x39) || c == 0x2B || c == 0x2F
            || c == 0x3D
    }

    /// Encodes `bytes` with padding.
    public static func encode(_ bytes: some ContiguousBytesProtocol) -> String {
        bytes.withUnsafeBytes { input in
            var out = [UInt8]()
            out.reserveCapacity((input.count + 2) / 3 * 4)
            var i = 0
            while i + 3 <= input.count {
                let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8 | UInt32(input[i + 2])
                out.append(alphabet[Int(n >> 18 & 63)])
                out.append(alphabet[Int(n >> 12 & 63)])
                out.append(alphabet[Int(n >> 6 & 63)])
                out.append(alphabet[Int(n & 63)])
                i += 3
            }
            let rest = input.count - i
            if rest == 1 {
                let n = UInt32(input[i]) << 16
                out.append(alphabet[Int(n >> 18 & 63)])
                out.append(alphabet[Int(n >> 12 & 63)])
                out.append(UInt8(ascii: "="))
                out.append(UInt8(ascii: "="))
            } else if rest == 2 {
                let n = UInt32(input[i]) << 16 | UInt32(input[i + 1]) << 8
                out.append(alphabet[Int(n >> 18 & 63)])
                out.append(alphabet[Int(n >> 12 & 63)])
                out.append(alphabet[Int(n >> 6 & 63)])
                out.append(UInt8(ascii: "="))
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Decodes canonical base64.
    ///
    /// - Parameter text: the base64 text, nothing else (no whitespace).
    /// - Returns: the decoded bytes.
    /// - Throws: ``DecodingError`` saying how the text is not canonical.
    public static func decode(_ text: some StringProtocol) throws(DecodingError) -> [UInt8] {
        let result =
            text.utf8.withContiguousStorageIfAvailable { decode(bytes: UnsafeRawBufferPointer($0)) }
            ?? Array(text.utf8).withUnsafeBytes { decode(bytes: $0) }
        return try result.get()
    }

    /// Decodes canonical base64 from ASCII bytes.
    ///
    /// - Returns: the bytes, or the ``DecodingError`` saying how the text is not canonical.
    public static func decode(bytes input: UnsafeRawBufferPointer) -> Result<[UInt8], DecodingError> {
        let n = input.count
        // The decoding loop below rejects every foreign character too (as 0xff in the table);
        // this scan only runs to name the first one when something is wrong.
        func firstForeignCharacter() -> DecodingError? {
            for i in 0..<n where !isBase64Character(input[i]) { return .invalidCharacter(offset: i) }
            return nil
        }
        // Characters first, so a foreign character is reported as such whatever the length.
        guard n % 4 == 0 else { return .failure(firstForeignCharacter() ?? .invalidLength(n)) }
        if n == 0 { return .success([]) }
        var pad = 0
        if input[n - 1] == UInt8(ascii: "=") { pad += 1 }
        if input[n - 2] == UInt8(ascii: "=") { pad += 1 }
        if pad == 1 && input[n - 2] == UInt8(ascii: "=") {
            return .failure(firstForeignCharacter() ?? .misplacedPadding)
        }
        // Every character but the padding is now one of the 64: '=' elsewhere maps to 0xff.
        let quads = n / 4 - (pad > 0 ? 1 : 0)
        let count = n / 4 * 3 - pad
        return decodeTable.withUnsafeBufferPointer { table in
            var failure: DecodingError?
            // One byte to spare: each quad's three bytes are stored as a four-byte word whose
            // last byte the next quad (or the padding, or nothing) overwrites.
            let out = [UInt8](unsafeUninitializedCapacity: count + 1) { out, initialized in
                var bad: UInt32 = 0
                var badQuads: UInt32 = 0
                var o = 0
                let to = UnsafeMutableRawPointer(out.baseAddress!)
                quadTable.withUnsafeBufferPointer { quad in
                    let q0 = quad.baseAddress!
                    let (q1, q2, q3) = (q0 + 256, q0 + 512, q0 + 768)
                    for q in 0..<quads {
                        let w = input.loadUnaligned(fromByteOffset: q * 4, as: UInt32.self).littleEndian
                        let v =
                            q0[Int(w & 0xFF)] | q1[Int(w >> 8 & 0xFF)] | q2[Int(w >> 16 & 0xFF)] | q3[Int(w >> 24)]
                        badQuads |= v
                        // The 24 bits, most significant byte first, then a byte to overwrite.
                        to.storeBytes(of: (v << 8).bigEndian, toByteOffset: o, as: UInt32.self)
                        o += 3
                    }
                }
                if pad > 0 {
                    let i = n - 4
                    let a = UInt32(table[Int(input[i])])
                    let b = UInt32(table[Int(input[i + 1])])
                    bad |= a | b
                    if pad == 2 {
                        if b & 0x0f != 0 { failure = .nonZeroTrailingBits }
                        out[o] = UInt8(truncatingIfNeeded: a << 2 | b >> 4)
                    } else {
                        let c = UInt32(table[Int(input[i + 2])])
                        bad |= c
                        if c & 0x03 != 0 { failure = .nonZeroTrailingBits }
                        let v = a << 18 | b << 12 | c << 6
                        out[o] = UInt8(truncatingIfNeeded: v >> 16)
                        out[o + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    }
                }
                if bad & 0x80 != 0 || badQuads & 0x8000_0000 != 0 { failure = .misplacedPadding }
                initialized = count
            }
            if let failure { return .failure(firstForeignCharacter() ?? failure) }
            return .success(out)
        }
    }
}
