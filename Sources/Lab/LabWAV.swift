import Foundation

/// Audio as a 16-bit mono WAV file in memory, for the page's `<audio>` element.
enum LabWAV {
    /// The WAV file's bytes: a 44-byte RIFF header, then the samples (clipped to ±1).
    static func bytes(_ samples: [Float], sampleRate: Int) -> [UInt8] {
        let dataBytes = samples.count * 2
        var out: [UInt8] = []
        out.reserveCapacity(44 + dataBytes)
        func u32(_ v: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        func u16(_ v: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian) { out += $0 } }
        out += Array("RIFF".utf8); u32(36 + dataBytes); out += Array("WAVE".utf8)
        out += Array("fmt ".utf8); u32(16); u16(1); u16(1); u32(sampleRate); u32(sampleRate * 2); u16(2); u16(16)
        out += Array("data".utf8); u32(dataBytes)
        for s in samples {
            let v = Int16((max(-1, min(1, s.isFinite ? s : 0)) * 32767).rounded())
            withUnsafeBytes(of: v.littleEndian) { out += $0 }
        }
        return out
    }

    /// The WAV file in base64.
    static func base64(_ samples: [Float], sampleRate: Int) -> String {
        Data(bytes(samples, sampleRate: sampleRate)).base64EncodedString()
    }
}
