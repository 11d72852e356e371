import SecuredCrypto

/// The blob codec and the canonical base64 decoder on arbitrary text.
///
/// Properties: a blob parses exactly when it has no defect; a parsed blob serializes back to
/// the same text (one spelling only); base64 that decodes re-encodes to the same text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlob(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: size)
    let parsed = SealedValue.parse(utf8: raw)
    precondition((parsed.value == nil) != parsed.defects.isEmpty, "a value and its defects disagree")
    let text = String(decoding: raw, as: UTF8.self)
    if let value = parsed.value {
        precondition(Array(value.serialized.utf8) == Array(raw), "a blob has a second spelling")
        precondition(SealedValue.defects(in: text).isEmpty, "String and byte parsing disagree")
    }
    if case .success(let bytes) = Base64.decode(bytes: raw) {
        precondition(Array(Base64.encode(bytes).utf8) == Array(raw), "base64 has a second spelling")
    }
    return 0
}
