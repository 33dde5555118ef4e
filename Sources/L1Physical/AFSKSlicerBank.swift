/// Up to eight fixed-gain slicers, each with its own bit-clock DPLL, run as the lanes of one
/// `SIMD8<Float>`: one pass over the tone amplitudes serves them all.
///
/// Lane `k` follows `gains[k]·mark − space` exactly as ``ClockRecovery/run(mark:space:gain:base:_:)``
/// does for one slicer (same operations in the same order, so the same bits). The update has
/// no data-dependent branch; its loop-carried chain (the phase) is long, so callers run several
/// banks side by side in one loop (``AFSKMultiDemodulator``) to keep the core busy.
///
///     var bank = AFSKSlicerBank(gains: [0.5, 1, 2], samplesPerBit: 10, loopGain: 0.3)
///     let (d, sampled) = bank.advance(mark: m, space: s)   // d[k] is NaN unless lane k sampled
///     let soft = d[k] / (bank.gain(k) * m + s + 1e-9)
public struct AFSKSlicerBank: Sendable {
    /// Number of slicers in use (1…8).
    public let count: Int
    /// Mark-tone gains, one per lane (1 in the unused lanes).
    public let gains: SIMD8<Float>
    private let step: SIMD8<Float>
    private let loop: SIMD8<Float>
    /// All ones in the lanes beyond `count`.
    private let inactive: SIMDMask<SIMD8<Int32>>
    private var phase = SIMD8<Float>(repeating: 0)
    private var previous = SIMD8<Float>(repeating: 0)

    /// The mark gain of lane `k`.
    public func gain(_ k: Int) -> Float { gains[k] }

    /// - Parameters:
    ///   - gains: Mark-tone gains (linear), one per slicer, at most eight.
    ///   - samplesPerBit: Samples per bit period.
    ///   - loopGain: DPLL correction per transition (0–1).
    public init(gains: [Float], samplesPerBit: Double, loopGain: Double) {
        precondition(!gains.isEmpty && gains.count <= 8, "1–8 slicers per bank")
        count = gains.count
        var g = SIMD8<Float>(repeating: 1)
        for (k, v) in gains.enumerated() { g[k] = v }
        self.gains = g
        step = SIMD8(repeating: Float(1 / samplesPerBit))
        loop = SIMD8(repeating: Float(loopGain))
        inactive = SIMD8<Int32>(0, 1, 2, 3, 4, 5, 6, 7) .>= SIMD8<Int32>(repeating: Int32(gains.count))
    }

    /// Advances every lane by one sample of the tone amplitudes. Returns `g·m − s` of the lanes
    /// that reached a sampling instant (NaN in the others; the caller divides by `g·m + s + 1e-9`
    /// for the soft value, which only the sampled lanes need) and whether any lane sampled.
    @inline(__always)
    public mutating func advance(mark m: Float, space s: Float) -> (difference: SIMD8<Float>, sampled: Bool) {
        let half = SIMD8<Float>(repeating: 0.5), one = SIMD8<Float>(repeating: 1)
        let zero = SIMD8<Float>(repeating: 0)
        let b = SIMD8<Float>(repeating: s)
        let a = gains * m
        let d = a - b
        let ph = phase + step
        let cross = (d .> zero) .^ (previous .> zero)
        // Crossing at fraction prev/(prev−d) of the last step; ideal phase 0.5. The error is
        // folded into (−0.5, 0.5] and the phase wrapped or clamped with both candidates formed
        // side by side (same values as the if/else chain, shorter dependency chain).
        let back = step * d / (d - previous)
        let err0 = ph - back - half
        let err = err0.replacing(with: err0 - one, where: err0 .> half)
            .replacing(with: err0 + one, where: err0 .< -half)
        let ph2 = ph.replacing(with: ph - loop * err, where: cross)
        let wrap = ph2 .>= one
        let ph3 = ph2.replacing(with: zero, where: ph2 .< zero).replacing(with: ph2 - one, where: wrap)
        phase = ph3
        previous = d
        return (d.replacing(with: .nan, where: .!wrap .| inactive), Self.anyLane(wrap))
    }

    /// `any(mask)` without the generic reduction call.
    @inline(__always)
    static func anyLane(_ mask: SIMDMask<SIMD8<Int32>>) -> Bool {
        let v = unsafeBitCast(mask, to: SIMD8<Int32>.self)
        let h = v.lowHalf | v.highHalf
        let q = h.lowHalf | h.highHalf
        return (q[0] | q[1]) != 0
    }
}
