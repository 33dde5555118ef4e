#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Continuous-phase FSK modulator: one phase accumulator runs through the whole
/// burst, and a symbol only changes its rate, so there is no phase jump at symbol
/// boundaries. Raised-cosine ramps fade the burst in and out. For a baseband mode it
/// writes the levels themselves (±amplitude), as a wire would carry them.
///
///     let mod = FSKModulator(mode: .named("bell202")!, lineCode: .nrzL, sampleRate: 48000)
///     let audio = mod.samples(symbols: [0, 1, 1, 0])
public struct FSKModulator: Sendable {
    /// The tones and symbol rate.
    public let mode: Mode
    /// The line code the chips follow (two chips per bit for Manchester codes double the symbol rate).
    public let lineCode: LineCode
    /// Output samples per second.
    public let sampleRate: Double
    /// Peak amplitude, full scale = 1.
    public var amplitude: Float
    /// Length of each fade, in seconds.
    public var rampSeconds: Double

    /// A modulator; 0.7 full-scale amplitude and 2 ms fades unless given.
    public init(mode: Mode, lineCode: LineCode, sampleRate: Double, amplitude: Float = 0.7, rampSeconds: Double = 0.002)
    {
        self.mode = mode
        self.lineCode = lineCode
        self.sampleRate = sampleRate
        self.amplitude = amplitude
        self.rampSeconds = rampSeconds
    }

    /// Samples per channel symbol (may be fractional).
    public var samplesPerSymbol: Double { sampleRate / mode.symbolRate(lineCode: lineCode) }

    /// Number of samples a burst of `count` symbols takes.
    public func sampleCount(symbols count: Int) -> Int { Int((Double(count) * samplesPerSymbol).rounded()) }

    /// One burst of audio for `symbols` (tone indices, or levels 0/1 for baseband).
    public func samples(symbols: [UInt8]) -> [Float] {
        var out = [Float](repeating: 0, count: sampleCount(symbols: symbols.count))
        out.withUnsafeMutableBufferPointer { render(symbols: symbols, into: $0) }
        return out
    }

    /// Writes a burst into `buffer`, which must hold `sampleCount(symbols:)` samples.
    public func render(symbols: [UInt8], into buffer: UnsafeMutableBufferPointer<Float>) {
        let n = min(buffer.count, sampleCount(symbols: symbols.count))
        guard n > 0, !symbols.isEmpty else { return }
        let sps = samplesPerSymbol
        let amp = amplitude
        if mode.isBaseband {
            for i in 0..<n {
                let s = min(symbols.count - 1, Int(Double(i) / sps))
                buffer[i] = symbols[s] == 0 ? -amp : amp
            }
        } else {
            // Within a symbol the tone is sin(φ0 + ωn) = sin φ0·cos ωn + cos φ0·sin ωn: two
            // table reads per sample, independent of each other; φ0 carries on from symbol to
            // symbol, so the phase never jumps.
            let longest = Int(sps.rounded(.up)) + 1
            let tables: [(cos: [Float], sin: [Float])] = mode.tones.map { f in
                let w = 2 * Double.pi * f / sampleRate
                return (
                    (0..<longest).map { Float(cos(w * Double($0))) }, (0..<longest).map { Float(sin(w * Double($0))) }
                )
            }
            let steps = mode.tones.map { 2 * Double.pi * $0 / sampleRate }
            var phase = 0.0
            var i = 0
            for (index, symbol) in symbols.enumerated() {
                let end = index + 1 == symbols.count ? n : min(n, Int((Double(index + 1) * sps).rounded(.up)))
                let t = Int(symbol) % tables.count
                let count = min(end - i, longest)
                let a = amp * Float(sin(phase)), b = amp * Float(cos(phase))
                tables[t].cos.withUnsafeBufferPointer { c in
                    tables[t].sin.withUnsafeBufferPointer { s in
                        for m in 0..<count { buffer[i + m] = a * c[m] + b * s[m] }
                    }
                }
                i += count
                phase += steps[t] * Double(count)
                phase -= 2 * Double.pi * (phase / (2 * Double.pi)).rounded(.down)
            }
        }
        // Fades.
        let ramp = min(n / 2, Int(rampSeconds * sampleRate))
        if ramp > 1 {
            for i in 0..<ramp {
                let g = Float(0.5 - 0.5 * cos(Double.pi * Double(i) / Double(ramp)))
                buffer[i] *= g
                buffer[n - 1 - i] *= g
            }
        }
    }
}
