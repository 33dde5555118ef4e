#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a RIFF/WAVE stream to a descriptor that cannot seek (a pipe, stdout, a socket).
///
/// libsndfile refuses to write WAV to a pipe because it patches the sizes at the end.
/// This encoder writes the header first with both sizes set to 0xFFFFFFFF, the usual
/// "length unknown" convention that sox, aplay and ``AudioFileReader`` accept, then
/// little-endian integer PCM (8-bit unsigned, 16, 24, 32) or 32-bit float.
///
///     var stream = try WAVStreamEncoder(descriptor: 1, sampleRate: 48000, channels: 1, encoding: .pcm16)
///     try stream.write(block)
struct WAVStreamEncoder {
    /// Encodings this encoder writes.
    static let encodings: Set<AudioEncoding> = [.pcm8, .pcm16, .pcm24, .pcm32, .float32]

    let descriptor: Int32
    let encoding: AudioEncoding
    private let bytesPerSample: Int
    /// Bytes of one block, allocated once and reused.
    private var bytes: [UInt8] = []

    /// Writes the header.
    ///
    /// - Returns: `nil` when writing the header failed (`errno` says why).
    init?(descriptor: Int32, sampleRate: Int, channels: Int, encoding: AudioEncoding) {
        self.descriptor = descriptor
        self.encoding = encoding
        switch encoding {
        case .pcm8: bytesPerSample = 1
        case .pcm24: bytesPerSample = 3
        case .pcm32, .float32: bytesPerSample = 4
        default: bytesPerSample = 2
        }
        let blockAlign = bytesPerSample * channels
        var header: [UInt8] = []
        header.reserveCapacity(44)
        func ascii(_ text: String) { header += Array(text.utf8) }
        func le32(_ value: UInt32) {
            for shift in stride(from: 0, to: 32, by: 8) {
                header.append(UInt8(truncatingIfNeeded: value >> UInt32(shift)))
            }
        }
        func le16(_ value: UInt16) { header.append(UInt8(value & 0xFF)); header.append(UInt8(value >> 8)) }
        ascii("RIFF"); le32(0xFFFF_FFFF); ascii("WAVE")
        ascii("fmt "); le32(16)
        le16(encoding == .float32 ? 3 : 1)
        le16(UInt16(channels)); le32(UInt32(sampleRate)); le32(UInt32(sampleRate * blockAlign))
        le16(UInt16(blockAlign)); le16(UInt16(bytesPerSample * 8))
        ascii("data"); le32(0xFFFF_FFFF)
        guard Self.writeAll(descriptor, header) == nil else { return nil }
    }

    /// Encodes and writes interleaved samples, clipped to [-1, 1].
    ///
    /// - Returns: The system's message when writing failed, else `nil`.
    /// - Complexity: O(*n*); allocates only when a block is larger than any before.
    mutating func write(_ samples: UnsafeBufferPointer<Float>) -> String? {
        let needed = samples.count * bytesPerSample
        if bytes.count < needed { bytes = [UInt8](repeating: 0, count: needed) }
        let size = bytesPerSample
        let encoding = encoding
        bytes.withUnsafeMutableBufferPointer { out in
            for (i, raw) in samples.enumerated() {
                let x = raw.isFinite ? min(max(raw, -1), 1) : 0
                let at = i * size
                switch encoding {
                case .pcm8:
                    out[at] = UInt8(clamping: Int((x * 127).rounded()) + 128)
                case .pcm24:
                    let v = Int32((Double(x) * 8_388_607).rounded())
                    out[at] = UInt8(truncatingIfNeeded: v)
                    out[at + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    out[at + 2] = UInt8(truncatingIfNeeded: v >> 16)
                case .pcm32, .float32:
                    let v =
                        encoding == .float32
                        ? x.bitPattern : UInt32(bitPattern: Int32((Double(x) * 2_147_483_647).rounded()))
                    out[at] = UInt8(truncatingIfNeeded: v)
                    out[at + 1] = UInt8(truncatingIfNeeded: v >> 8)
                    out[at + 2] = UInt8(truncatingIfNeeded: v >> 16)
                    out[at + 3] = UInt8(truncatingIfNeeded: v >> 24)
                default:
                    let v = Int16((x * 32767).rounded())
                    out[at] = UInt8(truncatingIfNeeded: v)
                    out[at + 1] = UInt8(truncatingIfNeeded: v >> 8)
                }
            }
        }
        return bytes.withUnsafeBufferPointer {
            Self.writeAll(descriptor, UnsafeBufferPointer(rebasing: $0[0..<needed]))
        }
    }

    /// Writes every byte, retrying short writes and `EINTR`.
    ///
    /// - Returns: The system's message when writing failed, else `nil`.
    static func writeAll(_ descriptor: Int32, _ data: UnsafeBufferPointer<UInt8>) -> String? {
        guard let base = data.baseAddress else { return nil }
        var done = 0
        while done < data.count {
            let n = writeDescriptor(descriptor, base + done, data.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return SystemError.message(errno)
            }
            if n == 0 { return "wrote nothing" }
            done += n
        }
        return nil
    }

    private static func writeAll(_ descriptor: Int32, _ data: [UInt8]) -> String? {
        data.withUnsafeBufferPointer { writeAll(descriptor, $0) }
    }
}
