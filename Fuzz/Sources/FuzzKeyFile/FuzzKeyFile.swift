import SecuredCrypto

/// The key-file parser on arbitrary text.
///
/// Properties: never crashes; a key that parses writes a key file that parses back to the
/// same key (same id and fingerprint); no error message holds the key bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let key = try SecuredKey(parsing: text, source: "fuzz.key")
        let again = try SecuredKey(parsing: key.keyFileText(), source: "again.key")
        precondition(again.id == key.id && again.fingerprint == key.fingerprint, "key file does not round-trip")
        let encoded = key.encryptionKey.withUnsafeBytes { Base64.encode(Array($0)) }
        precondition(!"\(key)".contains(encoded), "description shows key bytes")
    } catch {
        _ = "\(error)"
    }
    return 0
}
