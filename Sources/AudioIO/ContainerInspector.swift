#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks the chunk sizes of a seekable RIFF/WAVE or AIFF file against its real length.
///
/// libsndfile quietly reads what is there when a header promises more than the file holds;
/// we call such a file truncated instead, except for the streaming convention of a
/// `data` size of 0 or 0xFFFFFFFF (length unknown when the header was written).
///
///     if let problem = ContainerInspector.problem(descriptor: fd, size: 1000) { … }
enum ContainerInspector {
    /// Prefix of a problem that still leaves audio to read (the data chunk was cut short).
    static let cutShortMarker = "cut short: "

    /// Returns what is wrong with the chunk layout, or `nil` when it fits (or is not RIFF/AIFF).
    ///
    /// - Parameters:
    ///   - descriptor: A regular file, read with `pread` (its offset is left alone).
    ///   - size: The file's length in bytes.
    /// - Complexity: O(*c*) reads of 8 bytes for *c* chunks before the audio data.
    static func problem(descriptor: Int32, size: Int64) -> String? {
        guard let head = read(descriptor, at: 0, count: 12) else { return nil }
        let tag = String(decoding: head[0..<4], as: UTF8.self)
        let form = String(decoding: head[8..<12], as: UTF8.self)
        let littleEndian: Bool
        let dataTag: String
        switch (tag, form) {
        case ("RIFF", "WAVE"): (littleEndian, dataTag) = (true, "data")
        case ("RIFX", "WAVE"): (littleEndian, dataTag) = (false, "data")
        case ("FORM", "AIFF"), ("FORM", "AIFC"): (littleEndian, dataTag) = (false, "SSND")
        default:
            if ["RIFF", "RIFX", "FORM"].contains(tag), size < 12 {
                return "only \(size) bytes, shorter than the 12-byte \(tag) header"
            }
            return nil
        }
        var offset: Int64 = 12
        var chunks = 0
        while chunks < 10_000 {
            chunks += 1
            guard offset + 8 <= size, let header = read(descriptor, at: offset, count: 8) else {
                return "no '\(dataTag)' chunk before the end of the file at byte \(size)"
            }
            let id = String(decoding: header[0..<4], as: UTF8.self)
            let length = Int64(littleEndian ? uint32LE(header, 4) : uint32BE(header, 4))
            let end = offset + 8 + length
            if id == dataTag {
                if length == 0xFFFF_FFFF || length == 0 && size > offset + 8 { return nil }
                if length == 0 { return "'\(id)' chunk at byte \(offset) holds no audio (header only)" }
                if end > size {
                    let held = size - offset - 8
                    let text =
                        "'\(id)' chunk at byte \(offset) claims \(length) bytes, the file ends \(held) bytes after its header"
                    // Audio is there, only less of it than promised: readable, with a warning.
                    return held > 0 ? Self.cutShortMarker + text : text
                }
                return nil
            }
            if end > size {
                return
                    "'\(id)' chunk at byte \(offset) claims \(length) bytes, the file ends \(size - offset - 8) bytes after its header"
            }
            offset = end + (length & 1)
        }
        return nil
    }

    private static func read(_ descriptor: Int32, at offset: Int64, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, count, off_t(offset)) }
        return got == count ? bytes : nil
    }

    private static func uint32LE(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
    }

    private static func uint32BE(_ b: [UInt8], _ i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}
