import Foundation

/// A band-limited resampler: Kaiser-windowed sinc interpolation at any real ratio.
///
/// Output sample `n` is the input evaluated at time `n · step` (in input samples), with a
/// low-pass kernel whose cut-off is `rolloff` × the lower of the two Nyquist frequencies, so
/// downsampling rejects what would alias and upsampling rejects images. The kernel is
/// tabulated once (``Quality/tableResolution`` points per sinc zero crossing) and read with
/// linear interpolation. The kernel is symmetric: no delay is added.
///
/// ```swift
/// let y = Resampler.resample(x, from: 48_000, to: 44_100)
/// let r = Resampler(step: 1.0002)          // clock drift of +200 ppm
/// let z = r.process(x)
/// ```
/// - Complexity: O(n · 2 · zeroCrossings · max(1, step) / rolloff) for n output samples.
public struct Resampler: Sendable {
    /// Filter design of a resampler.
    public struct Quality: Sendable, Hashable {
        /// Sinc zero crossings on each side of the kernel (at the lower sample rate).
        public var zeroCrossings: Int
        /// Cut-off as a fraction of the lower Nyquist frequency.
        public var rolloff: Double
        /// Kaiser window β (8 ≈ 80 dB stop band).
        public var beta: Double
        /// Table points per zero crossing.
        public var tableResolution: Int

        public init(zeroCrossings: Int = 32, rolloff: Double = 0.9, beta: Double = 8,
                    tableResolution: Int = 512) {
            self.zeroCrossings = zeroCrossings
            self.rolloff = rolloff
            self.beta = beta
            self.tableResolution = tableResolution
        }

        /// The default: > 80 dB rejection from 0.98 × the lower Nyquist frequency on,
        /// flat (< 0.01 dB) to about 0.82 × it.
        public static let standard = Quality()
    }

    /// Input samples advanced per output sample (input rate / output rate).
    public let step: Double
    /// Cut-off relative to the input Nyquist frequency.
    public let cutoff: Double
    /// Half the kernel length, in input samples.
    public let halfWidth: Double
    /// Kernel taps on each side of the output instant.
    let tapsPerSide: Int
    /// `cutoff · sinc(cutoff · d) · window`, tabulated against |d| · cutoff · resolution.
    let table: [Float]
    /// Table points per input sample of distance: `cutoff · resolution`.
    let tableScale: Double

    /// A resampler advancing `step` input samples per output sample.
    ///
    /// `step` must be positive and finite.
    public init(step: Double, quality: Quality = .standard) {
        precondition(step > 0 && step.isFinite, "step must be positive")
        self.step = step
        cutoff = min(1, 1 / step) * quality.rolloff
        halfWidth = Double(quality.zeroCrossings) / cutoff
        tapsPerSide = Int(halfWidth.rounded(.up)) + 1
        let res = quality.tableResolution
        let count = quality.zeroCrossings * res + 2
        var t = [Float](repeating: 0, count: count)
        let i0Beta = KaiserWindow.besselI0(quality.beta)
        for i in 0..<count {
            let z = Double(i) / Double(res)              // distance in zero crossings
            let pos = z / Double(quality.zeroCrossings)  // window position
            guard pos < 1 else { continue }
            let w = KaiserWindow.besselI0(quality.beta * (1 - pos * pos).squareRoot()) / i0Beta
            let sinc = z == 0 ? 1 : sin(Double.pi * z) / (Double.pi * z)
            t[i] = Float(cutoff * sinc * w)
        }
        table = t
        tableScale = cutoff * Double(res)
    }

    /// A resampler from `inputRate` to `outputRate` samples per second.
    public init(from inputRate: Int, to outputRate: Int, quality: Quality = .standard) {
        self.init(step: Double(inputRate) / Double(outputRate), quality: quality)
    }

    /// The output length for `inputCount` input samples when resampling by rates:
    /// ⌈inputCount · outputRate / inputRate⌉.
    public static func outputCount(_ inputCount: Int, from inputRate: Int, to outputRate: Int) -> Int {
        let num = inputCount * outputRate
        return (num + inputRate - 1) / inputRate
    }

    /// Resamples `samples` from `inputRate` to `outputRate` (both positive).
    ///
    /// The output has ⌈count · outputRate / inputRate⌉ samples; equal rates return the input.
    /// - Throws: ``ChannelError/invalidParameter(name:value:reason:)`` for a rate ≤ 0.
    public static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int,
                                quality: Quality = .standard) throws -> [Float] {
        guard inputRate > 0 else {
            throw ChannelError.invalidParameter(name: "inputRate", value: Double(inputRate),
                                                reason: "must be positive")
        }
        guard outputRate > 0 else {
            throw ChannelError.invalidParameter(name: "outputRate", value: Double(outputRate),
                                                reason: "must be positive")
        }
        if inputRate == outputRate { return samples }
        let g = gcd(inputRate, outputRate)
        let r = Resampler(from: inputRate / g, to: outputRate / g, quality: quality)
        return r.process(samples, outputCount: outputCount(samples.count, from: inputRate / g,
                                                            to: outputRate / g))
    }

    /// Output sample `n` = input interpolated at `n · step + offset`, for `n` in
    /// `0..<outputCount`; by default ⌊(count − 1) / step⌋ + 1 samples (the input's span).
    /// Input outside `0..<count` reads as zero.
    public func process(_ input: [Float], outputCount: Int? = nil, offset: Double = 0) -> [Float] {
        let n = outputCount ?? (input.isEmpty ? 0 : Int((Double(input.count - 1) / step)
            .rounded(.down)) + 1)
        guard n > 0 else { return [] }
        var output = [Float](repeating: 0, count: n)
        input.withUnsafeBufferPointer { x in
            table.withUnsafeBufferPointer { h in
                output.withUnsafeMutableBufferPointer { y in
                    render(x, into: y, offset: offset, table: h)
                }
            }
        }
        return output
    }

    /// The inner loop: one dot product of input and interpolated kernel per output sample.
    @inline(__always)
    func render(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>,
                offset: Double, table h: UnsafeBufferPointer<Float>) {
        let count = x.count
        let last = h.count - 2
        let scale = tableScale
        let side = tapsPerSide
        for n in 0..<y.count {
            let t = Double(n) * step + offset
            let centre = Int(t.rounded(.down))
            let lo = max(0, centre - side + 1)
            let hi = min(count - 1, centre + side)
            guard lo <= hi else { continue }
            var acc: Float = 0
            var u = (t - Double(lo)) * scale      // table position of tap `lo`, decreasing
            for k in lo...hi {
                let a = abs(u)
                let i = Int(a)
                if i <= last {
                    let f = Float(a - Double(i))
                    let w = h[i] + f * (h[i + 1] - h[i])
                    acc += w * x[k]
                }
                u -= scale
            }
            y[n] = acc
        }
    }
}

/// Greatest common divisor of two positive integers.
func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (abs(a), abs(b))
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
