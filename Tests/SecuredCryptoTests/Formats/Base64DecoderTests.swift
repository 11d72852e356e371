import SecuredCrypto
import TestSupport
import Testing

/// The canonical decoder, written the plain way (one character at a time), for comparison.
private func referenceDecode(_ text: [UInt8]) -> Result<[UInt8], Base64.DecodingError> {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    if let bad = text.firstIndex(where: { !Base64.isBase64Character($0) }) {
        return .failure(.invalidCharacter(offset: bad))
    }
    guard text.count % 4 == 0 else { return .failure(.invalidLength(text.count)) }
    let pad = text.reversed().prefix { $0 == UInt8(ascii: "=") }.count
    guard pad <= 2, !text.dropLast(pad).contains(UInt8(ascii: "=")) else { return .failure(.misplacedPadding) }
    var bits: [UInt8] = []
    for c in text.dropLast(pad) {
        let v = alphabet.firstIndex(of: c)!
        for k in (0..<6).reversed() { bits.append(UInt8(v >> k & 1)) }
    }
    let count = text.count / 4 * 3 - pad
    guard bits[(count * 8)...].allSatisfy({ $0 == 0 }) else { return .failure(.nonZeroTrailingBits) }
    return .success(
        (0..<count).map { i in bits[(i * 8)..<(i * 8 + 8)].reduce(UInt8(0)) { $0 << 1 | $1 } })
}

@Suite("Base64 decoder")
struct Base64DecoderTests {
    /// The decoder reads a quad with one 32-bit load and four pre-shifted table
    /// lookups; on every spelling — canonical, misplaced or extra padding, foreign
    /// characters anywhere, non-zero trailing bits, any length — it must say what the plain
    /// decoder says.
    @Test func agreesWithThePlainDecoder() {
        var rng = SeededRandom(seed: 1919)
        let characters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var cases: [[UInt8]] = []
        for n in 0..<64 {
            let canonical = Array(Base64.encode(rng.bytes(n)).utf8)
            cases.append(canonical)
            for _ in 0..<20 where !canonical.isEmpty {
                var text = canonical
                let at = Int(rng.next() % UInt64(text.count))
                switch rng.next() % 5 {
                case 0: text[at] = UInt8(ascii: "=")
                case 1: text[at] = [0x00, 0x20, 0x2D, 0x5F, 0x7F, 0x80, 0xC3, 0xFF][Int(rng.next() % 8)]
                case 2: text[at] = characters[Int(rng.next() % 64)]
                case 3: text.remove(at: at)
                default: text.insert(characters[Int(rng.next() % 64)], at: at)
                }
                cases.append(text)
            }
        }
        for text in cases {
            let ours = text.withUnsafeBytes { Base64.decode(bytes: $0) }
            #expect(ours == referenceDecode(text), "\(String(decoding: text, as: UTF8.self))")
        }
    }
}
