import CZlib

/// gzip data, recognized by its first two bytes (`1f 8b`) whatever the file's name, and
/// decompressed with the system zlib within a size limit (SPEC 1.3 section 10).
enum Gzip {
    /// Why gzip data could not be read.
    enum Failure: Error, Equatable {
        /// The decompressed data would be larger than the limit.
        case overLimit
        /// The data is not valid gzip (zlib's message).
        case damaged(String)
    }

    /// Whether `bytes` start like gzip data.
    static func isGzip(_ bytes: [UInt8]) -> Bool { bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B }

    /// Decompresses `bytes` (gzip members one after another, as `cat a.gz b.gz` makes).
    ///
    /// - Parameters:
    ///   - bytes: the gzip data.
    ///   - limit: the largest decompressed size accepted.
    /// - Returns: the decompressed bytes.
    /// - Throws: ``Failure``.
    static func decompress(_ bytes: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip header and trailer, not a zlib one.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw .damaged("zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = bytes
        let count = input.count
        var status: Int32 = Z_OK
        var failure: Failure?
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(count)
            while true {
                let produced = chunk.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                if output.count + produced > limit {
                    failure = .overLimit
                    return
                }
                output += chunk[..<produced]
                if status == Z_STREAM_END {
                    // Another member may follow.
                    guard stream.avail_in > 0, inflateReset(&stream) == Z_OK else { return }
                    continue
                }
                if status != Z_OK {
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    failure = .damaged(status == Z_BUF_ERROR ? "truncated gzip data" : message)
                    return
                }
            }
        }
        if let failure { throw failure }
        return output
    }
}
