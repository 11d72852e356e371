import SecuredCrypto

/// A fixed identity, and a file encrypted to it, so that inputs near a valid file reach the
/// MAC and the payload.
private let identity = try! AgeIdentity(
    parsing: "AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX")

/// The age header, armor and payload parsers on arbitrary bytes, armored and binary, and the
/// identity and recipient parsers on arbitrary text.
///
/// Properties: never crashes; what decrypts re-encrypts to a file that decrypts to the same
/// bytes; the strict armor decoder accepts only what the encoder could have written (plus
/// whitespace around it and CRLF line ends), so re-armoring what it decodes gives the
/// input back up to those.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAge(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for armored in [false, true] {
        if let plaintext = try? AgeFile.decrypt(bytes, identities: [identity], armored: armored) {
            let content = plaintext.withUnsafeBytes { Array($0) }
            let again = try! AgeFile.encrypt(content, to: [identity.recipient], armored: armored)
            let back = try! AgeFile.decrypt(again, identities: [identity])
            precondition(back.withUnsafeBytes { Array($0) } == content, "age round trip")
        }
    }
    if let decoded = try? AgeFile.dearmor(bytes) {
        let canonical = AgeFile.armor(decoded)
        var input = bytes.filter { $0 != 0x0D }[...]
        while let b = input.first, b == 0x20 || (0x09...0x0D).contains(b) { input = input.dropFirst() }
        while let b = input.last, b == 0x20 || (0x09...0x0D).contains(b) { input = input.dropLast() }
        precondition(Array(input) + [0x0A] == canonical, "the armor decoder accepted a non-canonical armor")
    }
    let text = String(decoding: bytes, as: UTF8.self)
    _ = try? AgeIdentity.parseFile(text, source: "fuzz")
    _ = try? AgeRecipient.parseList(text, source: "fuzz")
    return 0
}
