internal import COpenSSL

extension PBKDF2SHA256 {
    /// `PKCS5_PBKDF2_HMAC` with SHA-256 into `output` (its whole length).
    static func derive(
        password: UnsafeRawBufferPointer, salt: [UInt8], iterations: Int, into output: UnsafeMutableRawBufferPointer
    ) throws {
        // OpenSSL reads an empty password from a null pointer as empty.
        let ok = PKCS5_PBKDF2_HMAC(
            password.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(password.count), salt,
            Int32(salt.count), Int32(iterations), EVP_sha256(), Int32(output.count),
            output.baseAddress!.assumingMemoryBound(to: UInt8.self))
        guard ok == 1 else { throw CryptoError.fromQueue() }
    }
}
