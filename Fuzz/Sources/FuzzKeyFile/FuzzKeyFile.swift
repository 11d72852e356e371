import SecuredCrypto

/// The key-file parsers on arbitrary text: secret key files, public key files (minisign's
/// format), detached `.minisig` signatures and passphrase key files (parsed only: unwrapping
/// costs at least 100,000 PBKDF2 iterations, and a parsed file's count is in range).
///
/// Properties: never crashes; a key that parses writes a key file that parses back to the
/// same key (same id, fingerprint and public key); a public key file round-trips; no error
/// message holds key bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeyFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let key = try SecuredKey(parsing: text, source: "fuzz.key")
        let again = try SecuredKey(parsing: key.keyFileText(), source: "again.key")
        precondition(again.id == key.id && again.fingerprint == key.fingerprint, "key file does not round-trip")
        precondition(again.publicKey == key.publicKey, "sign does not round-trip")
        let encoded = key.encryptionKey.withUnsafeBytes { Base64.encode(Array($0)) }
        precondition(!"\(key)".contains(encoded), "description shows key bytes")
    } catch {
        _ = "\(error)"
    }
    if let pub = try? SecuredPublicKey(parsing: text, source: "fuzz.pub") {
        let again = try? SecuredPublicKey(parsing: pub.fileText, source: "again.pub")
        precondition(again?.key == pub.key && again?.keyNumber == pub.keyNumber, "public key does not round-trip")
    }
    if let wrapped = try? PassphraseKeyFile(parsing: text, source: "fuzz.key.pw") {
        precondition((100_000...10_000_000).contains(wrapped.iterations), "a count out of range was accepted")
    } else {
        _ = PassphraseKeyFile.looksLikePassphraseKeyFile(text)
    }
    if let signature = try? MinisignSignature(parsing: text) {
        let again = try? MinisignSignature(parsing: signature.fileText)
        precondition(again == signature, "minisig does not round-trip")
    }
    return 0
}
