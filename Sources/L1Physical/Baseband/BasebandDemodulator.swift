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
        /// Slicer thresholds as fractions of the half swing from the middle.
        public var thresholds: [Float] = [-0.2, 0, 0.2]
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
    public var slicerCount: Int { filters.count * thresholds.count * loopGains.count }
    /// Samples consumed so far.
    public private(set) var sampleCount = 0

    private let thresholds: [Float]
    private let loopGains: [Float]
    private let step: Float
    private let attack: Float
    private let decay: Float
    /// Per filter: its taps, a history ring twice its length, the AGC's peak and valley.
    private var filters: [Filter]
    private var slicers: [Slicer]
    private var softs: [[Float]]
    private var instants: [[Int]]

    fileprivate struct Filter: Sendable {
        var taps: [Float]
        var ring: [Float]
        var head = 0
        var peak: Float = 0
        var valley: Float = 0
    }

    fileprivate struct Slicer: Sendable {
        var phase: Float = 0
        var previous: Float = 0
        var descrambler = G3RUHScrambler()
    }

    /// A receiver for `baud` bits per second at `sampleRate` (at least 4 samples per bit).
    public init(baud: Double, sampleRate: Double, options: Options = Options()) {
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
        filters = options.cutoffs.map { c in
            let taps = Self.lowPass(cutoff: c * baud / sampleRate, length: length)
            return Filter(taps: taps, ring: [Float](repeating: 0, count: 2 * length))
        }
        let count = options.cutoffs.count * options.thresholds.count * options.loopGains.count
        slicers = Array(repeating: Slicer(), count: count)
        softs = Array(repeating: [], count: count)
        instants = Array(repeating: [], count: count)
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
        for k in softs.indices {
            softs[k].removeAll(keepingCapacity: true)
            instants[k].removeAll(keepingCapacity: true)
        }
        let perFilter = thresholds.count * loopGains.count
        for i in input.indices {
            let x = input[i]
            let n = sampleCount + i
            for f in filters.indices {
                let y = filters[f].push(x)
                if y > filters[f].peak {
                    filters[f].peak += attack * (y - filters[f].peak)
                } else {
                    filters[f].peak += decay * (y - filters[f].peak)
                }
                if y < filters[f].valley {
                    filters[f].valley += attack * (y - filters[f].valley)
                } else {
                    filters[f].valley += decay * (y - filters[f].valley)
                }
                let half = max(1e-6, (filters[f].peak - filters[f].valley) / 2)
                let middle = (filters[f].peak + filters[f].valley) / 2
                let scaled = (y - middle) / half
                for t in thresholds.indices {
                    let v = scaled - thresholds[t]
                    for g in loopGains.indices {
                        let k = f * perFilter + t * loopGains.count + g
                        if let soft = slicers[k].advance(v, step: step, gain: loopGains[g]) {
                            softs[k].append(soft)
                            instants[k].append(n)
                        }
                    }
                }
            }
        }
        sampleCount += input.count
        for k in softs.indices {
            softs[k].withUnsafeBufferPointer { s in
                instants[k].withUnsafeBufferPointer { body(k, s, $0) }
            }
        }
    }
}

extension BasebandDemodulator.Filter {
    /// Pushes one sample; returns the filter's output.
    @inline(__always)
    mutating func push(_ x: Float) -> Float {
        let length = taps.count
        ring[head] = x
        ring[head + length] = x
        head += 1
        if head == length { head = 0 }
        var acc: Float = 0
        // ring[head ..< head + length] is oldest to newest.
        for j in 0..<length { acc += taps[j] * ring[head + j] }
        return acc
    }
}

extension BasebandDemodulator.Slicer {
    /// One sample `v` (the filtered signal minus this slicer's threshold, in half swings);
    /// returns the descrambled soft bit when a bit centre passed.
    @inline(__always)
    mutating func advance(_ v: Float, step: Float, gain: Float) -> Float? {
        var out: Float?
        var p = phase + step
        if p >= 0.5 {
            // The bit centre lay `back` samples before this one.
            let back = (p - 0.5) / step
            let value = v + (previous - v) * back
            let line = value > 0
            let bit = descrambler.descramble(line)
            out = bit == line ? value : -value
            p -= 1
        }
        if (v > 0) != (previous > 0) {
            let d = previous - v
            let f = d == 0 ? 0.5 : previous / d  // crossing, as a fraction of the way from the previous sample
            var at = p - (1 - f) * step
            if at < -0.5 { at += 1 }
            p -= gain * at
        }
        previous = v
        phase = p
        return out
    }
}
