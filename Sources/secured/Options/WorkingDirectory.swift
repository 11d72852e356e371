import SecuredRecords

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's working directory, read here and passed to the library (which never reads
/// it): where relative paths start from.
enum WorkingDirectory {
    /// The working directory now (`/` if it cannot be known). Commands that enter the
    /// repository root read it after doing so.
    static var current: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "/" }
        return FilePath.decode(buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) })
    }
}
