import Foundation

/// Binary NRZ baseband: renders line levels (`true` = positive) as pulses whose transitions
/// are raised-cosine ramps one bit long, centred on the bit boundaries.
///
/// Every bit reaches its full level at its centre, so there is no intersymbol interference
/// at the sampling instants, and the spectrum falls off beyond the bit rate (G3RUH radios
/// expect audio up to about 6 kHz at 9600 Bd).
///
///     let audio = BasebandModulator.render(levels, baud: 9600, sampleRate: 48000)
public enum BasebandModulator {
    /// Renders `levels` at `baud` bits per second.
    ///
    /// - Parameters:
    ///   - levels: Line levels, `true` = +`amplitude`.
    ///   - baud: Bits per second.
    ///   - sampleRate: Output rate in Hz (at least 4 samples per bit are advisable).
    ///   - amplitude: Peak level.
    /// - Returns: `levels.count · sampleRate / baud` samples (rounded up).
    /// - Complexity: O(*n*) in the number of output samples.
    public static func render(_ levels: [Bool], baud: Double, sampleRate: Double, amplitude: Float = 0.5) -> [Float] {
        guard !levels.isEmpty else { return [] }
        let spb = sampleRate / baud
        let count = Int((Double(levels.count) * spb).rounded(.up))
        var out = [Float](repeating: 0, count: count)
        func level(_ k: Int) -> Double {
            levels[min(max(k, 0), levels.count - 1)] ? Double(amplitude) : -Double(amplitude)
        }
        for n in 0..<count {
            let t = Double(n) / spb
            let k = Int(t)
            let u = t - Double(k)
            let value: Double
            if u < 0.5 {
                let a = level(k - 1), b = level(k)
                value = a + (b - a) * (0.5 + 0.5 * sin(Double.pi * u))
            } else {
                let a = level(k), b = level(k + 1)
                value = a + (b - a) * (0.5 + 0.5 * sin(Double.pi * (u - 1)))
            }
            out[n] = Float(value)
        }
        return out
    }
}
