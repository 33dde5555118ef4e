import Foundation

/// Several ``AFSKBitDemodulator``s (matched filters of different lengths, DPLLs of different
/// loop gains, each with the same fixed-gain slicers) run as one.
///
/// Demodulators with the same filter length share one discriminator, and all discriminators
/// share their mixing (``ToneDiscriminatorBank``); the slicers of all demodulators, packed
/// four to a SIMD vector (`AFSKSlicerLanes`), advance in one loop over the samples, so their
/// long phase chains overlap. The sampling instants are handed out after each block
/// demodulator by demodulator, slicer by slicer, in time order — the order of running the
/// demodulators one after the other — so the bits are the same.
///
///     var demod = AFSKMultiDemodulator(signalling: .bell202, sampleRate: 14700,
///                                      gainsDB: [-8, 0, 8], windowsBits: [1, 1.3], loopGains: [0.3, 0.1])
///     demod.process(block) { slicer, soft, sample in hdlc[slicer].push(soft > 0, confidence: abs(soft)) }
public struct AFSKMultiDemodulator: Sendable {
    /// Slicers per demodulator; slicer `j·slicersPerDemodulator + k` is gain `k` of demodulator `j`.
    public let slicersPerDemodulator: Int
    /// Total number of slicers.
    public var slicerCount: Int { slicersPerDemodulator * demodulators }
    /// Samples consumed so far.
    public private(set) var sampleCount = 0

    private let demodulators: Int
    private var discs: ToneDiscriminatorBank
    private var lanes: AFSKSlicerLanes
    private var amplitudes: [Float] = []  // per discriminator: n mark values, then n space values

    /// - Parameters:
    ///   - signalling: Tones and bit rate.
    ///   - sampleRate: Input rate.
    ///   - gainsDB: Mark-over-space gains of the slicers in dB (each demodulator has all of them).
    ///   - windowsBits: Matched-filter length of each demodulator, in bits.
    ///   - loopGains: DPLL correction per transition of each demodulator.
    public init(
        signalling: FSKSignalling, sampleRate: Double, gainsDB: [Double], windowsBits: [Double],
        loopGains: [Double]
    ) {
        let gains = gainsDB.map { Float(pow(10, $0 / 20)) }
        let count = min(windowsBits.count, loopGains.count)
        precondition(!gains.isEmpty && count > 0, "at least one slicer and one demodulator")
        slicersPerDemodulator = gains.count
        demodulators = count
        var windows: [Int] = [], windowBits: [Double] = []
        var discOf: [Int] = []
        for w in windowsBits.prefix(count) {
            let length = ToneDiscriminator(signalling: signalling, sampleRate: sampleRate, windowBits: w).window
            if let i = windows.firstIndex(of: length) {
                discOf.append(i)
            } else {
                discOf.append(windows.count)
                windows.append(length)
                windowBits.append(w)
            }
        }
        discs = ToneDiscriminatorBank(signalling: signalling, sampleRate: sampleRate, windowsBits: windowBits)
        lanes = AFSKSlicerLanes(
            gains: gains, sources: discOf, loopGains: Array(loopGains.prefix(count)),
            samplesPerBit: sampleRate / signalling.baud)
    }

    /// Demodulates a block: `body(slicer, soft, sample)` once per sampling instant of every
    /// slicer, `soft` in [−1, 1] (positive = mark), `sample` the absolute input index.
    public mutating func process(
        _ input: UnsafeBufferPointer<Float>,
        _ body: (_ slicer: Int, _ soft: Float, _ sample: Int) -> Void
    ) {
        process(input) { (k: Int, softs: UnsafeBufferPointer<Float>, samples: UnsafeBufferPointer<Int>) in
            for i in softs.indices { body(k, softs[i], samples[i]) }
        }
    }

    /// Demodulates a block: `body(slicer, softs, samples)` once per slicer (in slicer order)
    /// with all of its sampling instants in the block, in time order.
    public mutating func process(
        _ input: UnsafeBufferPointer<Float>,
        _ body: (
            _ slicer: Int, _ softs: UnsafeBufferPointer<Float>,
            _ samples: UnsafeBufferPointer<Int>
        ) -> Void
    ) {
        let n = input.count
        guard n > 0 else { return }
        var amp = amplitudes
        amplitudes = []
        if amp.count < discs.windows.count * 2 * n { amp = [Float](repeating: 0, count: discs.windows.count * 2 * n) }
        amp.withUnsafeMutableBufferPointer { discs.process(input, into: $0) }
        amp.withUnsafeBufferPointer { lanes.run(amplitudes: $0, count: n, base: sampleCount, body) }
        amplitudes = amp
        sampleCount += n
    }
}
