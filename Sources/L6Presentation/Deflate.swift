internal import CZlib

/// zlib-format deflate and bounded inflate over `[UInt8]`. The `z_stream` lives at a fixed
/// address (zlib keeps a pointer back to it) and is always ended.
enum Deflate {
    /// Compresses `input` at `level` (0...9) in the zlib format (RFC 1950).
    static func compress(_ input: [UInt8], level: Int) throws(PresentationError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        let rc = deflateInit2_(
            stream, Int32(level), Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw .compressionFailed(code: rc) }
        defer { deflateEnd(stream) }
        let bound = Int(deflateBound(stream, uLong(input.count)))
        var output = [UInt8](repeating: 0, count: bound)
        var source = input
        let result: (Int32, Int) = source.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.pointee.next_in = inBuf.baseAddress
                stream.pointee.avail_in = uInt(inBuf.count)
                stream.pointee.next_out = outBuf.baseAddress
                stream.pointee.avail_out = uInt(outBuf.count)
                let rc = deflate(stream, Z_FINISH)
                return (rc, outBuf.count - Int(stream.pointee.avail_out))
            }
        }
        guard result.0 == Z_STREAM_END else { throw .compressionFailed(code: result.0) }
        output.removeSubrange(result.1...)
        return output
    }

    /// Inflates zlib-format `input`, producing at most `limit` bytes: one byte more and it stops
    /// with `inflatedBeyondLimit`, so a decompression bomb costs at most `limit` bytes of memory.
    static func decompress(_ input: [UInt8], limit: Int) throws(PresentationError) -> [UInt8] {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deinitialize(count: 1); stream.deallocate() }
        let rc = inflateInit2_(stream, 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw .corruptDeflate(code: rc, message: "inflateInit failed") }
        defer { inflateEnd(stream) }
        let chunk = 64 * 1024
        var output: [UInt8] = []
        var source = input
        var status: Int32 = Z_OK
        var stuck = false
        source.withUnsafeMutableBufferPointer { inBuf in
            stream.pointee.next_in = inBuf.baseAddress
            stream.pointee.avail_in = uInt(inBuf.count)
            var buffer = [UInt8](repeating: 0, count: chunk)
            // Room for one byte past the limit, to tell "exactly the limit" from "more".
            while status == Z_OK, output.count <= limit {
                let room = min(chunk, limit + 1 - output.count)
                let produced: Int = buffer.withUnsafeMutableBufferPointer { outBuf in
                    stream.pointee.next_out = outBuf.baseAddress
                    stream.pointee.avail_out = uInt(room)
                    status = inflate(stream, Z_NO_FLUSH)
                    return room - Int(stream.pointee.avail_out)
                }
                output += buffer[0..<produced]
                if status == Z_BUF_ERROR || (status == Z_OK && produced == 0 && stream.pointee.avail_in == 0) {
                    stuck = true
                    break
                }
            }
        }
        if output.count > limit { throw .inflatedBeyondLimit(limit: limit) }
        guard status == Z_STREAM_END, !stuck else {
            let message = stream.pointee.msg.map { String(cString: $0) } ?? (stuck ? "compressed data ends early" : "")
            throw .corruptDeflate(code: status, message: message)
        }
        guard stream.pointee.avail_in == 0 else {
            throw .corruptDeflate(code: status, message: "\(stream.pointee.avail_in) bytes after the end")
        }
        return output
    }
}
