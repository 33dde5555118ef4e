import Foundation

/// Continuous-phase binary FSK: renders line levels (`true` = mark) as tones.
///
///     let audio = FSKBitModulator.render([true, false, true], signalling: .bell202, sampleRate: 48000)
public enum FSKBitModulator {
    /// Renders levels, each lasting `durations[i]` bit periods (1 when `durations` is nil),
    /// with the bit boundaries kept on the exact fractional sample grid.
    ///
    /// - Complexity: O(*n*) in the number of output samples.
    public static func render(
        _ levels: [Bool], durations: [Double]? = nil, signalling: FSKSignalling,
        sampleRate: Double, amplitude: Float = 0.5
    ) -> [Float] {
        let spb = sampleRate / signalling.baud
        let total = (durations?.reduce(0, +) ?? Double(levels.count)) * spb
        var out = [Float]()
        out.reserveCapacity(Int(total) + 2)
        var phase = 0.0
        var end = 0.0
        let dm = 2 * Double.pi * signalling.mark / sampleRate
        let ds = 2 * Double.pi * signalling.space / sampleRate
        for (i, level) in levels.enumerated() {
            end += (durations?[i] ?? 1) * spb
            let step = level ? dm : ds
            while Double(out.count) < end {
                out.append(amplitude * Float(sin(phase)))
                phase += step
                if phase > 2 * Double.pi { phase -= 2 * Double.pi }
            }
        }
        return out
    }
}
