/// G.711 µ-law companding of 16-bit linear samples (the classic 8-bit telephone codec).
///
/// ```swift
/// let code = MuLaw.encode(1000)      // 8 bits
/// let back = MuLaw.decode(code)      // ≈ 1000
/// ```
public enum MuLaw {
    /// The bias added before the segment search (33 in the 14-bit domain, × 4).
    static let bias = 0x84
    /// Largest magnitude encodable before the bias would overflow.
    static let clip = 32_635

    /// Encodes a 16-bit linear sample into its 8-bit µ-law code (bits inverted, as sent).
    public static func encode(_ sample: Int16) -> UInt8 {
        var v = Int(sample)
        let sign: Int = v < 0 ? 0x80 : 0
        if v < 0 { v = -v }
        v = min(v, clip) + bias
        // Segment (exponent): position of the highest set bit above bit 7.
        var exponent = 7
        var mask = 0x4000
        while exponent > 0 && v & mask == 0 {
            exponent -= 1
            mask >>= 1
        }
        let mantissa = (v >> (exponent + 3)) & 0x0F
        return ~UInt8(sign | (exponent << 4) | mantissa)
    }

    /// Decodes an 8-bit µ-law code into its 16-bit linear value.
    public static func decode(_ code: UInt8) -> Int16 {
        let u = Int(~code)
        let exponent = (u >> 4) & 0x07
        let mantissa = u & 0x0F
        let magnitude = (((mantissa << 3) + bias) << exponent) - bias
        return Int16(u & 0x80 != 0 ? -magnitude : magnitude)
    }

    /// Encodes and decodes float samples (full scale ±1) in place, as a µ-law link would:
    /// quantised to 16 bits, companded to 8, expanded back.
    public static func roundTrip(_ samples: inout [Float]) {
        samples.withUnsafeMutableBufferPointer { x in
            for i in 0..<x.count {
                let scaled = (x[i] * 32_768).rounded()
                let q = scaled.isNaN ? 0 : Int16(max(-32_768, min(32_767, scaled)))
                x[i] = Float(decode(encode(q))) / 32_768
            }
        }
    }
}
