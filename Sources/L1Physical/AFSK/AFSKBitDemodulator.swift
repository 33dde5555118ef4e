import Foundation

/// A continuous FSK bit demodulator with several slicers in parallel.
///
/// The tone amplitudes come from one ``ToneDiscriminator``; each slicer weighs the mark tone
/// by its own gain (radios tilt mark against space by 2–18 dB through de-emphasis) and forms a
/// normalised soft value `(g·m − s) / (g·m + s)` in [−1, 1], positive for mark. An optional
/// extra slicer normalises each tone by its own peak follower instead (an AGC per tone).
///
/// Two ways out:
/// - ``processSoft(_:_:)`` hands over the per-sample soft values of every slicer (for
///   asynchronous framings such as UART, which find their own start bits);
/// - ``process(_:_:)`` runs a DPLL per slicer and emits one soft bit per bit period
///   (for synchronous framings: HDLC, SAME).
///
///     var demod = AFSKBitDemodulator(signalling: .bell202, sampleRate: 44100)
///     demod.process(block) { slicer, soft, sample in hdlc[slicer].push(soft > 0, soft) }
public struct AFSKBitDemodulator: Sendable {
    /// The tones and bit rate demodulated.
    public let signalling: FSKSignalling
    /// Input samples per second.
    public let sampleRate: Double
    /// Mark-tone gains of the fixed slicers (linear).
    public let gains: [Float]
    /// Whether the last slicer is the per-tone AGC one.
    public let hasAGCSlicer: Bool
    /// Number of slicers (fixed gains plus the AGC slicer, if any).
    public var slicerCount: Int { gains.count + (hasAGCSlicer ? 1 : 0) }

    private var disc: ToneDiscriminator
    private var markBuf: [Float] = []
    private var spaceBuf: [Float] = []
    private var softBuf: [Float] = []
    private var clocks: [ClockRecovery]
    /// The fixed-gain slicers as SIMD lanes (the fused path of ``process(_:_:)``).
    private var lanes: AFSKSlicerLanes?
    private var amplitudes: [Float] = []  // n mark values, then n space values
    private var agcMark: Float = 1e-6
    private var agcSpace: Float = 1e-6
    private let agcAttack: Float
    private let agcDecay: Float
    /// Samples consumed so far.
    public private(set) var sampleCount = 0

    /// - Parameters:
    ///   - signalling: Tones and bit rate.
    ///   - sampleRate: Input rate, 8–192 kHz.
    ///   - gainsDB: Mark-over-space gains of the fixed slicers in dB.
    ///   - agcSlicer: Add a slicer that normalises each tone by its own peak level.
    ///   - windowBits: Matched-filter length in bits.
    ///   - loopGain: DPLL correction per transition (0–1).
    public init(
        signalling: FSKSignalling, sampleRate: Double, gainsDB: [Double] = [0],
        agcSlicer: Bool = false, windowBits: Double = 1, loopGain: Double = 0.3
    ) {
        self.signalling = signalling
        self.sampleRate = sampleRate
        gains = gainsDB.map { Float(pow(10, $0 / 20)) }
        hasAGCSlicer = agcSlicer
        disc = ToneDiscriminator(signalling: signalling, sampleRate: sampleRate, windowBits: windowBits)
        let n = gainsDB.count + (agcSlicer ? 1 : 0)
        clocks = Array(
            repeating: ClockRecovery(samplesPerBit: sampleRate / signalling.baud, loopGain: loopGain),
            count: n)
        lanes =
            gains.isEmpty
            ? nil
            : AFSKSlicerLanes(
                gains: gains, sources: [0], loopGains: [loopGain],
                samplesPerBit: sampleRate / signalling.baud)
        let spb = Float(sampleRate / signalling.baud)
        agcAttack = 1 - exp(-1 / (spb * 0.5))
        agcDecay = 1 - exp(-1 / (spb * 30))
    }

    /// Gains spread evenly in dB: `count` slicers from `-maxDB` to `+maxDB`.
    public static func spreadGains(count: Int, maxDB: Double) -> [Double] {
        guard count > 1 else { return [0] }
        return (0..<count).map { -maxDB + 2 * maxDB * Double($0) / Double(count - 1) }
    }

    /// Demodulates a block and calls `body(slicer, softValues)` once per slicer, where
    /// `softValues[i]` belongs to input sample `input[i]`.
    public mutating func processSoft(
        _ input: UnsafeBufferPointer<Float>,
        _ body: (Int, UnsafeBufferPointer<Float>) -> Void
    ) {
        let n = input.count
        if markBuf.count < n {
            markBuf = [Float](repeating: 0, count: n)
            spaceBuf = [Float](repeating: 0, count: n)
            softBuf = [Float](repeating: 0, count: n)
        }
        markBuf.withUnsafeMutableBufferPointer { m in
            spaceBuf.withUnsafeMutableBufferPointer { s in
                disc.process(input, mark: m, space: s)
            }
        }
        markBuf.withUnsafeBufferPointer { m in
            spaceBuf.withUnsafeBufferPointer { s in
                softBuf.withUnsafeMutableBufferPointer { out in
                    for (k, g) in gains.enumerated() {
                        for i in 0..<n {
                            let a = g * m[i], b = s[i]
                            out[i] = (a - b) / (a + b + 1e-9)
                        }
                        body(k, UnsafeBufferPointer(rebasing: out[0..<n]))
                    }
                    if hasAGCSlicer {
                        var pm = agcMark, ps = agcSpace
                        let att = agcAttack, dec = agcDecay
                        for i in 0..<n {
                            let a = m[i], b = s[i]
                            pm += (a - pm) * (a > pm ? att : dec)
                            ps += (b - ps) * (b > ps ? att : dec)
                            let x = a / (pm + 1e-9), y = b / (ps + 1e-9)
                            out[i] = (x - y) / (x + y + 1e-9)
                        }
                        agcMark = pm
                        agcSpace = ps
                        body(gains.count, UnsafeBufferPointer(rebasing: out[0..<n]))
                    }
                }
            }
        }
        sampleCount += n
    }

    /// Demodulates a block and recovers the bit clock of every slicer: `body(slicer, soft,
    /// sample)` is called once per bit, `soft` in [−1, 1] (positive = mark), `sample` the
    /// absolute index of the sampling instant.
    public mutating func process(
        _ input: UnsafeBufferPointer<Float>,
        _ body: (_ slicer: Int, _ soft: Float, _ sample: Int) -> Void
    ) {
        let base = sampleCount
        var clocks = self.clocks
        if hasAGCSlicer || lanes == nil {
            processSoft(input) { k, soft in
                clocks[k].run(soft, base: base) { body(k, $0, $1) }
            }
        } else if var lanes {
            // Fused path: the loop follows g·m − s and normalises only at the sampling instants.
            let n = input.count
            if amplitudes.count < 2 * n { amplitudes = [Float](repeating: 0, count: 2 * n) }
            amplitudes.withUnsafeMutableBufferPointer { a in
                disc.process(
                    input, mark: UnsafeMutableBufferPointer(rebasing: a[0..<n]),
                    space: UnsafeMutableBufferPointer(rebasing: a[n..<(2 * n)]))
            }
            self.lanes = nil
            amplitudes.withUnsafeBufferPointer { a in
                lanes.run(amplitudes: a, count: n, base: base) { k, softs, samples in
                    for i in softs.indices { body(k, softs[i], samples[i]) }
                }
            }
            self.lanes = lanes
            sampleCount += n
        }
        self.clocks = clocks
    }
}

/// A digital PLL that recovers the bit clock from the zero crossings of a soft signal.
///
/// The phase advances by one bit period per `samplesPerBit` samples; a bit is sampled when it
/// wraps. Each zero crossing (located between samples by linear interpolation) should fall
/// half-way between sampling instants, and pulls the phase by `loopGain` of its error.
public struct ClockRecovery: Sendable {
    /// Input samples per bit period (sample rate ÷ baud).
    public let samplesPerBit: Double
    /// Fraction of the timing error corrected at each zero crossing (0…1).
    public let loopGain: Double
    private var phase = 0.0
    private var previous: Float = 0

    /// A clock recovery loop for `samplesPerBit`, pulling by `loopGain` (0.3 by default).
    public init(samplesPerBit: Double, loopGain: Double = 0.3) {
        self.samplesPerBit = samplesPerBit
        self.loopGain = loopGain
    }

    /// Runs the loop on `gain·mark − space` (zero crossings only need its sign), calling
    /// `emit((g·m − s)/(g·m + s), sample)` at every sampling instant.
    public mutating func run(
        mark: UnsafeBufferPointer<Float>, space: UnsafeBufferPointer<Float>, gain g: Float,
        base: Int, _ emit: (Float, Int) -> Void
    ) {
        let step = Float(1 / samplesPerBit)
        let loop = Float(loopGain)
        var ph = Float(phase), prev = previous
        for i in 0..<mark.count {
            let a = g * mark[i], b = space[i]
            let d = a - b
            ph += step
            if (d > 0) != (prev > 0) {
                // Crossing at fraction prev/(prev−d) of the last step; ideal phase 0.5.
                let back = step * d / (d - prev)  // how far past the crossing we are
                var err = ph - back - 0.5
                if err > 0.5 { err -= 1 } else if err < -0.5 { err += 1 }
                ph -= loop * err
            }
            if ph >= 1 {
                ph -= 1
                emit(d / (a + b + 1e-9), base + i)
            } else if ph < 0 {
                ph = 0
            }
            prev = d
        }
        phase = Double(ph)
        previous = prev
    }

    /// Runs the loop over `soft` (sample `i` has absolute index `base + i`), calling
    /// `emit(soft, sample)` at every sampling instant.
    public mutating func run(_ soft: UnsafeBufferPointer<Float>, base: Int, _ emit: (Float, Int) -> Void) {
        let step = 1 / samplesPerBit
        let gain = loopGain
        var ph = phase, prev = previous
        for i in 0..<soft.count {
            let d = soft[i]
            ph += step
            if (d > 0) != (prev > 0) {
                let frac = Double(prev / (prev - d))  // where in [prev, d] the crossing is
                let at = ph - step * (1 - (frac.isFinite ? frac : 0.5))
                // Phase of the crossing folded to (−0.5, 0.5] around the ideal 0.5.
                var err = at - 0.5
                if err > 0.5 { err -= 1 } else if err < -0.5 { err += 1 }
                ph -= gain * err
            }
            if ph >= 1 {
                ph -= 1
                emit(d, base + i)
            } else if ph < 0 {
                ph = 0
            }
            prev = d
        }
        phase = ph
        previous = prev
    }
}
