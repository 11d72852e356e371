/// Bech32 (BIP 173), as age uses it: no length limit, all lowercase or all uppercase, the
/// checksum over the lowercase form; data converted from 8-bit bytes to 5-bit groups with
/// zero padding, which decoding requires to be canonical.
public enum Bech32 {
    private static let charset = Array("qpzry9x8gf2tvdw0s3jn54khce6mua7l".utf8)
    private static let generator: [UInt32] = [0x3b6a_57b2, 0x2650_8e6d, 0x1ea1_19fa, 0x3d42_33dd, 0x2a14_62b3]

    /// Why a string is not Bech32.
    public struct DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
        public var description: String
    }

    private static func polymod(_ values: [UInt8]) -> UInt32 {
        var chk: UInt32 = 1
        for v in values {
            let top = chk >> 25
            chk = (chk & 0x1ff_ffff) << 5 ^ UInt32(v)
            for i in 0..<5 where (top >> UInt32(i)) & 1 == 1 { chk ^= generator[i] }
        }
        return chk
    }

    private static func expand(_ hrp: [UInt8]) -> [UInt8] {
        hrp.map { $0 >> 5 } + [0] + hrp.map { $0 & 31 }
    }

    /// `hrp` (lowercased) + `1` + data + checksum, uppercase when `uppercase`.
    public static func encode(hrp: String, data: some Collection<UInt8>, uppercase: Bool = false) -> String {
        let h = Array(hrp.lowercased().utf8)
        var groups: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for byte in data {
            acc = acc << 8 | UInt32(byte)
            bits += 8
            while bits >= 5 {
                bits -= 5
                groups.append(UInt8((acc >> UInt32(bits)) & 31))
            }
        }
        if bits > 0 { groups.append(UInt8((acc << UInt32(5 - bits)) & 31)) }
        let mod = polymod(expand(h) + groups + [0, 0, 0, 0, 0, 0]) ^ 1
        let checksum = (0..<6).map { UInt8((mod >> UInt32(5 * (5 - $0))) & 31) }
        let text = String(
            decoding: h + [UInt8(ascii: "1")] + (groups + checksum).map { charset[Int($0)] }, as: UTF8.self)
        return uppercase ? text.uppercased() : text
    }

    /// The human-readable part (lowercase) and the data of a Bech32 string.
    public static func decode(_ text: String) throws(DecodingError) -> (hrp: String, data: [UInt8]) {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 >= 33 && $0 <= 126 }) else {
            throw DecodingError(description: "characters outside printable ASCII")
        }
        let hasLower = bytes.contains { $0 >= 97 && $0 <= 122 }
        let hasUpper = bytes.contains { $0 >= 65 && $0 <= 90 }
        guard !(hasLower && hasUpper) else { throw DecodingError(description: "mixed upper and lower case") }
        let lower = bytes.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
        guard let separator = lower.lastIndex(of: UInt8(ascii: "1")), separator >= 1, lower.count - separator > 6 else {
            throw DecodingError(description: "no '1' separator followed by a checksum")
        }
        let hrp = Array(lower[..<separator])
        var values: [UInt8] = []
        for c in lower[(separator + 1)...] {
            guard let v = charset.firstIndex(of: c) else {
                throw DecodingError(description: "a character outside the Bech32 alphabet")
            }
            values.append(UInt8(v))
        }
        guard polymod(expand(hrp) + values) == 1 else {
            throw DecodingError(description: "the checksum does not match")
        }
        var data: [UInt8] = []
        var acc: UInt32 = 0
        var bits = 0
        for v in values.dropLast(6) {
            acc = acc << 5 | UInt32(v)
            bits += 5
            if bits >= 8 {
                bits -= 8
                data.append(UInt8((acc >> UInt32(bits)) & 0xff))
            }
        }
        guard bits < 5, acc & ((1 << UInt32(bits)) - 1) == 0 else {
            throw DecodingError(description: "non-zero or excess padding bits")
        }
        return (String(decoding: hrp, as: UTF8.self), data)
    }
}
