/// An error from the crypto layer.
///
/// Deliberately coarse, like CryptoKit's `CryptoKitError`: a bad padding and a bad
/// authentication tag are one case, ``CryptoError/authenticationFailed``, so callers
/// cannot build a padding oracle by telling them apart. No case carries key or
/// plaintext bytes.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A key of a length the algorithm does not take (the length in bytes).
    case invalidKeySize(Int)
    /// An IV that is not 16 bytes (the length in bytes).
    case invalidIVSize(Int)
    /// A nonce of a length the algorithm does not take (the length in bytes).
    case invalidNonceSize(Int)
    /// An iteration count a key derivation does not take.
    case invalidIterationCount(Int)
    /// Input whose length the operation cannot take, such as a ciphertext that is
    /// empty or not a whole number of blocks (the length in bytes).
    case invalidInputLength(Int)
    /// Decryption or verification failed: wrong key, damaged data or bad padding.
    case authenticationFailed
    /// The random source could not deliver bytes. Never replaced by zeros.
    case randomSourceFailed
    /// An OpenSSL call failed; the entries are what OpenSSL's error queue held.
    case openSSL([OpenSSLErrorEntry])

    public var description: String {
        switch self {
        case .invalidKeySize(let n): return "invalid key size: \(n) bytes (AES takes 16, 24 or 32)"
        case .invalidIVSize(let n): return "invalid IV size: \(n) bytes, expected 16"
        case .invalidNonceSize(let n): return "invalid nonce size: \(n) bytes, expected 12"
        case .invalidIterationCount(let n): return "invalid iteration count: \(n)"
        case .invalidInputLength(let n):
            return "invalid input length: \(n) bytes is not a non-empty multiple of 16"
        case .authenticationFailed: return "authentication failed: wrong key or damaged data"
        case .randomSourceFailed: return "the random source failed"
        case .openSSL(let entries):
            if entries.isEmpty { return "OpenSSL call failed" }
            return "OpenSSL: " + entries.map(\.description).joined(separator: "; ")
        }
    }
}
