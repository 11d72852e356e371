#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A sealed payload: the value of a record's `secured` field.
///
/// Wire format (SPEC section 2), the only place it is spelled out:
/// `"<B64(ciphertext)>;<B64(IV)>"` — canonical base64 of the ciphertext, one `;`, canonical
/// base64 of the 16-byte IV. The ciphertext is a non-empty multiple of 16 bytes.
///
/// ```swift
/// let value = try SealedValue(parsing: "q83v…==;AAECAwQFBgcICQoLDA0ODw==")
/// value.serialized   // the same string back
/// ```
public struct SealedValue: Hashable, Sendable {
    /// The AES-CBC ciphertext, a non-empty multiple of 16 bytes.
    public let ciphertext: [UInt8]
    /// The IV it was encrypted with.
    public let iv: AESCBC.IV

    /// A value from its parts.
    ///
    /// - Throws: ``SealedValueError/invalidCiphertextLength(_:)`` when the ciphertext is
    ///   empty or not whole blocks.
    public init(ciphertext: [UInt8], iv: AESCBC.IV) throws(SealedValueError) {
        guard !ciphertext.isEmpty, ciphertext.count % AESCBC.blockSize == 0 else {
            throw .invalidCiphertextLength(ciphertext.count)
        }
        self.ciphertext = ciphertext
        self.iv = iv
    }

    /// Parses the wire format strictly.
    ///
    /// - Parameter text: the field value, without quotes.
    /// - Throws: the first of ``SealedValue/defects(in:)``.
    public init(parsing text: some StringProtocol) throws(SealedValueError) {
        let (value, defects) = Self.parse(text)
        guard let value else { throw defects[0] }
        self = value
    }

    /// Every defect of `text` as a blob, in SR-code order (empty when it parses).
    ///
    /// Both parts are checked, so an IV of the wrong length does not hide a damaged
    /// ciphertext.
    public static func defects(in text: some StringProtocol) -> [SealedValueError] {
        parse(text).defects
    }

    /// `B64(ciphertext);B64(IV)`.
    public var serialized: String {
        Base64.encode(ciphertext) + ";" + Base64.encode(iv.bytes)
    }

    /// Number of AES blocks in the ciphertext.
    public var blockCount: Int { ciphertext.count / AESCBC.blockSize }

    private static func parse(_ text: some StringProtocol) -> (value: SealedValue?, defects: [SealedValueError]) {
        var text = String(text)
        return text.withUTF8 { parse(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Parses the wire format from its UTF-8 bytes, finding every defect (SR-code order).
    ///
    /// - Returns: the value when there is no defect, and the defects.
    public static func parse(utf8: UnsafeRawBufferPointer) -> (value: SealedValue?, defects: [SealedValueError]) {
        // The common case, a valid blob: one ';', both parts decode (the decoder rejects any
        // foreign character), right lengths. Anything else is diagnosed in full below.
        if let cut = Self.index(of: UInt8(ascii: ";"), in: utf8, from: 0),
            Self.index(of: UInt8(ascii: ";"), in: utf8, from: cut + 1) == nil,
            case .success(let ivBytes) = Base64.decode(bytes: UnsafeRawBufferPointer(rebasing: utf8[(cut + 1)...])),
            ivBytes.count == AESCBC.blockSize,
            case .success(let ciphertext) = Base64.decode(bytes: UnsafeRawBufferPointer(rebasing: utf8[..<cut])),
            let iv = try? AESCBC.IV(bytes: ivBytes), let value = try? SealedValue(ciphertext: ciphertext, iv: iv)
        {
            return (value, [])
        }
        var cut = -1
        var separators = 0
        for i in 0..<utf8.count {
            let c = utf8[i]
            if c == UInt8(ascii: ";") {
                separators += 1
                cut = i
            } else if !Base64.isBase64Character(c) {
                return (nil, [.notLiteral("character \(describe(c)) at column \(i + 1) is not base64 or ';'")])
            }
        }
        guard separators == 1 else {
            return (nil, [.notLiteral("expected exactly one ';' between ciphertext and IV, found \(separators)")])
        }
        var defects: [SealedValueError] = []
        var ciphertext: [UInt8]?
        var ivBytes: [UInt8]?
        switch Base64.decode(bytes: UnsafeRawBufferPointer(rebasing: utf8[..<cut])) {
        case .success(let bytes): ciphertext = bytes
        case .failure(let error):
            defects.append(.nonCanonicalBase64(part: .ciphertext, reason: error.description))
        }
        switch Base64.decode(bytes: UnsafeRawBufferPointer(rebasing: utf8[(cut + 1)...])) {
        case .success(let bytes): ivBytes = bytes
        case .failure(let error): defects.append(.nonCanonicalBase64(part: .iv, reason: error.description))
        }
        if let ivBytes, ivBytes.count != AESCBC.blockSize {
            defects.append(.invalidIVLength(ivBytes.count))
        }
        if let ciphertext, ciphertext.isEmpty || ciphertext.count % AESCBC.blockSize != 0 {
            defects.append(.invalidCiphertextLength(ciphertext.count))
        }
        if !defects.isEmpty { return (nil, defects) }
        // Both checked above: these cannot fail.
        let iv = try! AESCBC.IV(bytes: ivBytes!)
        return (try! SealedValue(ciphertext: ciphertext!, iv: iv), [])
    }

    private static func index(of byte: UInt8, in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress,
            let hit = memchr(base + from, Int32(byte), bytes.count - from)
        else { return nil }
        return UnsafeRawPointer(hit) - base
    }

    private static func describe(_ c: UInt8) -> String {
        if c >= 0x21 && c < 0x7f { return "'\(Character(Unicode.Scalar(c)))'" }
        return "0x" + Hex.encode([c])
    }
}

/// Why a text is not a valid blob. The record layer gives each case its diagnostic code.
public enum SealedValueError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The two parts of a blob.
    public enum Part: String, Sendable {
        case ciphertext
        case iv = "IV"
    }

    /// Not `B64;B64` written literally (a foreign character, not exactly one `;`).
    case notLiteral(String)
    /// A part made of base64 characters that is not canonical.
    case nonCanonicalBase64(part: Part, reason: String)
    /// The IV does not decode to 16 bytes.
    case invalidIVLength(Int)
    /// The ciphertext is empty or not a multiple of 16 bytes.
    case invalidCiphertextLength(Int)

    public var description: String {
        switch self {
        case .notLiteral(let why): return "not B64;B64 written literally: \(why)"
        case .nonCanonicalBase64(let part, let why):
            return "\(part.rawValue) part is not canonical base64: \(why)"
        case .invalidIVLength(let n): return "IV part decodes to \(n) bytes, expected 16"
        case .invalidCiphertextLength(let n):
            return n == 0
                ? "ciphertext part is empty"
                : "ciphertext part decodes to \(n) bytes, not a multiple of 16"
        }
    }
}
