#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Corrects the sizes libsndfile 1.2 writes into an AIFF whose sound data has an odd
/// number of bytes (8-bit samples, odd sample count).
///
/// libsndfile counts the chunk's pad byte as audio: `COMM` claims one frame more and
/// `SSND` one byte more than were written, so every reader (sox and libsndfile alike)
/// returns an extra sample. This rewrites both fields in place; the pad byte stays, as
/// the AIFF specification wants.
///
///     AIFFOddLengthFix.apply(descriptor: fd, frames: 5, sampleBytes: 5)
enum AIFFOddLengthFix {
    /// Patches `COMM`'s frame count to `frames` and `SSND`'s size to 8 + `sampleBytes`.
    ///
    /// - Parameters:
    ///   - descriptor: The finished AIFF file, open for writing and seekable.
    ///   - frames: Frames actually written.
    ///   - sampleBytes: Bytes of sound data actually written.
    /// - Returns: The system's message when reading or writing failed, else `nil`.
    /// - Complexity: O(*c*) small reads for *c* chunks.
    static func apply(descriptor: Int32, frames: Int, sampleBytes: Int) -> String? {
        var offset: Int64 = 12
        var header = [UInt8](repeating: 0, count: 8)
        for _ in 0..<64 {
            let got = header.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, 8, off_t(offset)) }
            guard got == 8 else { return nil }  // not the layout we expect: leave it alone
            let id = String(decoding: header[0..<4], as: UTF8.self)
            let size = Int64(header[4]) << 24 | Int64(header[5]) << 16 | Int64(header[6]) << 8 | Int64(header[7])
            if id == "COMM", let failure = put(UInt32(frames), at: offset + 10, descriptor) { return failure }
            if id == "SSND", let failure = put(UInt32(8 + sampleBytes), at: offset + 4, descriptor) { return failure }
            offset += 8 + size + (size & 1)
        }
        return nil
    }

    private static func put(_ value: UInt32, at offset: Int64, _ descriptor: Int32) -> String? {
        let bytes: [UInt8] = [
            UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)
        ]
        let put = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, 4, off_t(offset)) }
        return put == 4 ? nil : SystemError.message(errno)
    }
}
