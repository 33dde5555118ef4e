internal import CVectorKernels
import Foundation

/// A streaming linear-phase FIR band-pass (windowed sinc, Blackman window), used ahead of the
/// tone filters to keep clicks, hum and out-of-band noise away from them.
///
///     var bp = BandpassFilter(low: 900, high: 2500, sampleRate: 44100, taps: 73)
///     bp.process(input, into: output)
public struct BandpassFilter: Sendable {
    /// Number of FIR coefficients (the filter's length); the group delay is `(taps - 1) / 2` samples.
    public let taps: Int
    private let coefficients: [Float]
    private var history: [Float]  // the last `taps - 1` inputs, then the block
    private var phase = 0  // offset of the next kept output in the next block
    /// Whether the dot products run in AVX2 with fused multiply-adds (within rounding of the
    /// portable loop, which multiplies and adds separately).
    let avx2: Bool

    /// - Parameters:
    ///   - low: Lower pass band edge in Hz (−6 dB point).
    ///   - high: Upper pass band edge in Hz (−6 dB point).
    ///   - sampleRate: Samples per second.
    ///   - taps: Filter length (odd is best; more taps, steeper edges).
    public init(low: Double, high: Double, sampleRate: Double, taps: Int) {
        self.init(low: low, high: high, sampleRate: sampleRate, taps: taps, avx2: CPUFeatures.avx2)
    }

    /// As ``init(low:high:sampleRate:taps:)``, with the AVX2 dot products on or off (on only
    /// where the CPU has AVX2 and FMA).
    init(low: Double, high: Double, sampleRate: Double, taps: Int, avx2: Bool) {
        self.avx2 = avx2 && CPUFeatures.avx2
        let n = max(3, taps | 1)
        self.taps = n
        let m = Double(n - 1) / 2
        let fl = low / sampleRate, fh = high / sampleRate
        var c = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let t = Double(i) - m
            let ideal = t == 0 ? 2 * (fh - fl) : (sin(2 * .pi * fh * t) - sin(2 * .pi * fl * t)) / (.pi * t)
            let w =
                0.42 - 0.5 * cos(2 * .pi * Double(i) / Double(n - 1)) + 0.08 * cos(4 * .pi * Double(i) / Double(n - 1))
            c[i] = Float(ideal * w)
        }
        coefficients = c
        history = [Float](repeating: 0, count: n - 1)
    }

    /// A band-pass around an FSK signalling: from the lower tone minus `margin`·baud to the
    /// upper tone plus `margin`·baud, `bits` bit periods long.
    public init(around s: FSKSignalling, sampleRate: Double, margin: Double = 0.25, bits: Double = 2) {
        self.init(
            low: max(50, min(s.mark, s.space) - margin * s.baud),
            high: min(sampleRate / 2 - 50, max(s.mark, s.space) + margin * s.baud),
            sampleRate: sampleRate, taps: Int(sampleRate / s.baud * bits))
    }

    /// Filters `input` into `output` (same length); the delay is `(taps − 1) / 2` samples.
    ///
    /// - Complexity: O(*n* · taps), no allocation once the history has grown to the block size.
    public mutating func process(_ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>) {
        _ = process(input, into: output, decimation: 1)
    }

    /// Filters and keeps every `decimation`-th output (counted across calls); returns how many
    /// samples were written to `output` (which needs room for `input.count / decimation + 1`).
    public mutating func process(
        _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>,
        decimation: Int
    ) -> Int {
        let n = input.count
        let k = taps
        let d = max(1, decimation)
        history.append(contentsOf: input)
        var written = 0
        var i = phase
        if avx2 && i < n && !output.isEmpty, let op = output.baseAddress {
            let outputs = min(output.count, (n - 1 - i) / d + 1)
            let start = i
            history.withUnsafeBufferPointer { h in
                coefficients.withUnsafeBufferPointer { c in
                    guard let hp = h.baseAddress, let cp = c.baseAddress else { return }
                    cvk_fir_avx2(cp, hp, k, start, d, outputs, op)
                }
            }
            written = outputs
            i = start + outputs * d
        }
        history.withUnsafeBufferPointer { h in
            coefficients.withUnsafeBufferPointer { c in
                guard let hp = h.baseAddress, let cp = c.baseAddress else { return }
                let hr = UnsafeRawPointer(hp), cr = UnsafeRawPointer(cp)
                let k8 = k & ~7
                let stride8 = MemoryLayout<SIMD8<Float>>.stride
                let f = MemoryLayout<Float>.stride
                while i < n && written < output.count {
                    // Two SIMD8 partial sums over the taps, then the odd tail.
                    var a0 = SIMD8<Float>(repeating: 0), a1 = SIMD8<Float>(repeating: 0)
                    let row = hr + i &* f
                    var j = 0
                    while j &+ 16 <= k8 {
                        a0 +=
                            cr.loadUnaligned(fromByteOffset: j &* f, as: SIMD8<Float>.self)
                            * row.loadUnaligned(fromByteOffset: j &* f, as: SIMD8<Float>.self)
                        a1 +=
                            cr.loadUnaligned(fromByteOffset: j &* f &+ stride8, as: SIMD8<Float>.self)
                            * row.loadUnaligned(fromByteOffset: j &* f &+ stride8, as: SIMD8<Float>.self)
                        j &+= 16
                    }
                    if j < k8 {
                        a0 +=
                            cr.loadUnaligned(fromByteOffset: j &* f, as: SIMD8<Float>.self)
                            * row.loadUnaligned(fromByteOffset: j &* f, as: SIMD8<Float>.self)
                        j &+= 8
                    }
                    var tail: Float = 0
                    while j < k { tail += cp[j] * hp[i &+ j]; j &+= 1 }
                    output[written] = (a0 + a1).sum() + tail
                    written &+= 1
                    i &+= d
                }
            }
        }
        phase = i - n
        history.removeFirst(n)
        return written
    }
}
