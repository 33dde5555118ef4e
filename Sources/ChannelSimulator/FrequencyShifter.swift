import Foundation

/// Shifts every frequency of a real signal by a fixed offset, keeping its timing.
///
/// The analytic signal x + j·H{x} comes from a Kaiser-windowed FIR Hilbert transformer
/// (centred, so without delay); multiplied by e^{j2πf·n/fs}, its real part is the output:
/// y[n] = x[n]·cos(φn) − H{x}[n]·sin(φn). The filter is flat (image rejection better
/// than ~60 dB) from ``lowEdge`` Hz up to fs/2 − ``lowEdge``; its length follows from
/// that edge and the sample rate.
///
/// ```swift
/// let shifter = FrequencyShifter(offset: 5, sampleRate: 48_000)
/// let y = shifter.process(x)   // a 1000 Hz tone comes out at 1005 Hz
/// ```
/// - Complexity: O(n · taps / 2); about fs / (12 · lowEdge) multiply-adds per sample.
public struct FrequencyShifter: Sendable {
    public let offset: Double
    public let sampleRate: Double
    /// Lowest frequency shifted cleanly, in Hz.
    public let lowEdge: Double
    /// Hilbert coefficients at odd lags 1, 3, 5, … (the even ones are zero).
    let oddTaps: [Float]

    public init(offset: Double, sampleRate: Double, lowEdge: Double = 50) {
        self.offset = offset
        self.sampleRate = sampleRate
        self.lowEdge = lowEdge
        let attenuation = 65.0
        let transition = 2 * Double.pi * (2 * lowEdge) / sampleRate
        let length = KaiserWindow.length(attenuationDB: attenuation, transition: transition)
        var half = max(3, length / 2)
        if half % 2 == 0 { half += 1 }                 // end on an odd (non-zero) lag
        let beta = KaiserWindow.beta(attenuationDB: attenuation)
        oddTaps = stride(from: 1, through: half, by: 2).map { m in
            let w = KaiserWindow.value(at: Double(m) / Double(half + 1), beta: beta)
            return Float(2 / (Double.pi * Double(m)) * w)
        }
    }

    /// The shifted signal, same length as `input`.
    public func process(_ input: [Float]) -> [Float] {
        var output = [Float](repeating: 0, count: input.count)
        let cyclesPerSample = offset / sampleRate
        input.withUnsafeBufferPointer { x in
            oddTaps.withUnsafeBufferPointer { h in
                output.withUnsafeMutableBufferPointer { y in
                    let n = x.count
                    let reach = 2 * h.count - 1          // largest lag
                    for i in 0..<n {
                        // H{x}[i] = Σ_m h[m] (x[i − m] − x[i + m]) over odd m
                        var acc: Float = 0
                        if i >= reach && i + reach < n {
                            for j in 0..<h.count {
                                let m = 2 * j + 1
                                acc += h[j] * (x[i - m] - x[i + m])
                            }
                        } else {
                            for j in 0..<h.count {
                                let m = 2 * j + 1
                                let a = i - m >= 0 ? x[i - m] : 0
                                let b = i + m < n ? x[i + m] : 0
                                acc += h[j] * (a - b)
                            }
                        }
                        let cycles = (Double(i) * cyclesPerSample)
                            .truncatingRemainder(dividingBy: 1)
                        let phi = 2 * Double.pi * cycles
                        y[i] = Float(Double(x[i]) * cos(phi) - Double(acc) * sin(phi))
                    }
                }
            }
        }
        return output
    }
}
