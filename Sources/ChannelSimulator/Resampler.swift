import Foundation

/// A band-limited resampler: Kaiser-windowed sinc interpolation at any real ratio.
///
/// Output sample `n` is the input evaluated at time `n · step` (in input samples), with a
/// low-pass kernel whose cut-off is `rolloff` × the lower of the two Nyquist frequencies, so
/// downsampling rejects what would alias and upsampling rejects images. The kernel is
/// tabulated once at an integer number of points per input sample and read with linear
/// interpolation; for a rational ratio with few phases (48000→44100: 147) the taps of every
/// phase are precomputed instead. The kernel is symmetric: no delay is added.
///
/// ```swift
/// let y = try Resampler.resample(x, from: 48_000, to: 44_100)
/// let drifted = Resampler(step: 1.0002).process(x)     // sample clock +200 ppm
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
        /// Table points per zero crossing (rounded to a whole number per input sample).
        public var tableResolution: Int

        /// A filter design; the defaults (32 zero crossings, 0.9 roll-off, β 8, 512 points) reach about 80 dB stop band.
        public init(
            zeroCrossings: Int = 32, rolloff: Double = 0.9, beta: Double = 8,
            tableResolution: Int = 512
        ) {
            self.zeroCrossings = zeroCrossings
            self.rolloff = rolloff
            self.beta = beta
            self.tableResolution = tableResolution
        }

        /// The default: ≥ 80 dB rejection from 0.98 × the lower Nyquist frequency on, flat
        /// (< 0.01 dB) to about 0.82 × it.
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
    /// Table points per input sample of distance.
    let pointsPerSample: Int
    /// `cutoff · sinc(cutoff · d) · window(d / halfWidth)` at d = i / pointsPerSample, and its
    /// forward differences (for linear interpolation with one multiply-add).
    let table: [Float]
    let slope: [Float]
    /// For a rational ratio with few phases: one precomputed row of taps per output phase.
    let bank: PolyphaseBank?

    /// A resampler advancing `step` input samples per output sample; `step` must be
    /// positive and finite.
    public init(step: Double, quality: Quality = .standard) {
        self.init(step: step, rational: nil, quality: quality)
    }

    /// A resampler from `inputRate` to `outputRate` samples per second (both positive).
    public init(from inputRate: Int, to outputRate: Int, quality: Quality = .standard) {
        let g = gcd(inputRate, outputRate)
        self.init(
            step: Double(inputRate) / Double(outputRate),
            rational: g > 0 ? (inputRate / g, outputRate / g) : nil, quality: quality)
    }

    /// `rational` = (input step p, phases q) when the ratio is exactly p/q.
    init(step: Double, rational: (p: Int, q: Int)?, quality: Quality) {
        precondition(step > 0 && step.isFinite, "step must be positive")
        self.step = step
        let c = min(1, 1 / step) * quality.rolloff
        cutoff = c
        let half = Double(quality.zeroCrossings) / c
        halfWidth = half
        let side = Int(half.rounded(.up)) + 1
        tapsPerSide = side
        let points = max(1, Int((c * Double(quality.tableResolution)).rounded()))
        pointsPerSample = points
        let count = (side + 1) * points + 2
        var t = [Float](repeating: 0, count: count)
        let i0Beta = KaiserWindow.besselI0(quality.beta)
        for i in 0..<count {
            let d = Double(i) / Double(points)
            let pos = d / half
            guard pos < 1 else { continue }
            let w = KaiserWindow.besselI0(quality.beta * (1 - pos * pos).squareRoot()) / i0Beta
            let z = c * d
            let sinc = z == 0 ? 1 : sin(Double.pi * z) / (Double.pi * z)
            t[i] = Float(c * sinc * w)
        }
        var s = [Float](repeating: 0, count: count)
        for i in 0..<(count - 1) { s[i] = t[i + 1] - t[i] }
        table = t
        slope = s
        if let (p, q) = rational, q * 2 * side <= PolyphaseBank.maximumSize {
            bank = PolyphaseBank(inputStep: p, phases: q, tapsPerSide: side) { distance in
                let u = abs(distance) * Double(points)
                let i = Int(u)
                return i + 1 < count ? t[i] + Float(u - Double(i)) * s[i] : 0
            }
        } else {
            bank = nil
        }
    }

    /// The output length for `inputCount` input samples when resampling by rates:
    /// ⌈inputCount · outputRate / inputRate⌉.
    public static func outputCount(_ inputCount: Int, from inputRate: Int, to outputRate: Int) -> Int {
        let g = max(1, gcd(inputRate, outputRate))
        let (p, q) = (inputRate / g, outputRate / g)
        return (inputCount * q + p - 1) / p
    }

    /// Resamples `samples` from `inputRate` to `outputRate` (both positive).
    ///
    /// ```swift
    /// let narrow = try Resampler.resample(x, from: 48_000, to: 8000)   // x.count / 6 samples
    /// ```
    /// - Returns: ⌈count · outputRate / inputRate⌉ samples; equal rates return the input.
    /// - Throws: ``ChannelError/invalidSampleRate(_:)`` for a rate ≤ 0.
    public static func resample(
        _ samples: [Float], from inputRate: Int, to outputRate: Int,
        quality: Quality = .standard
    ) throws -> [Float] {
        guard inputRate > 0 else { throw ChannelError.invalidSampleRate(inputRate) }
        guard outputRate > 0 else { throw ChannelError.invalidSampleRate(outputRate) }
        if inputRate == outputRate { return samples }
        let r = Resampler(from: inputRate, to: outputRate, quality: quality)
        return r.process(
            samples,
            outputCount: outputCount(
                samples.count, from: inputRate,
                to: outputRate))
    }

    /// Output sample `n` = input interpolated at time `n · step + offset` (input samples), for
    /// `n` in `0..<outputCount`; by default ⌊(count − 1) / step⌋ + 1 samples, the input's span.
    /// Input outside `0..<count` reads as zero.
    public func process(_ input: [Float], outputCount: Int? = nil, offset: Double = 0) -> [Float] {
        let n =
            outputCount
            ?? (input.isEmpty
                ? 0
                : Int((Double(input.count - 1) / step).rounded(.down)) + 1)
        guard n > 0 else { return [] }
        // Zeros on both sides so that no tap needs a bounds check.
        let margin = 2 * tapsPerSide + 1
        let front = margin + Int(max(0, -offset).rounded(.up))
        let reach = Int((Double(n) * step + max(0, offset)).rounded(.up)) + margin
        var padded = [Float](repeating: 0, count: front + max(input.count, reach) + margin)
        padded.replaceSubrange(front..<(front + input.count), with: input)
        var output = [Float](repeating: 0, count: n)
        padded.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                if let bank, offset == 0 {
                    bank.render(x, origin: front, into: y)
                } else {
                    render(x, origin: front, into: y, offset: offset)
                }
            }
        }
        return output
    }

    /// The interpolating path: per output sample, the taps from the table, then one dot product.
    func render(
        _ x: UnsafeBufferPointer<Float>, origin: Int,
        into y: UnsafeMutableBufferPointer<Float>, offset: Double
    ) {
        let side = tapsPerSide
        let points = pointsPerSample
        let width = 2 * side
        var weights = [Float](repeating: 0, count: width)
        table.withUnsafeBufferPointer { h in
            slope.withUnsafeBufferPointer { dh in
                weights.withUnsafeMutableBufferPointer { w in
                    guard let hp = h.baseAddress, let dp = dh.baseAddress,
                        let wp = w.baseAddress, let xp = x.baseAddress
                    else { return }
                    for n in 0..<y.count {
                        let t = Double(n) * step + offset
                        let whole = t.rounded(.down)
                        let pf = (t - whole) * Double(points)  // fraction, in table points
                        let ip = min(points - 1, Int(pf))
                        let fl = Float(pf - Double(ip))
                        let qf = Double(points) - pf
                        let iq = min(points, Int(qf))
                        let fr = Float(qf - Double(iq))
                        // Taps j < side sit at distance (side − 1 − j) + frac before t …
                        var index = (side - 1) * points + ip
                        for j in 0..<side {
                            wp[j] = hp[index] + fl * dp[index]
                            index -= points
                        }
                        // … taps j ≥ side at distance (j − side + 1) − frac after it.
                        index = iq
                        for j in side..<width {
                            wp[j] = hp[index] + fr * dp[index]
                            index += points
                        }
                        let start = origin + Int(whole) - side + 1
                        y[n] = dotProduct(wp, xp + start, count: width)
                    }
                }
            }
        }
    }
}

/// Greatest common divisor of two integers (0 if both are 0).
func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (abs(a), abs(b))
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
