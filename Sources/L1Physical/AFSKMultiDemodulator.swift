import Foundation

/// Several ``AFSKBitDemodulator``s (matched filters of different lengths, DPLLs of different
/// loop gains, each with the same fixed-gain slicers) run as one.
///
/// Demodulators with the same filter length share one discriminator, and all discriminators
/// share their mixing (``ToneDiscriminatorBank``); every slicer
/// bank (eight slicers as SIMD lanes) of every demodulator advances in one loop over the
/// samples, so the banks' long phase chains overlap. The sampling instants are handed out
/// after each block demodulator by demodulator, slicer by slicer, in time order — the order
/// of running the demodulators one after the other — so the bits are the same.
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
    private var banks: [AFSKSlicerBank]
    private let sources: [Int]          // discriminator of each bank
    private let slicerOffsets: [Int]    // first slicer number of each bank
    private var amplitudes: [Float] = []  // per discriminator: n mark values, then n space values

    /// - Parameters:
    ///   - signalling: Tones and bit rate.
    ///   - sampleRate: Input rate.
    ///   - gainsDB: Mark-over-space gains of the slicers in dB (each demodulator has all of them).
    ///   - windowsBits: Matched-filter length of each demodulator, in bits.
    ///   - loopGains: DPLL correction per transition of each demodulator.
    public init(signalling: FSKSignalling, sampleRate: Double, gainsDB: [Double], windowsBits: [Double],
                loopGains: [Double]) {
        let gains = gainsDB.map { Float(pow(10, $0 / 20)) }
        let count = min(windowsBits.count, loopGains.count)
        precondition(!gains.isEmpty && count > 0, "at least one slicer and one demodulator")
        slicersPerDemodulator = gains.count
        demodulators = count
        var windows: [Int] = [], windowBits: [Double] = []
        var discOf: [Int] = []
        for w in windowsBits.prefix(count) {
            let length = ToneDiscriminator(signalling: signalling, sampleRate: sampleRate, windowBits: w).window
            if let i = windows.firstIndex(of: length) { discOf.append(i) } else {
                discOf.append(windows.count)
                windows.append(length)
                windowBits.append(w)
            }
        }
        discs = ToneDiscriminatorBank(signalling: signalling, sampleRate: sampleRate, windowsBits: windowBits)
        var banks: [AFSKSlicerBank] = [], sources: [Int] = [], offsets: [Int] = []
        for j in 0..<count {
            for start in stride(from: 0, to: gains.count, by: 8) {
                banks.append(AFSKSlicerBank(gains: Array(gains[start..<min(gains.count, start + 8)]),
                                            samplesPerBit: sampleRate / signalling.baud, loopGain: loopGains[j]))
                sources.append(discOf[j])
                offsets.append(j * gains.count + start)
            }
        }
        self.banks = banks
        self.sources = sources
        slicerOffsets = offsets
    }

    /// Demodulates a block: `body(slicer, soft, sample)` once per sampling instant of every
    /// slicer, `soft` in [−1, 1] (positive = mark), `sample` the absolute input index.
    public mutating func process(_ input: UnsafeBufferPointer<Float>,
                                 _ body: (_ slicer: Int, _ soft: Float, _ sample: Int) -> Void) {
        process(input) { (k: Int, softs: UnsafeBufferPointer<Float>, samples: UnsafeBufferPointer<Int>) in
            for i in softs.indices { body(k, softs[i], samples[i]) }
        }
    }

    /// Demodulates a block: `body(slicer, softs, samples)` once per slicer (in slicer order)
    /// with all of its sampling instants in the block, in time order.
    public mutating func process(_ input: UnsafeBufferPointer<Float>,
                                 _ body: (_ slicer: Int, _ softs: UnsafeBufferPointer<Float>,
                                          _ samples: UnsafeBufferPointer<Int>) -> Void) {
        let n = input.count
        guard n > 0 else { return }
        var amp = amplitudes
        amplitudes = []
        if amp.count < discs.windows.count * 2 * n { amp = [Float](repeating: 0, count: discs.windows.count * 2 * n) }
        amp.withUnsafeMutableBufferPointer { discs.process(input, into: $0) }
        amp.withUnsafeBufferPointer { a in
            // Mark values of discriminator d start at 2·d·n, space values n later.
            Self.run(banks: &banks, sources: sources.map { 2 * $0 * n }, mark: a,
                     space: UnsafeBufferPointer(rebasing: a[n...]), count: n, stride: 1, base: sampleCount,
                     slicerOffsets: slicerOffsets, body)
        }
        amplitudes = amp
        sampleCount += n
    }

    /// Advances `banks` over `count` samples, bank `b` reading `mark[sources[b]·stride + i]` and
    /// `space[sources[b]·stride + i]`, then hands each lane's sampling instants (in time order)
    /// to `body` bank by bank, lane by lane, as slicer `slicerOffsets[b] + lane`.
    static func run(banks: inout [AFSKSlicerBank], sources: [Int], mark: UnsafeBufferPointer<Float>,
                    space: UnsafeBufferPointer<Float>, count n: Int, stride: Int, base: Int, slicerOffsets: [Int],
                    _ body: (_ slicer: Int, _ softs: UnsafeBufferPointer<Float>,
                             _ samples: UnsafeBufferPointer<Int>) -> Void) {
        let nb = banks.count
        guard n > 0, nb > 0, let mp = mark.baseAddress, let sp = space.baseAddress else { return }
        // Each bank keeps at most one record per sample: g·m − s (NaN: no sampling) and the offset.
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: nb * n) { softBuf in
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: nb * n) { offsetBuf in
                withUnsafeTemporaryAllocation(of: Int.self, capacity: nb * 3) { idx in
                    guard let softs = softBuf.baseAddress, let offsets = offsetBuf.baseAddress,
                          let ix = idx.baseAddress else { return }
                    // ix[b]: records used; ix[nb + b]: first record; ix[2nb + b]: amplitude offset.
                    for b in 0..<nb {
                        ix[b] = 0
                        ix[nb + b] = b * n
                        ix[2 * nb + b] = sources[b] * stride
                    }
                    banks.withUnsafeMutableBufferPointer { bk in
                        guard let bp = bk.baseAddress else { return }
                        var i = 0
                        while i < n {
                            var b = 0
                            while b < nb {
                                let src = ix[2 &* nb &+ b] &+ i
                                let (d, sampled) = bp[b].advance(mark: mp[src], space: sp[src])
                                let at = ix[nb &+ b] &+ ix[b]
                                softs[at] = d
                                offsets[at] = Int32(truncatingIfNeeded: i)
                                ix[b] &+= sampled ? 1 : 0
                                b &+= 1
                            }
                            i &+= 1
                        }
                    }
                    let raw = UnsafeRawPointer(softs)
                    let recordBytes = MemoryLayout<SIMD8<Float>>.stride, laneBytes = MemoryLayout<Float>.stride
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: n) { laneSoft in
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { laneSample in
                            guard let ls = laneSoft.baseAddress, let lt = laneSample.baseAddress else { return }
                            for b in 0..<nb {
                                let first = ix[nb + b], used = ix[b]
                                // Soft values of the whole records at once (NaN stays NaN), then
                                // each lane's sampled values compacted without a branch.
                                let src = ix[2 * nb + b]
                                let g = banks[b].gains
                                for e in first..<(first &+ used) {
                                    let i = Int(offsets[e])
                                    softs[e] = softs[e] / (g * mp[src &+ i] + SIMD8(repeating: sp[src &+ i])
                                        + SIMD8(repeating: 1e-9))
                                }
                                for lane in 0..<banks[b].count {
                                    var got = 0
                                    var e = first
                                    while e < first &+ used {
                                        let v = raw.load(fromByteOffset: e &* recordBytes &+ lane &* laneBytes,
                                                         as: Float.self)
                                        ls[got] = v
                                        lt[got] = base &+ Int(offsets[e])
                                        got &+= v.isNaN ? 0 : 1
                                        e &+= 1
                                    }
                                    body(slicerOffsets[b] + lane, UnsafeBufferPointer(start: ls, count: got),
                                         UnsafeBufferPointer(start: lt, count: got))
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
