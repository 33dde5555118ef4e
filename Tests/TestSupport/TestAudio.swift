import Foundation

/// Signals that more than one test target builds.
public enum TestAudio {
    /// `seconds` of a sine at `frequency` Hz, peak `amplitude`, starting at `phase` radians.
    public static func sine(
        frequency: Double, sampleRate: Int, seconds: Double,
        amplitude: Double = 0.5, phase: Double = 0
    ) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        return (0..<count).map { i in
            Float(amplitude * sin(2 * Double.pi * frequency * Double(i) / Double(sampleRate) + phase))
        }
    }
}

/// Hand-made WAV files in which any header field may lie.
public enum WAV {
    /// `v` as 2 little-endian bytes (its low 16 bits).
    public static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
    /// `v` as 4 little-endian bytes (its low 32 bits).
    public static func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

    /// A RIFF/WAVE header: RIFF, a 16-byte `fmt ` chunk and the `data` chunk's header.
    /// `riffBytes` defaults to what `dataBytes` of data make (36 + `dataBytes`), `fmtBytes` to 16.
    public static func header(
        format: Int = 1, channels: Int = 1, rate: Int, bits: Int = 16, dataBytes: Int,
        riffBytes: Int? = nil, fmtBytes: Int? = nil
    ) -> [UInt8] {
        let blockAlign = max(1, channels) * bits / 8
        let fmt = le16(format) + le16(channels) + le32(rate) + le32(rate &* blockAlign) + le16(blockAlign) + le16(bits)
        return Array("RIFF".utf8) + le32(riffBytes ?? 36 &+ dataBytes) + Array("WAVE".utf8)
            + Array("fmt ".utf8) + le32(fmtBytes ?? fmt.count) + fmt
            + Array("data".utf8) + le32(dataBytes)
    }

    /// A whole file: ``header(format:channels:rate:bits:dataBytes:riffBytes:fmtBytes:)`` and
    /// `data`; the RIFF size is the true one, the data and fmt sizes may be declared otherwise.
    public static func file(
        format: Int, channels: Int, rate: Int, bits: Int, data: [UInt8],
        declaredDataBytes: Int? = nil, declaredFmtBytes: Int? = nil
    ) -> [UInt8] {
        header(
            format: format, channels: channels, rate: rate, bits: bits, dataBytes: declaredDataBytes ?? data.count,
            riffBytes: 36 + data.count, fmtBytes: declaredFmtBytes) + data
    }

    /// 16-bit PCM.
    public static func pcm16(
        samples: [Int16], rate: Int, channels: Int = 1,
        declaredDataBytes: Int? = nil, declaredFmtBytes: Int? = nil
    ) -> [UInt8] {
        file(
            format: 1, channels: channels, rate: rate, bits: 16, data: s16le(samples),
            declaredDataBytes: declaredDataBytes, declaredFmtBytes: declaredFmtBytes)
    }

    /// 32-bit float.
    public static func float32(samples: [Float], rate: Int) -> [UInt8] {
        file(format: 3, channels: 1, rate: rate, bits: 32, data: samples.flatMap { le32(Int($0.bitPattern)) })
    }

    /// Samples in ±1 as 16-bit integers (clipped, rounded).
    public static func int16(_ samples: [Float]) -> [Int16] {
        samples.map { Int16((min(max($0, -1), 1) * 32767).rounded()) }
    }

    /// Little-endian bytes of 16-bit samples.
    public static func s16le(_ samples: [Int16]) -> [UInt8] {
        samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
    }

    /// The samples of a mono 32-bit float WAV (what `encode --encoding float32` writes).
    public static func floatSamples(_ bytes: [UInt8]) -> [Float]? {
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = (0..<4).reduce(0) { $0 | Int(bytes[offset + 4 + $1]) << (8 * $1) }
            if id == "data" {
                let end = min(bytes.count, offset + 8 + size)
                return stride(from: offset + 8, to: end - 3, by: 4).map { i in
                    Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[i + $1]) << (8 * UInt32($1)) })
                }
            }
            offset += 8 + size + (size & 1)
        }
        return nil
    }
}
