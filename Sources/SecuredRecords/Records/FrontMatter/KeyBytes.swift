/// Canonical key bytes, hashed in one call over the whole buffer (an `[UInt8]` hashes
/// element by element).
struct KeyBytes: Hashable {
    var bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
}
