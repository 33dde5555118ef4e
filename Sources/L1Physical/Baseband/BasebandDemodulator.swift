internal import CVectorKernels
import Foundation

/// Receiver of scrambled NRZ baseband (G3RUH 9600 Bd packet): low-pass filters, automatic
/// gain, several slicers each with its own clock recovery, and the G3RUH descrambler.
///
/// ```
///  samples ─┬─ low-pass (cutoff c₁·baud) ─ peak/valley AGC ─┬─ slicer (threshold t₁, loop gain g₁) ─ DPLL ─ descrambler ─► soft bits
///           │                                               ├─ slicer (t₁, g₂) ─ …
///           │                                               └─ slicer (tₙ, gₘ) ─ …
///           └─ low-pass (cutoff c₂·baud) ─ …
/// ```
///
/// Each slicer compares the filtered signal with its own threshold (a fraction of the
/// half swing either side of the middle between peak and valley), so that a signal with
/// DC drift or uneven swing still crosses one of them cleanly. Its DPLL keeps a phase in
/// bits: a zero crossing, located between two samples by linear interpolation, pulls the
/// phase towards 0 by the loop gain times its error, and a bit is sampled (interpolated too)
/// each time the phase passes half a bit. The sampled value, scaled by the half swing,
/// is the soft line bit; the descrambler flips its sign where the G3RUH sequence says so.
/// The output is the NRZI line level that an HDLC decoder takes.
///
///     var demod = BasebandDemodulator(baud: 9600, sampleRate: 48000)
///     demod.process(block) { slicer, softs, samples in hdlc[slicer].push(soft: softs) { … } }
///
/// - Complexity: O(filter taps · filters + slicers) per input sample; nothing is allocated
///   while streaming once the per-slicer buffers have grown to the block size.
public struct BasebandDemodulator: Sendable {
    /// Tuning of the receiver; the defaults suit Dire Wolf's 9600 Bd signal.
    public struct Options: Sendable, Hashable {
        /// Low-pass cutoffs in multiples of the bit rate, one filter (and AGC) each.
        public var cutoffs: [Double] = [0.6, 0.7, 0.8, 0.9]
        /// Length of each low-pass filter in bits.
        public var filterBits: Double = 8
        /// Slicer thresholds as fractions of the half swing from the middle. One, at the middle:
        /// on Dire Wolf's 9600 Bd ramp (48 and 44.1 kHz, also with a DC shift, a 5 kHz low-pass or
        /// a 200 Hz high-pass) thresholds at ±0.2 (or ±0.1 … ±0.4, in 3 to 5 steps) find the same
        /// frames as the middle alone, at 2.5 times the cost.
        public var thresholds: [Float] = [0]
        /// DPLL corrections per zero crossing, as a fraction of the measured phase error.
        public var loopGains: [Float] = [0.2, 0.45]
        /// AGC: the fraction of the way a new peak (or valley) is followed per bit.
        public var agcAttack = 0.5
        /// AGC: the fraction of the way the peak sags towards the signal per bit.
        public var agcDecay = 0.002

        /// The default tuning.
        public init() {}
    }

    /// Bits per second.
    public let baud: Double
    /// Input samples per second.
    public let sampleRate: Double
    /// Slicer `(f·thresholds + t)·loopGains + g` is filter `f`, threshold `t`, loop gain `g`.
    public var slicerCount: Int { filterCount * thresholds.count * loopGains.count }
    /// Samples consumed so far.
    public private(set) var sampleCount = 0
    /// Whether the low-pass filters run in the AVX2 kernel (within rounding of the Swift loop:
    /// its multiply-adds are fused), and with four filters and eight slicers the AGC and slicers
    /// too (the same bits as the Swift loop on the same filtered signal).
    let avx2: Bool
    /// Whether the AGC and slicers may run in their kernel (tests set it off, to hold the
    /// kernel to the Swift loop on the same filtered signal).
    private let slicerKernel: Bool
    /// Whether the filters take sixteen outputs to a vector and the slicers run in the AVX-512
    /// build of their kernel (``CPUFeatures/avx512``).
    private let wide: Bool

    private let thresholds: [Float]
    private let loopGains: [Float]
    private let step: Float
    private let attack: Float
    private let decay: Float
    /// The taps of every filter, one after the other (all of the same length).
    private let taps: [Float]
    private let length: Int
    private let filterCount: Int
    /// The last `length − 1` input samples, then the current block (scratch).
    private var extended: [Float]
    /// Per filter: the AGC's peak and valley.
    private var peaks: [Float]
    private var valleys: [Float]
    /// The filtered, AGC-scaled signal of the block, filter after filter (scratch).
    private var scaled: [Float] = []
    /// The slicers, eight to a vector (the last group padded with slicers nobody hears), in
    /// the lanes ``laneSlicers`` says.
    private var lanes: [Lanes]
    /// The slicer in each lane (lane `l` of group `q` at `8q + l`), −1 for padding.
    private let laneSlicers: [Int]
    /// ``laneSlicers`` for the AVX2 kernel.
    private let laneSlicers32: [Int32]
    /// With four filters the AGC writes each sample's four outputs as one vector to `quads`,
    /// which is every slicer vector's input (twice over), instead of filter after filter.
    private let quadLayout: Bool
    private var quads: [SIMD4<Float>] = []
    /// Per slicer, `capacity` places: the soft bits of the block and where they were sampled.
    private var softs: [Float] = []
    private var instants: [Int] = []
    private var counts: [Int]
    private var capacity = 0

    /// Eight slicers' state and constants.
    fileprivate struct Lanes: Sendable {
        var phase = SIMD8<Float>(repeating: 0)
        var previous = SIMD8<Float>(repeating: 0)
        var threshold = SIMD8<Float>(repeating: 0)
        var gain = SIMD8<Float>(repeating: 0)
        /// The filter each lane listens to.
        var filter = SIMD8<Int32>(repeating: 0)
        /// Each lane's G3RUH descrambler: the last 17 line bits, newest in bit 0.
        var register = SIMD8<UInt32>(repeating: 0)
    }

    /// A receiver for `baud` bits per second at `sampleRate` (at least 4 samples per bit).
    public init(baud: Double, sampleRate: Double, options: Options = Options()) {
        self.init(baud: baud, sampleRate: sampleRate, options: options, avx2: CPUFeatures.avx2)
    }

    /// - Parameters:
    ///   - avx2: whether the filters run in the AVX2 kernel (only where ``CPUFeatures/avx2``).
    ///   - avx512: whether the kernels take their AVX-512 form (only with `avx2`, and where
    ///     ``CPUFeatures/avx512``).
    ///   - slicerKernel: whether the AGC and slicers may run in their kernel (with `avx2`).
    init(
        baud: Double, sampleRate: Double, options: Options, avx2: Bool, avx512: Bool = CPUFeatures.avx512,
        slicerKernel: Bool = true
    ) {
        self.avx2 = avx2
        self.slicerKernel = slicerKernel
        wide = avx2 && avx512
        precondition(!options.cutoffs.isEmpty && !options.thresholds.isEmpty && !options.loopGains.isEmpty)
        self.baud = baud
        self.sampleRate = sampleRate
        thresholds = options.thresholds
        loopGains = options.loopGains
        step = Float(baud / sampleRate)
        // The AGC follows a peak within a few bits and lets it sag over a few hundred.
        attack = min(1, Float(baud / sampleRate * options.agcAttack))
        decay = min(1, Float(baud / sampleRate * options.agcDecay))
        let spb = sampleRate / baud
        let length = max(3, Int((options.filterBits * spb).rounded()) | 1)
        self.length = length
        filterCount = options.cutoffs.count
        taps = options.cutoffs.flatMap { Self.lowPass(cutoff: $0 * baud / sampleRate, length: length) }
        extended = [Float](repeating: 0, count: length - 1)
        peaks = [Float](repeating: 0, count: options.cutoffs.count)
        valleys = peaks
        let count = options.cutoffs.count * options.thresholds.count * options.loopGains.count
        let perFilter = options.thresholds.count * options.loopGains.count
        // Lanes in the order (threshold, gain, filter), filter fastest: with four filters every
        // vector holds filters 0–3 twice, so it is one sample's four AGC outputs, twice.
        let thresholdCount = options.thresholds.count, gainCount = options.loopGains.count
        let filters = options.cutoffs.count
        var order: [Int] = []
        for t in 0..<thresholdCount {
            for g in 0..<gainCount {
                for f in 0..<filters { order.append((f * thresholdCount + t) * gainCount + g) }
            }
        }
        laneSlicers = order + [Int](repeating: -1, count: (8 - order.count % 8) % 8)
        let slicers = laneSlicers
        laneSlicers32 = slicers.map { Int32($0) }
        lanes = (0..<(count + 7) / 8).map { q in
            var group = Lanes()
            for l in 0..<8 {
                let k = slicers[8 * q + l]
                guard k >= 0 else {
                    // Padding: the lane repeats lane l − 4's filter and is never read out.
                    group.filter[l] = l >= 4 ? group.filter[l - 4] : 0
                    continue
                }
                group.filter[l] = Int32(k / perFilter)
                group.threshold[l] = options.thresholds[(k % perFilter) / options.loopGains.count]
                group.gain[l] = options.loopGains[k % options.loopGains.count]
            }
            return group
        }
        quadLayout = filters == 4
        counts = Array(repeating: 0, count: count)
    }

    /// Windowed-sinc (Blackman) low-pass taps with unit DC gain; `cutoff` in cycles per sample.
    static func lowPass(cutoff: Double, length: Int) -> [Float] {
        let mid = Double(length - 1) / 2
        var taps = (0..<length).map { i -> Double in
            let x = Double(i) - mid
            let sinc = x == 0 ? 2 * cutoff : sin(2 * Double.pi * cutoff * x) / (Double.pi * x)
            let w =
                0.42 - 0.5 * cos(2 * Double.pi * Double(i) / Double(length - 1))
                + 0.08 * cos(4 * Double.pi * Double(i) / Double(length - 1))
            return sinc * w
        }
        let sum = taps.reduce(0, +)
        if sum != 0 { taps = taps.map { $0 / sum } }
        // Exactly symmetric, as the filter loops take it (tap j and tap length − 1 − j share
        // one multiply).
        for i in 0..<(length / 2) { taps[length - 1 - i] = taps[i] }
        return taps.map { Float($0) }
    }

    /// Demodulates a block: `body(slicer, softs, samples)` once per slicer (in slicer order)
    /// with its descrambled soft line bits of the block (`> 0` = 1) and the absolute input
    /// index at which each was sampled.
    public mutating func process(
        _ input: UnsafeBufferPointer<Float>,
        _ body: (_ slicer: Int, _ softs: UnsafeBufferPointer<Float>, _ samples: UnsafeBufferPointer<Int>) -> Void
    ) {
        guard !input.isEmpty else { return }
        let n = input.count
        // Four filters and eight slicers (the default): the AGC and slicers run in one AVX2 pass.
        let kernel =
            slicerKernel && avx2 && quadLayout && laneSlicers.count == 8 && counts.count == 8
            && MemoryLayout<Lanes>.stride == 192
        filter(input, agc: !kernel)
        let count = counts.count
        // A slicer's phase passes a bit centre at most once a sample (about `step` times per
        // sample on average, but a DPLL pulled forward can pass them faster for a while).
        // (The AVX2 kernel writes each slicer's next place before it knows whether it is used.)
        let needed = n + 1
        if capacity < needed {
            capacity = needed
            // Left unset: a slicer's places are read only up to its count, all written first
            // (zeroing them cost a page fault per 4 KiB of places no slicer reaches).
            softs = .unset(count * needed)
            instants = .unset(count * needed)
        }
        for k in 0..<count { counts[k] = 0 }
        let base = sampleCount, step = self.step, capacity = self.capacity
        if kernel {
            let attack = self.attack, decay = self.decay, wide = self.wide
            scaled.withUnsafeBufferPointer { sc in
                peaks.withUnsafeMutableBufferPointer { pk in
                    valleys.withUnsafeMutableBufferPointer { vl in
                        lanes.withUnsafeMutableBytes { lp in
                            laneSlicers32.withUnsafeBufferPointer { ls in
                                softs.withUnsafeMutableBufferPointer { sp in
                                    instants.withUnsafeMutableBufferPointer { ip in
                                        counts.withUnsafeMutableBufferPointer { cp in
                                            cvk_baseband_slicers_avx2(
                                                sc.baseAddress!, n, pk.baseAddress!, vl.baseAddress!, attack, decay,
                                                lp.baseAddress!, ls.baseAddress!, step, base, sp.baseAddress!,
                                                ip.baseAddress!, capacity, cp.baseAddress!, wide ? 1 : 0)
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        } else {
            slice(n, base: base)
        }
        sampleCount += n
        softs.withUnsafeBufferPointer { softs in
            instants.withUnsafeBufferPointer { instants in
                for k in 0..<count {
                    let from = k * capacity
                    body(
                        k, UnsafeBufferPointer(rebasing: softs[from..<(from + counts[k])]),
                        UnsafeBufferPointer(rebasing: instants[from..<(from + counts[k])]))
                }
            }
        }
    }

    /// The slicers over the AGC's block (`quads`, or `scaled` filter after filter): each
    /// lane's soft bits and their sampling instants to `softs`/`instants`, `counts` moved on.
    private mutating func slice(_ n: Int, base: Int) {
        let step = self.step, capacity = self.capacity
        let quadLayout = self.quadLayout
        scaled.withUnsafeBufferPointer { sc in
            quads.withUnsafeBufferPointer { quads in
                softs.withUnsafeMutableBufferPointer { softs in
                    instants.withUnsafeMutableBufferPointer { instants in
                        counts.withUnsafeMutableBufferPointer { counts in
                            for q in lanes.indices {
                                var group = lanes[q]
                                let rows = group.filter &* Int32(n)
                                for i in 0..<n {
                                    var x = SIMD8<Float>()
                                    if quadLayout {
                                        x = SIMD8(lowHalf: quads[i], highHalf: quads[i])
                                    } else {
                                        for l in 0..<8 { x[l] = sc[Int(rows[l]) + i] }
                                    }
                                    let v = x - group.threshold
                                    var p = group.phase + step
                                    let centre = p .>= 0.5
                                    if any(centre) {
                                        // The bit centre lay `back` samples before this one.
                                        let back = (p - 0.5) / step
                                        let values = v + (group.previous - v) * back
                                        // Descrambled eight lanes at once (a lane's register moves
                                        // only at its bit centre); a 0 flips the soft value.
                                        let line = SIMD8<UInt32>().replacing(with: 1, where: values .> 0)
                                        let bit = G3RUHScrambler.descramble(
                                            line, registers: &group.register, moving: centre)
                                        let signed = values.replacing(with: -values, where: bit .!= line)
                                        for l in 0..<8 where centre[l] {
                                            let k = laneSlicers[8 * q + l]
                                            guard k >= 0 else { continue }
                                            let at = k * capacity + counts[k]
                                            softs[at] = signed[l]
                                            instants[at] = base + i
                                            counts[k] += 1
                                        }
                                        p.replace(with: p - 1, where: centre)
                                    }
                                    let crossing = (v .> 0) .^ (group.previous .> 0)
                                    if any(crossing) {
                                        let d = group.previous - v
                                        // The crossing, as a fraction of the way from the previous sample.
                                        let f = (group.previous / d).replacing(with: 0.5, where: d .== 0)
                                        var at = p - (1 - f) * step
                                        at.replace(with: at + 1, where: at .< -0.5)
                                        p.replace(with: p - group.gain * at, where: crossing)
                                    }
                                    group.previous = v
                                    group.phase = p
                                }
                                lanes[q] = group
                            }
                        }
                    }
                }
            }
        }
    }
}

extension BasebandDemodulator {
    /// Low-pass filters over a block into `scaled` (filter after filter), then, with `agc`,
    /// the AGC: the signal in half swings about the middle between peak and valley.
    private mutating func filter(_ input: UnsafeBufferPointer<Float>, agc runAGC: Bool) {
        let n = input.count, length = self.length
        extended.removeLast(extended.count - (length - 1))
        extended.append(contentsOf: input)
        if scaled.count < filterCount * n { scaled = .unset(filterCount * n) }  // the filters write it all
        let filterCount = self.filterCount, avx2 = self.avx2, wide = self.wide
        extended.withUnsafeBufferPointer { ext in
            taps.withUnsafeBufferPointer { tp in
                scaled.withUnsafeMutableBufferPointer { out in
                    Self.lowPassBank(
                        ext, taps: tp, length: length, filters: filterCount, n: n, into: out, avx2: avx2, wide: wide)
                }
            }
        }
        if runAGC { agc(n) }
        extended.removeFirst(n)
    }

    /// The filters over `n` outputs of `ext` (`length − 1` samples before the first output,
    /// then one per output) into `out`, filter after filter: with `avx2` in the AVX2 kernel,
    /// four filters to a pass over the input and eight outputs to a vector (sixteen with
    /// `wide`), each multiply-add fused; otherwise in the portable loop, whose multiplies and
    /// adds are rounded apart (so the two agree within rounding, and `wide` or not, the kernel
    /// gives the same bits).
    static func lowPassBank(
        _ ext: UnsafeBufferPointer<Float>, taps tp: UnsafeBufferPointer<Float>, length: Int, filters: Int, n: Int,
        into out: UnsafeMutableBufferPointer<Float>, avx2: Bool, wide: Bool
    ) {
        if avx2 {
            cvk_fir_bank_avx2(ext.baseAddress!, tp.baseAddress!, length, filters, n, n, out.baseAddress!, wide ? 1 : 0)
        } else {
            for f in 0..<filters { lowPass(ext, tp, filter: f, length: length, n: n, out) }
        }
    }

    /// Filter `f` over `n` outputs: output i is the taps against `ext[i ..< i + length]`
    /// (oldest to newest). The taps are symmetric, so each pair of inputs a tap and its mirror
    /// weigh is added first: Σ_{j < h} tap j · (x[i + j] + x[i + length − 1 − j]) + tap h · x[i + h],
    /// h = length / 2, summed in order of j.
    private static func lowPass(
        _ ext: UnsafeBufferPointer<Float>, _ tp: UnsafeBufferPointer<Float>, filter f: Int, length: Int, n: Int,
        _ out: UnsafeMutableBufferPointer<Float>
    ) {
        let source = UnsafeRawPointer(ext.baseAddress!)
        let target = UnsafeMutableRawPointer(out.baseAddress!)
        let half = length / 2
        // Eight outputs at a time, each summed as one alone is.
        var i = 0
        while i + 8 <= n {
            var y = SIMD8<Float>()
            for j in 0...half {
                var x = source.loadUnaligned(fromByteOffset: 4 * (i + j), as: SIMD8<Float>.self)
                if j < half {
                    x += source.loadUnaligned(fromByteOffset: 4 * (i + length - 1 - j), as: SIMD8<Float>.self)
                }
                y += tp[f * length + j] * x
            }
            target.storeBytes(of: y, toByteOffset: 4 * (f * n + i), as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            var y: Float = 0
            for j in 0...half {
                let x = j < half ? ext[i + j] + ext[i + length - 1 - j] : ext[i + j]
                y += tp[f * length + j] * x
            }
            out[f * n + i] = y
            i += 1
        }
    }

    /// The AGC over the filtered block, four filters to a vector (each lane the same
    /// arithmetic as one filter alone): each output becomes its distance from the middle
    /// between peak and valley, in half swings.
    private mutating func agc(_ n: Int) {
        let attack = SIMD4(repeating: self.attack), decay = SIMD4(repeating: self.decay)
        let floor = SIMD4<Float>(repeating: 1e-6)
        let quad = quadLayout
        if quad && quads.count < n { quads = [SIMD4<Float>](repeating: .zero, count: n) }
        scaled.withUnsafeMutableBufferPointer { out in
            var f0 = 0
            while f0 < filterCount {
                let lanes = min(4, filterCount - f0)
                var peak = SIMD4<Float>(), valley = SIMD4<Float>()
                for l in 0..<lanes {
                    peak[l] = peaks[f0 + l]
                    valley[l] = valleys[f0 + l]
                }
                // Rows of the lanes beyond the last filter read (and write) the first filter's.
                var rows = SIMD4<Int>()
                for l in 0..<4 { rows[l] = (l < lanes ? f0 + l : f0) * n }
                for i in 0..<n {
                    var y = SIMD4<Float>()
                    for l in 0..<4 { y[l] = out[rows[l] + i] }
                    peak += attack.replacing(with: decay, where: .!(y .> peak)) * (y - peak)
                    valley += attack.replacing(with: decay, where: .!(y .< valley)) * (y - valley)
                    // max(1e-6, ·) as Swift.max takes it (a NaN gives the floor).
                    var half = (peak - valley) / 2
                    half.replace(with: floor, where: .!(half .>= floor))
                    let v = (y - (peak + valley) / 2) / half
                    if quad {
                        quads[i] = v
                    } else {
                        for l in 0..<lanes { out[rows[l] + i] = v[l] }
                    }
                }
                for l in 0..<lanes {
                    peaks[f0 + l] = peak[l]
                    valleys[f0 + l] = valley[l]
                }
                f0 += 4
            }
        }
    }
}

extension Array where Element: BitwiseCopyable {
    /// `count` elements whose memory is not set: for buffers written before they are read.
    fileprivate static func unset(_ count: Int) -> [Element] {
        [Element](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
    }
}
