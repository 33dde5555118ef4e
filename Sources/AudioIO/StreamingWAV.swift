import Foundation

/// Reads a PCM WAV whose `data` chunk claims more bytes than the file holds (a streaming
/// header, e.g. 0, 0x80000000 or 0xFFFFFFFF written by a recorder that never went back to
/// fix it): everything present after the header is taken as the audio. libsndfile refuses such
/// files; a truncated recording should still decode up to the cut.
public enum StreamingWAV {
    /// Mono samples (first channel) and the rate, or `nil` if `path` is not a 8/16-bit PCM WAV.
    public static func read(path: String) -> (samples: [Float], sampleRate: Int)? {
        guard let data = FileManager.default.contents(atPath: path), data.count > 44 else { return nil }
        let b = [UInt8](data)
        func u32(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 | Int(b[i + 2]) << 16 | Int(b[i + 3]) << 24 }
        func u16(_ i: Int) -> Int { Int(b[i]) | Int(b[i + 1]) << 8 }
        guard b[0..<4].elementsEqual("RIFF".utf8), b[8..<12].elementsEqual("WAVE".utf8) else { return nil }
        var i = 12
        var channels = 0, rate = 0, bits = 0
        while i + 8 <= b.count {
            let id = String(decoding: b[i..<(i + 4)], as: UTF8.self)
            let size = u32(i + 4)
            if id == "fmt " {
                guard i + 24 <= b.count, u16(i + 8) == 1 else { return nil }
                channels = u16(i + 10)
                rate = u32(i + 12)
                bits = u16(i + 22)
            } else if id == "data" {
                guard channels > 0, bits == 16 || bits == 8 else { return nil }
                let start = i + 8
                // 0 too: a recorder that never wrote the size back.
                let end = size == 0 ? b.count : min(b.count, start + size)
                let frameBytes = channels * bits / 8
                let frames = (end - start) / frameBytes
                var out = [Float](repeating: 0, count: frames)
                for f in 0..<frames {
                    let o = start + f * frameBytes
                    out[f] = bits == 16 ? Float(Int16(bitPattern: UInt16(u16(o)))) / 32768 : (Float(b[o]) - 128) / 128
                }
                return (out, rate)
            }
            i += 8 + size + (size & 1)
        }
        return nil
    }
}
