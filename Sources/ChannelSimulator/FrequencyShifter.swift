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
    /// The shift in Hz (negative shifts down).
    public let offset: Double
    /// Samples per second of the signal.
    public let sampleRate: Double
    /// Lowest frequency shifted cleanly, in Hz (clamped to 1 Hz … fs/4).
    public let lowEdge: Double
    /// Hilbert coefficients at odd lags 1, 3, 5, … (the even ones are zero).
    let oddTaps: [Float]

    /// A shifter by `offset` Hz at `sampleRate`, clean from `lowEdge` Hz (50 Hz unless given) upwards.
    public init(offset: Double, sampleRate: Double, lowEdge: Double = 50) {
        self.offset = offset
        self.sampleRate = sampleRate
        // At least 1 Hz (the filter grows as 1 / lowEdge), at most a quarter of the rate.
        let edge =
            sampleRate > 0 && sampleRate.isFinite
            ? min(max(lowEdge.isFinite ? lowEdge : 50, 1), sampleRate / 4) : 1
        self.lowEdge = edge
        let attenuation = 65.0
        let transition = 2 * Double.pi * (2 * edge) / max(sampleRate.isFinite ? sampleRate : 1, 1)
        let length = KaiserWindow.length(attenuationDB: attenuation, transition: transition)
        var half = max(3, length / 2)
        if half % 2 == 0 { half += 1 }  // end on an odd (non-zero) lag
        let beta = KaiserWindow.beta(attenuationDB: attenuation)
        oddTaps = stride(from: 1, through: half, by: 2).map { m in
            let w = KaiserWindow.value(at: Double(m) / Double(half + 1), beta: beta)
            return Float(2 / (Double.pi * Double(m)) * w)
        }
    }

    /// The shifted signal, same length as `input`.
    public func process(_ input: [Float]) -> [Float] {
        let n = input.count
        // The odd lags of sample i all have the other parity, so H{x}[i] is two contiguous dot
        // products over the samples of that parity: Σ h[j]·x[i−1−2j] − Σ h[j]·x[i+1+2j].
        // Each parity gets its own zero-padded stream, so no tap needs a bounds check.
        let pad = 2 * oddTaps.count + 2  // even, beyond the largest lag
        let streamLength = (n + 2 * pad) / 2 + 2
        var even = [Float](repeating: 0, count: streamLength)
        var odd = [Float](repeating: 0, count: streamLength)
        for i in 0..<n {
            if (i + pad) & 1 == 0 { even[(i + pad) >> 1] = input[i] } else { odd[(i + pad) >> 1] = input[i] }
        }
        let reversed = Array(oddTaps.reversed())
        var output = [Float](repeating: 0, count: n)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                even.withUnsafeBufferPointer { e in
                    odd.withUnsafeBufferPointer { o in
                        oddTaps.withUnsafeBufferPointer { h in
                            reversed.withUnsafeBufferPointer { hr in
                                render(x, into: y, even: e, odd: o, taps: h, reversedTaps: hr, pad: pad)
                            }
                        }
                    }
                }
            }
        }
        return output
    }

    /// The inner loop: Hilbert output by two dot products, then the rotation by e^{jφ}.
    private func render(
        _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>,
        even: UnsafeBufferPointer<Float>, odd: UnsafeBufferPointer<Float>,
        taps: UnsafeBufferPointer<Float>, reversedTaps: UnsafeBufferPointer<Float>,
        pad: Int
    ) {
        guard let ep = even.baseAddress, let op = odd.baseAddress,
            let hp = taps.baseAddress, let hrp = reversedTaps.baseAddress
        else { return }
        let count = taps.count
        let cyclesPerSample = offset / sampleRate
        for i in 0..<x.count {
            let ii = i + pad
            let a = ii >> 1
            let (s, left, right) = ii & 1 == 0 ? (op, a - 1, a) : (ep, a, a + 1)
            let hilbert =
                dotProduct(hrp, s + (left - count + 1), count: count)
                - dotProduct(hp, s + right, count: count)
            let phi = 2 * Double.pi * (Double(i) * cyclesPerSample).truncatingRemainder(dividingBy: 1)
            y[i] = Float(Double(x[i]) * cos(phi) - Double(hilbert) * sin(phi))
        }
    }
}
