import SecuredCrypto

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The variables keys come from, read as bytes.
extension KeyRing {
    /// The bytes of the environment variable `name`, read with `getenv` (never decoded), or,
    /// when `environment` is given (tests), its value there; `nil` when it is not set.
    static func environmentBytes(_ name: String, in environment: [String: String]?) -> [UInt8]? {
        if let environment { return environment[name].map { Array($0.utf8) } }
        guard let raw = getenv(name) else { return nil }
        return Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
    }

    /// The text of the environment variable `name`, or `nil` when it is unset or empty.
    ///
    /// - Throws: `KeyFileError` naming the variable (never quoting it) when its bytes are not
    ///   UTF-8: decoding would turn different byte strings into the same U+FFFD text.
    static func environmentText(_ name: String, in environment: [String: String]?) throws(KeyFileError) -> String? {
        guard var bytes = environmentBytes(name, in: environment), !bytes.isEmpty else { return nil }
        defer { secureWipe(&bytes) }
        guard UTF8Validation.isValid(bytes[...]) else { throw notUTF8(name) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The error for a variable whose value is not UTF-8: it names the variable, never its value.
    static func notUTF8(_ name: String) -> KeyFileError {
        KeyFileError(
            source: "$\(name)", line: nil, field: nil,
            reason: "\(name) is not UTF-8 text; nothing was read from it (set it to UTF-8 text, or unset it)")
    }
}
