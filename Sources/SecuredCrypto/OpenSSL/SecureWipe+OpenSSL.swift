internal import COpenSSL

/// Overwrites memory in a way the compiler may not optimise away.
func secureZero(_ buffer: UnsafeMutableRawBufferPointer) {
    guard let base = buffer.baseAddress, buffer.count > 0 else { return }
    COpenSSL_OPENSSL_cleanse(base, buffer.count)
}

/// Overwrites an array's bytes in place (best effort: earlier copies are not reached).
public func secureWipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { secureZero($0) }
}
