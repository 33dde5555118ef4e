internal import CVectorKernels

/// Many fixed-gain slicers, each with its own bit-clock DPLL, packed eight to a `SIMD8<Float>`:
/// one pass over the tone amplitudes serves them all, with no lane left idle between
/// demodulators (25 slicers fill 4 vectors, where a vector per demodulator would take 5).
///
/// Slicer `j·gains.count + k` follows `gains[k]·mark − space` of demodulator `j` (whose tone
/// amplitudes come from discriminator `sources[j]`) exactly as
/// ``ClockRecovery/run(mark:space:gain:base:_:)`` does for one slicer: same operations in
/// the same order, so the same bits. Each half (four lanes) of a vector spans at most two
/// demodulators; its mark input is `gainA·markA + gainB·markB` (the gain is 0 in the lanes of
/// the other demodulator, so each lane's product is exact) and likewise for the space input.
///
///     var lanes = AFSKSlicerLanes(gains: [0.5, 1, 2], sources: [0, 0], loopGains: [0.3, 0.1],
///                                 samplesPerBit: 12.25)
///     lanes.run(amplitudes: a, count: n, base: 0) { slicer, softs, samples in … }
struct AFSKSlicerLanes: Sendable {
    /// Eight lanes: their constants and their loop state. Source A feeds the low half's lanes
    /// with gain in `gainA`, B the others of the low half (`gainB`); C and D the high half.
    struct Quad: Sendable {
        var gainA: SIMD8<Float>, gainB: SIMD8<Float>  // mark gains (0 in the other source's lanes)
        var selectA: SIMD8<Float>, selectB: SIMD8<Float>  // 1 in the lanes of each source, else 0
        var step: SIMD8<Float>  // 1 / samples per bit (0: unused lane)
        var loop: SIMD8<Float>
        var sources: SIMD4<Int>  // discriminators A, B, C, D
        var phase = SIMD8<Float>(repeating: 0)
        var previous = SIMD8<Float>(repeating: 0)
    }

    /// Which implementation of the loop over the samples runs: the portable Swift one, the
    /// AVX2 one in `CVectorKernels` (same bits) where the CPU has AVX2, or the AVX-512 one
    /// (sixteen lanes to a register, same bits) where it has AVX-512 too; the AVX-512 loop
    /// takes two or four vectors on up to four discriminators and hands anything else to AVX2.
    enum Kernel: Sendable { case portable, avx2, avx512 }

    /// Whether this CPU runs the AVX2 loop (and the records are laid out as it writes them).
    static let avx2Available: Bool =
        CPUFeatures.avx2
        && MemoryLayout<Quad>.stride == 288 && MemoryLayout<Quad>.offset(of: \Quad.sources) == 192
        && MemoryLayout<Quad>.offset(of: \Quad.phase) == 224 && MemoryLayout<Quad>.offset(of: \Quad.previous) == 256
        && MemoryLayout<Record>.offset(of: \Record.level) == 32
        && MemoryLayout<Record>.offset(of: \Record.sampled) == 64
        && MemoryLayout<Record>.offset(of: \Record.offset) == 96

    /// Whether this CPU runs the AVX-512 loop.
    static let avx512Available: Bool = avx2Available && CPUFeatures.avx512

    /// The fastest loop this CPU runs.
    static let bestKernel: Kernel = avx512Available ? .avx512 : avx2Available ? .avx2 : .portable

    /// Number of slicers.
    let count: Int
    /// The loop that runs (``Kernel/avx2`` and ``Kernel/avx512`` only where available).
    let kernel: Kernel
    private var quads: [Quad]
    /// What a vector leaves at a sample where one of its lanes sampled.
    struct Record: Sendable {
        var difference: SIMD8<Float>  // g·m − s
        var level: SIMD8<Float>  // g·m + s
        var sampled: SIMD8<Int32>  // all ones in the lanes that sampled
        var offset: Int  // sample index in the block
    }

    /// Per quad, its records of one block (`capacity` each).
    private var records: [Record] = []
    /// Per slicer, its soft values and sample indices of one block (`capacity` each).
    private var softs: [Float] = []
    private var samples: [Int] = []
    private var capacity = 0

    /// - Parameters:
    ///   - gains: Mark-tone gains (linear) of every demodulator's slicers.
    ///   - sources: The discriminator of each demodulator.
    ///   - loopGains: DPLL correction per transition, one per demodulator.
    ///   - samplesPerBit: Samples per bit period.
    ///   - kernel: The loop to run; AVX-512 falls back to AVX2, and AVX2 to the portable loop,
    ///     where the CPU lacks it.
    init(
        gains: [Float], sources: [Int], loopGains: [Double], samplesPerBit: Double,
        kernel: Kernel = bestKernel
    ) {
        switch kernel {
        case .avx512 where Self.avx512Available: self.kernel = .avx512
        case .avx512, .avx2: self.kernel = Self.avx2Available ? .avx2 : .portable
        case .portable: self.kernel = .portable
        }
        let g = gains.count, demods = min(sources.count, loopGains.count)
        precondition(g > 0 && demods > 0, "at least one slicer and one demodulator")
        count = g * demods
        let step = Float(1 / samplesPerBit)
        var quads: [Quad] = []
        for first in stride(from: 0, to: count, by: 8) {
            var q = Quad(
                gainA: .zero, gainB: .zero, selectA: .zero, selectB: .zero, step: .zero, loop: .zero,
                sources: .zero)
            for h in 0..<2 {
                let lo = min(count - 1, first + 4 * h), hi = min(count - 1, first + 4 * h + 3)
                let ja = lo / g
                q.sources[2 * h] = sources[ja]
                q.sources[2 * h + 1] = sources[hi / g]
                for lane in (4 * h)..<(4 * h + 4) where first + lane < count {
                    let slicer = first + lane, j = slicer / g
                    if j == ja {
                        q.gainA[lane] = gains[slicer % g]; q.selectA[lane] = 1
                    } else {
                        q.gainB[lane] = gains[slicer % g]; q.selectB[lane] = 1
                    }
                    q.step[lane] = step
                    q.loop[lane] = Float(loopGains[j])
                }
            }
            quads.append(q)
        }
        self.quads = quads
    }

    /// Advances every slicer over `n` samples of tone amplitudes (discriminator `d`'s mark
    /// values at `amplitudes[2·d·n + i]`, its space values `n` later), then calls
    /// `body(slicer, softs, samples)` once per slicer, in slicer order, with its sampling
    /// instants in time order: `soft = (g·m − s)/(g·m + s)` and the absolute sample index
    /// (`base + i`).
    mutating func run(
        amplitudes: UnsafeBufferPointer<Float>, count n: Int, base: Int,
        _ body: (
            _ slicer: Int, _ softs: UnsafeBufferPointer<Float>,
            _ samples: UnsafeBufferPointer<Int>
        ) -> Void
    ) {
        guard n > 0, let ap = amplitudes.baseAddress else { return }
        // A lane wraps at most once per sample.
        if capacity < n {
            capacity = n
            records = [Record](
                repeating: Record(difference: .zero, level: .zero, sampled: .zero, offset: 0),
                count: quads.count * n)
            softs = [Float](repeating: 0, count: (quads.count * 8) * n)
            samples = [Int](repeating: 0, count: (quads.count * 8) * n)
        }
        let cap = capacity, nq = quads.count
        var used = [Int](repeating: 0, count: nq)
        let kernel = self.kernel
        records.withUnsafeMutableBufferPointer { rb in
            quads.withUnsafeMutableBufferPointer { qb in
                used.withUnsafeMutableBufferPointer { ub in
                    guard let rp = rb.baseAddress, let qp = qb.baseAddress, let up = ub.baseAddress else { return }
                    let stride = MemoryLayout<Record>.stride
                    if kernel == .portable {
                        Self.advance(qp, quads: nq, ap, count: n, records: rp, capacity: cap, used: up)
                    } else if kernel == .avx2 || cvk_slicer_advance_avx512(qp, nq, ap, n, rp, stride, cap, up) == 0 {
                        // (The AVX-512 loop takes two or four vectors on up to four discriminators.)
                        cvk_slicer_advance_avx2(qp, nq, ap, n, rp, stride, cap, up)
                    }
                }
            }
        }
        // Each quad's records to its lanes' rows, in time order.
        var rows = [Int](repeating: 0, count: nq * 8)
        let laneBits = SIMD8<Int32>(1, 2, 4, 8, 16, 32, 64, 128)
        let differenceAt = MemoryLayout<Record>.offset(of: \Record.difference) ?? 0
        let levelAt = MemoryLayout<Record>.offset(of: \Record.level) ?? 0
        records.withUnsafeBufferPointer { rb in
            softs.withUnsafeMutableBufferPointer { sb in
                samples.withUnsafeMutableBufferPointer { tb in
                    rows.withUnsafeMutableBufferPointer { gb in
                        guard let rp = rb.baseAddress, let sp = sb.baseAddress, let tp = tb.baseAddress,
                            let got = gb.baseAddress
                        else { return }
                        for q in 0..<nq {
                            let row = q &* 8
                            var e = q &* cap
                            let end = e &+ used[q]
                            while e < end {
                                let r = UnsafeRawPointer(rp + e)
                                let sample = base &+ (rp + e).pointee.offset
                                var bits = Int(((rp + e).pointee.sampled & laneBits).wrappedSum())
                                while bits != 0 {
                                    let k = row &+ bits.trailingZeroBitCount
                                    let at = k &* cap &+ got[k]
                                    let lane = (k &- row) &* MemoryLayout<Float>.stride
                                    // The soft value (g·m − s)/(g·m + s + 1e-9), as ClockRecovery forms it.
                                    sp[at] =
                                        r.load(fromByteOffset: differenceAt &+ lane, as: Float.self)
                                        / (r.load(fromByteOffset: levelAt &+ lane, as: Float.self) + 1e-9)
                                    tp[at] = sample
                                    got[k] &+= 1
                                    bits &= bits &- 1
                                }
                                e &+= 1
                            }
                        }
                    }
                }
            }
        }
        softs.withUnsafeBufferPointer { sb in
            samples.withUnsafeBufferPointer { tb in
                for k in 0..<count {
                    body(
                        k, UnsafeBufferPointer(rebasing: sb[(k * cap)..<(k * cap + rows[k])]),
                        UnsafeBufferPointer(rebasing: tb[(k * cap)..<(k * cap + rows[k])]))
                }
            }
        }
    }

    /// One step of the loop of four lanes of `d = g·m − s`; returns the lanes that sampled.
    /// The same operations as the eight-lane loop in ``advance(_:quads:_:count:records:capacity:used:)``.
    @inline(__always)
    private static func track(
        _ d: SIMD4<Float>, phase: inout SIMD4<Float>, previous: inout SIMD4<Float>,
        step: SIMD4<Float>, loop: SIMD4<Float>
    ) -> SIMDMask<SIMD4<Int32>> {
        typealias V = SIMD4<Float>
        let half = V(repeating: 0.5), one = V(repeating: 1), zero = V(repeating: 0)
        let ph = phase + step
        let cross = (d .> zero) .^ (previous .> zero)
        let back = step * d / (d - previous)
        let err0 = ph - back - half
        let err = err0.replacing(with: err0 - one, where: err0 .> half)
            .replacing(with: err0 + one, where: err0 .< -half)
        let ph2 = ph.replacing(with: ph - loop * err, where: cross)
        let wrap = ph2 .>= one
        phase = ph2.replacing(with: zero, where: ph2 .< zero).replacing(with: ph2 - one, where: wrap)
        previous = d
        return wrap
    }

    /// The loop over the samples: every quad advances one sample, and keeps a record when one
    /// of its lanes sampled. A last quad with at most four slicers runs as a `SIMD4`.
    private static func advance(
        _ qp: UnsafeMutablePointer<Quad>, quads nq: Int, _ ap: UnsafePointer<Float>,
        count n: Int, records: UnsafeMutablePointer<Record>, capacity cap: Int,
        used: UnsafeMutablePointer<Int>
    ) {
        // A last quad whose high half is idle (step 0 in all its lanes).
        let halfTail = nq > 0 && qp[nq - 1].step.highHalf == .zero
        let full = halfTail ? nq - 1 : nq
        let half = SIMD8<Float>(repeating: 0.5), one = SIMD8<Float>(repeating: 1), zero = SIMD8<Float>(repeating: 0)
        // Where each quad's four sources start: mark values, space values `n` later.
        withUnsafeTemporaryAllocation(of: SIMD4<Int>.self, capacity: nq) { ob in
            guard let op = ob.baseAddress else { return }
            for q in 0..<nq { op[q] = qp[q].sources &* (2 &* n) }
            var i = 0
            while i < n {
                var q = 0
                let row = ap + i
                while q < full {
                    let c = qp + q
                    let o = op[q]
                    let ma = SIMD4<Float>(repeating: row[o[0]]), mb = SIMD4<Float>(repeating: row[o[1]])
                    let mc = SIMD4<Float>(repeating: row[o[2]]), md = SIMD4<Float>(repeating: row[o[3]])
                    let sa = SIMD4<Float>(repeating: row[o[0] &+ n]), sb = SIMD4<Float>(repeating: row[o[1] &+ n])
                    let sc = SIMD4<Float>(repeating: row[o[2] &+ n]), sd = SIMD4<Float>(repeating: row[o[3] &+ n])
                    let a =
                        c.pointee.gainA * SIMD8(lowHalf: ma, highHalf: mc) + c.pointee.gainB
                        * SIMD8(lowHalf: mb, highHalf: md)
                    let b =
                        c.pointee.selectA * SIMD8(lowHalf: sa, highHalf: sc)
                        + c.pointee.selectB * SIMD8(lowHalf: sb, highHalf: sd)
                    let d = a - b
                    // Crossing at fraction prev/(prev−d) of the last step; ideal phase 0.5. The
                    // error is folded into (−0.5, 0.5] and the phase wrapped or clamped with both
                    // candidates formed side by side (same values as ClockRecovery's if/else chain).
                    let step = c.pointee.step, previous = c.pointee.previous
                    let ph = c.pointee.phase + step
                    let cross = (d .> zero) .^ (previous .> zero)
                    let back = step * d / (d - previous)
                    let err0 = ph - back - half
                    let err = err0.replacing(with: err0 - one, where: err0 .> half)
                        .replacing(with: err0 + one, where: err0 .< -half)
                    let ph2 = ph.replacing(with: ph - c.pointee.loop * err, where: cross)
                    let wrap = ph2 .>= one
                    c.pointee.phase = ph2.replacing(with: zero, where: ph2 .< zero).replacing(
                        with: ph2 - one, where: wrap)
                    c.pointee.previous = d
                    // A record every sample, kept (the count moves on) only if a lane sampled.
                    let w = unsafeBitCast(wrap, to: SIMD8<Int32>.self)
                    let h = w.lowHalf | w.highHalf
                    let any = h.lowHalf | h.highHalf
                    let at = q &* cap &+ used[q]
                    records[at] = Record(difference: d, level: a + b, sampled: w, offset: i)
                    used[q] &+= (any[0] | any[1]) != 0 ? 1 : 0
                    q &+= 1
                }
                if halfTail {
                    let c = qp + q
                    let o = op[q]
                    let a = c.pointee.gainA.lowHalf * row[o[0]] + c.pointee.gainB.lowHalf * row[o[1]]
                    let b = c.pointee.selectA.lowHalf * row[o[0] &+ n] + c.pointee.selectB.lowHalf * row[o[1] &+ n]
                    let d = a - b
                    var phase = c.pointee.phase.lowHalf, previous = c.pointee.previous.lowHalf
                    let wrap = track(
                        d, phase: &phase, previous: &previous, step: c.pointee.step.lowHalf,
                        loop: c.pointee.loop.lowHalf)
                    c.pointee.phase.lowHalf = phase
                    c.pointee.previous.lowHalf = previous
                    let w = unsafeBitCast(wrap, to: SIMD4<Int32>.self)
                    let any = w.lowHalf | w.highHalf
                    let at = q &* cap &+ used[q]
                    records[at] = Record(
                        difference: SIMD8(lowHalf: d, highHalf: .zero),
                        level: SIMD8(lowHalf: a + b, highHalf: .zero),
                        sampled: SIMD8(lowHalf: w, highHalf: .zero), offset: i)
                    used[q] &+= (any[0] | any[1]) != 0 ? 1 : 0
                }
                i &+= 1
            }
        }
    }
}
