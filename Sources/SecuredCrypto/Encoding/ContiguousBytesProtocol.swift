/// Types that can lend their bytes contiguously: `[UInt8]`, `ArraySlice<UInt8>`,
/// `ContiguousArray<UInt8>`, `UnsafeRawBufferPointer`.
public protocol ContiguousBytesProtocol {
    /// Lends the bytes; the pointer is not valid beyond this call.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytesProtocol where Element == UInt8 {}
extension ArraySlice: ContiguousBytesProtocol where Element == UInt8 {}
extension ContiguousArray: ContiguousBytesProtocol where Element == UInt8 {}
extension UnsafeRawBufferPointer: ContiguousBytesProtocol {
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(self)
    }
}
