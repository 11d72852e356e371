import SecuredCrypto
import SecuredRecords

/// Sign, verify, seal and open on arbitrary records.
///
/// Properties: signing a record gives one that verifies, with only the signature line
/// changed; a record changed in one byte after signing does not verify; sealing then opening
/// in place gives back the body; verification never crashes on any input.
let key = try! SecuredKey.generate(id: "fuzz")
let ring = try! KeyRing([key])

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSignVerify(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let record = try? Record(parsing: bytes, file: "fuzz.md") else { return 0 }
    _ = RecordSigner.verify(record, keys: ring)
    _ = try? RecordSealer.open(record, keys: ring)
    guard let signed = try? RecordSigner.sign(record, with: key) else { return 0 }
    guard case .success(.valid) = RecordSigner.verify(signed, keys: ring) else {
        preconditionFailure("a record just signed does not verify")
    }
    // Change one byte outside the signature line: the tag must no longer match.
    if let sig = signed.signatureLine, let index = signed.bytes.indices.first(where: { !sig.line.range.contains($0) }),
        signed.bytes[index] != 0x0D, signed.bytes[index] != 0x0A, !(signed.hasBOM && index < 3)
    {
        var changed = signed.bytes
        changed[index] ^= 0x01
        if let other = try? Record(parsing: changed, file: "fuzz.md"), other.signatureLine != nil,
            case .success(.valid) = RecordSigner.verify(other, keys: ring)
        {
            preconditionFailure("a changed record still verifies")
        }
    }
    if !record.isBodyBlank, record.securedLine == nil, let sealed = try? RecordSealer.seal(record, with: key) {
        let opened = try? RecordSealer.openInPlace(sealed.record, keys: ring)
        precondition(opened.map { Array($0.record.body) } == Array(record.body), "seal then open lost the body")
    }
    return 0
}
