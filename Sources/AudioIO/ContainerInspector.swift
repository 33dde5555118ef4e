#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Checks the chunk sizes of a RIFF/WAVE or AIFF file against its real length, and the
/// entries of its WAV metadata against what libsndfile can parse without looping.
///
/// libsndfile quietly reads what is there when a header promises more than the file holds;
/// we call such a file truncated instead, except for the streaming convention of a
/// `data` size of 0 or 0xFFFFFFFF (length unknown when the header was written). A stream
/// (a pipe, whose length is unknown) gets only the metadata check.
///
///     if let problem = ContainerInspector.problem(descriptor: fd, size: 1000) { … }
enum ContainerInspector {
    /// What is wrong with a container.
    enum Problem: Equatable {
        /// A chunk claims more than the file holds, or the audio chunk is missing or empty.
        case truncated(String)
        /// The audio chunk claims more than the file holds, and some audio is there to read.
        case cutShort(String)
        /// Metadata libsndfile would loop on for ever.
        case malformed(String)
    }

    /// Returns what is wrong with the chunk layout, or `nil` when it fits (or is not RIFF/AIFF).
    ///
    /// - Parameters:
    ///   - descriptor: A regular file, read with `pread` (its offset is left alone).
    ///   - size: The file's length in bytes.
    /// - Complexity: O(*c*) reads of 8 bytes for *c* chunks and `LIST` entries.
    static func problem(descriptor: Int32, size: Int64) -> Problem? {
        problem(size: size) { offset, count in read(descriptor, at: offset, count: count) }
    }

    /// The same walk over any source of bytes: `size` is the length when known (a file), `nil`
    /// for a stream, whose chunks are only checked for what would stop libsndfile for good.
    ///
    /// - Parameters:
    ///   - size: The length in bytes, or `nil` when it is unknown (a pipe).
    ///   - bytes: `count` bytes at an offset, or `nil` when they are not there (past the end, or
    ///     for a stream, further than it will look).
    static func problem(size: Int64?, bytes: (_ offset: Int64, _ count: Int) -> [UInt8]?) -> Problem? {
        guard let head = bytes(0, 12) else { return nil }
        let tag = String(decoding: head[0..<4], as: UTF8.self)
        let form = String(decoding: head[8..<12], as: UTF8.self)
        let littleEndian: Bool
        let dataTag: String
        switch (tag, form) {
        case ("RIFF", "WAVE"): (littleEndian, dataTag) = (true, "data")
        case ("RIFX", "WAVE"): (littleEndian, dataTag) = (false, "data")
        case ("FORM", "AIFF"), ("FORM", "AIFC"): (littleEndian, dataTag) = (false, "SSND")
        default:
            if ["RIFF", "RIFX", "FORM"].contains(tag), let size, size < 12 {
                return .truncated("only \(size) bytes, shorter than the 12-byte \(tag) header")
            }
            return nil
        }
        var offset: Int64 = 12
        var chunks = 0
        while chunks < 10_000 {
            chunks += 1
            guard size.map({ offset + 8 <= $0 }) ?? true, let header = bytes(offset, 8) else {
                guard let size else { return nil }
                return .truncated("no '\(dataTag)' chunk before the end of the file at byte \(size)")
            }
            let id = String(decoding: header[0..<4], as: UTF8.self)
            let length = Int64(littleEndian ? uint32LE(header, 4) : uint32BE(header, 4))
            let end = offset + 8 + length
            if id == dataTag {
                let verdict = audioChunkProblem(id, at: offset, length: length, size: size)
                if case .truncated = verdict { return verdict }
                // libsndfile parses on after the audio: from its end when it can seek there,
                // else (a pipe, or a size of 0) from its start, the audio taken for chunks.
                guard dataTag == "data" else { return verdict }
                var resumes: [Int64] = []
                if size == nil || length == 0 { resumes.append(offset + 8) }
                if size.map({ end < $0 }) ?? (length <= PipeSource.readAheadLimit) {
                    resumes.append(end + (length & 1))
                }
                for start in resumes {
                    if let problem = trailerProblem(from: start, littleEndian: littleEndian, bytes: bytes) {
                        return .malformed(problem)
                    }
                }
                return verdict
            }
            if let size, end > size {
                return .truncated(
                    "'\(id)' chunk at byte \(offset) claims \(length) bytes, the file ends \(size - offset - 8) bytes after its header"
                )
            }
            if id == "LIST", dataTag == "data",
                let problem = listProblem(at: offset, length: length, littleEndian: littleEndian, bytes: bytes)
            {
                return .malformed(problem)
            }
            offset = end + (length & 1)
        }
        return nil
    }

    /// The audio chunk's size against the file's length (`nil` for a stream: not checked).
    private static func audioChunkProblem(_ id: String, at offset: Int64, length: Int64, size: Int64?) -> Problem? {
        guard let size else { return nil }
        if length == 0xFFFF_FFFF || length == 0 && size > offset + 8 { return nil }
        if length == 0 { return .truncated("'\(id)' chunk at byte \(offset) holds no audio (header only)") }
        guard offset + 8 + length > size else { return nil }
        let held = size - offset - 8
        let text =
            "'\(id)' chunk at byte \(offset) claims \(length) bytes, the file ends \(held) bytes after its header"
        // Audio is there, only less of it than promised: readable, with a warning.
        return held > 0 ? .cutShort(text) : .truncated(text)
    }

    /// A `LIST` chunk libsndfile would loop on among the chunks it parses from `start` on, as it
    /// does: while the markers are printable and the sizes not absurd.
    private static func trailerProblem(
        from start: Int64, littleEndian: Bool, bytes: (Int64, Int) -> [UInt8]?
    ) -> String? {
        var offset = start
        for _ in 0..<1000 {
            guard let header = bytes(offset, 8) else { return nil }
            let id = String(decoding: header[0..<4], as: UTF8.self)
            let length = Int64(littleEndian ? uint32LE(header, 4) : uint32BE(header, 4))
            if id == "LIST",
                let problem = listProblem(at: offset, length: length, littleEndian: littleEndian, bytes: bytes)
            {
                return problem
            }
            guard header[0..<4].allSatisfy({ (0x20...0x7E).contains($0) }), length < 0xFFFF_0000 else { return nil }
            offset += 8 + length + (length & 1)
        }
        return nil
    }

    /// Entries of a WAV `LIST` chunk (`INFO` tags, `adtl` labels) whose sizes run backwards.
    ///
    /// libsndfile adds an entry's size to the bytes it has read in 32 bits: an entry claiming
    /// nearly 4 GB wraps that sum below the chunk's length, and the skip it then makes is
    /// negative, back to the same entry, forever (an 80-byte WAV held a reader at full CPU).
    /// No entry of a metadata chunk is anywhere near 2 GB; one that claims so is refused.
    private static func listProblem(
        at offset: Int64, length: Int64, littleEndian: Bool, bytes: (Int64, Int) -> [UInt8]?
    ) -> String? {
        // Eight bytes or fewer: libsndfile reads one marker and moves on.
        guard length > 8 else { return nil }
        let body = offset + 8
        var position: Int64 = 0
        var entries = 0
        while position + 8 <= length, entries < 100_000, let header = bytes(body + position, 8) {
            entries += 1
            let id = String(decoding: header[0..<4], as: UTF8.self)
            switch id {
            // Markers without a size; `exif` data has a parser of its own that stops safely.
            case "INFO", "adtl":
                position += 4
                continue
            case "exif", "data", "\0\0\0\0": return nil
            default: break
            }
            let claimed = Int64(littleEndian ? uint32LE(header, 4) : uint32BE(header, 4))
            if claimed >= 0x8000_0000 {
                return "'LIST' chunk at byte \(offset): its entry at byte \(body + position) claims \(claimed) bytes"
            }
            position += 8 + claimed + (claimed & 1)
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
