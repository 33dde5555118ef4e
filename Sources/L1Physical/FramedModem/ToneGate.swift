#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A cheap detector of which modes' tones stand above the noise, block by block.
///
/// One Goertzel filter per distinct tone of every mode listened for (modes share tones:
/// 1200, 2400, 4800 Hz …) plus a few reference frequencies spread over the band, all run
/// side by side over short blocks. The noise reference of a block is the lower quartile of
/// the energies of all its filters, so neither a loud narrow-band interferer (hum, a whistle)
/// nor a mode whose tones cover most of the band raises it, and coloured noise raises it only
/// as much as it covers the band. A mode is *present* while
/// the energy of its tones, averaged over a short window, stands above that reference by a
/// margin set for a false-alarm rate of about one in a million windows of white noise, and
/// (so that a mode whose tones only catch the skirts of another's stays shut) enough of its
/// tones each carry a fair part of it. A mode of more than two tones is also present while
/// its two extreme tones alone stand out, as they do in its preamble.
///
/// Silence (every sample of a block within ±3 steps of 16-bit audio, −81 dBFS: digital
/// silence, dither, a quiet input) costs one comparison a sample.
///
///     let gate = ToneGate(modes: [.bell202, .fsk1200], sampleRate: 48000)
///     samples.withUnsafeBufferPointer { gate.analyse($0) }   // a whole number of blocks
///     gate.present                                       // [Bool], one per mode
///
/// The gate is a front end for the demodulators, not a detector of frames: it must open
/// well below the level at which a demodulator can find a frame, and it is allowed to open
/// on noise now and then (that only costs the demodulator's time).
///
/// - Complexity: O(filters) multiply-adds per sample, filters ≈ distinct tones + 8.
public struct ToneGate: Sendable {
    /// Samples per analysis block (about 4 ms).
    public let blockLength: Int
    /// Blocks averaged before deciding (about 48 ms).
    public let windowBlocks: Int
    /// The modes watched, in the order of ``present``.
    public let modes: [Mode]
    /// Whether each mode's tones stand above the noise in the latest window.
    public private(set) var present: [Bool]
    /// Each mode's latest window statistic divided by its threshold (≥ 1 means present).
    public private(set) var strength: [Double]
    /// The peak level below which a block is silence: 3 steps of 16-bit audio.
    public static let silence: Float = 3.0 / 32768
    /// Blocks analysed so far.
    public private(set) var blocks = 0

    /// The filters' frequencies in Hz (tones first, then the references).
    let frequencies: [Double]
    /// Filters padded to a multiple of 8, as SIMD lanes.
    let vectorCount: Int
    let coefficients: [SIMD8<Float>]
    var state1: [SIMD8<Float>]
    var state2: [SIMD8<Float>]
    /// Energy of each filter in the latest block.
    var energies: [Float]
    /// For each mode, the indices of its filters.
    let modeFilters: [[Int]]
    /// Per filter: a ring of its last `windowBlocks` energies over the block's reference, and their sum.
    var history: [Double]
    var windowSum: [Double]
    /// Per mode: how many of its tones must each carry a share of its energy.
    let required: [Int]
    /// Per mode, per number of blocks in the window so far (1…`windowBlocks`): the window
    /// statistic's threshold (a window still filling, at the start or after ``reset()``, decides
    /// with a higher one, so short recordings are heard too).
    let thresholds: [[Double]]
    /// Per mode of more than two tones: its lowest and highest tone's filters, which carry its
    /// preamble (it alternates the extreme symbols) — nil for two tones or baseband.
    let extremes: [(Int, Int)?]
    /// The threshold of a pair of tones, per number of blocks in the window.
    let pairThresholds: [Double]
    /// Blocks a window needs before any decision.
    static let minimumBlocks = 4
    /// The expected reference (lower quartile of Exp(1) energies) over the mean: −ln 0.75.
    static let referenceScale = -log(0.75)
    /// Scratch for the reference.
    var scratch: [Float]

    /// A gate for `modes` at `sampleRate`.
    /// - Parameters:
    ///   - modes: the modes watched; a baseband mode is watched on 300, 600, 900 and 1200 Hz
    ///     (where line-coded levels at 1200 bit/s put their energy).
    ///   - sampleRate: input samples per second.
    ///   - blockSeconds: analysis block length; the tones of one mode are summed, so
    ///     resolving them is not needed.
    ///   - windowSeconds: how long a mode's energy is averaged before a decision.
    ///   - requiredTones: how many of a mode's tones must each carry a fair part of its energy
    ///     (at least an eighth of an even share); nil: every tone of a mode of up to four,
    ///     half of a larger one. One suits signals whose tones may differ in level by 20 dB
    ///     (AFSK through a radio's de-emphasis).
    public init(
        modes: [Mode], sampleRate: Double, blockSeconds: Double = 0.004, windowSeconds: Double = 0.048,
        requiredTones: Int? = nil
    ) {
        self.modes = modes
        blockLength = max(16, Int((sampleRate * blockSeconds).rounded()))
        windowBlocks = max(2, Int((windowSeconds / blockSeconds).rounded()))
        let nyquist = sampleRate / 2
        // Distinct tones, rounded to 1 Hz, inside the band.
        var tones: [Double] = []
        var perMode: [[Double]] = []
        for mode in modes {
            let own = (mode.isBaseband ? [300, 600, 900, 1200] : mode.tones).filter { $0 > 0 && $0 < nyquist * 0.98 }
            perMode.append(own)
            for f in own where !tones.contains(where: { abs($0 - f) < 1 }) { tones.append(f) }
        }
        // References: eight frequencies spread evenly over 300 Hz … 0.9 × Nyquist that sit
        // at least a quarter of the spacing away from every tone.
        var references: [Double] = []
        let low = 300.0, high = max(low + 100, nyquist * 0.9)
        let step = (high - low) / 8
        for i in 0..<8 {
            var f = low + step * (Double(i) + 0.5)
            if let near = tones.min(by: { abs($0 - f) < abs($1 - f) }), abs(near - f) < step / 4 {
                f += near <= f ? step / 4 : -step / 4
            }
            references.append(f)
        }
        frequencies = tones + references
        let filterCount = frequencies.count
        vectorCount = (filterCount + 7) / 8
        let all = tones + references
        coefficients = (0..<vectorCount).map { v in
            var c = SIMD8<Float>(repeating: 0)
            for lane in 0..<8 where v * 8 + lane < filterCount {
                c[lane] = Float(2 * cos(2 * Double.pi * all[v * 8 + lane] / sampleRate))
            }
            return c
        }
        state1 = [SIMD8<Float>](repeating: .zero, count: vectorCount)
        state2 = state1
        energies = [Float](repeating: 0, count: filterCount)
        scratch = energies
        modeFilters = perMode.map { own in own.map { f in tones.firstIndex { abs($0 - f) < 1 }! } }
        present = [Bool](repeating: false, count: modes.count)
        strength = [Double](repeating: 0, count: modes.count)
        history = [Double](repeating: 0, count: filterCount * windowBlocks)
        windowSum = [Double](repeating: 0, count: filterCount)
        // A mode of up to four tones sends each of them within a window (its preamble and
        // scrambled data see to it); a mode of more tones, at least half of them.
        extremes = zip(modes, perMode).map { mode, own in
            guard !mode.isBaseband, own.count > 2, let lo = own.min(), let hi = own.max() else { return nil }
            return (tones.firstIndex { abs($0 - lo) < 1 }!, tones.firstIndex { abs($0 - hi) < 1 }!)
        }
        required = modeFilters.map { filters in
            min(filters.count, requiredTones ?? (filters.count <= 4 ? filters.count : (filters.count + 1) / 2))
        }
        // Under white noise each filter's energy over the reference (the lower quartile of all
        // F of them) is about Exp(1)/0.288; a mode's window sums n·L of them, each block's over
        // its own reference. Relative variance of a block's statistic: 1/n from the filters,
        // about 4/F from the quartile (n and F count filters closer than a filter's width once). Threshold: mean + 8 standard deviations of the window.
        // Tones closer than one and a half filter widths share their noise: count them once.
        let width = 1.5 * sampleRate / Double(blockLength)
        func independent(_ frequencies: [Double]) -> Int {
            var count = 0
            var last = -Double.infinity
            for f in frequencies.sorted() where f - last >= width {
                count += 1
                last = f
            }
            return max(1, count)
        }
        let quartileVariance = 4 / Double(independent(tones + references))
        func threshold(_ n: Int, independent k: Int, blocks: Int) -> Double {
            Double(n) / Self.referenceScale
                * (1 + 8 * ((1 / Double(k) + quartileVariance) / Double(blocks)).squareRoot())
        }
        let fills = 1...windowBlocks
        thresholds = perMode.map { own in
            fills.map { threshold(max(1, own.count), independent: independent(own), blocks: $0) }
        }
        pairThresholds = fills.map { threshold(2, independent: 2, blocks: $0) }
    }

    /// Analyses `samples`, a whole number of blocks (``blockLength`` each).
    public mutating func analyse(_ samples: UnsafeBufferPointer<Float>) {
        guard let base = samples.baseAddress else { return }
        var start = 0
        while start + blockLength <= samples.count {
            analyseBlock(base + start)
            start += blockLength
        }
    }

    /// Whether any mode is present.
    public var anyPresent: Bool { present.contains(true) }

    /// Forgets the window (after a stretch the gate did not see): decisions resume once a
    /// whole window has been analysed again.
    public mutating func reset() {
        for i in history.indices { history[i] = 0 }
        for i in windowSum.indices { windowSum[i] = 0 }
        for m in present.indices {
            present[m] = false
            strength[m] = 0
        }
        blocks = 0
    }

    mutating func analyseBlock(_ x: UnsafePointer<Float>) {
        let n = blockLength
        var peak: Float = 0
        for i in 0..<n { peak = max(peak, abs(x[i])) }
        blocks += 1
        if !(peak > Self.silence) {  // silence (or NaN): nothing stands above anything
            for f in 0..<energies.count { energies[f] = 0 }
            record(reference: 1)
            return
        }
        let vc = vectorCount
        // Each block starts every filter from rest; `state1`/`state2` receive the final states.
        state1.withUnsafeMutableBufferPointer { s1 in
            state2.withUnsafeMutableBufferPointer { s2 in
                coefficients.withUnsafeBufferPointer { c in
                    Self.run(x, count: n, vectors: vc, coefficients: c, s1: s1, s2: s2)
                }
            }
        }
        let s1 = state1, s2 = state2
        let c = coefficients
        let count = energies.count
        for f in 0..<count {
            let a = s1[f >> 3][f & 7], b = s2[f >> 3][f & 7], cf = c[f >> 3][f & 7]
            energies[f] = a * a + b * b - cf * a * b
        }
        // The lower quartile of all filters: the noise reference. (A quartile, not the median,
        // so that a mode of many tones, lit over most of the band, does not raise it.)
        for f in 0..<count { scratch[f] = energies[f] }
        let reference = scratch.withUnsafeMutableBufferPointer { Self.select(count / 4, in: $0) }
        record(reference: max(Double(reference), Double(Float.leastNormalMagnitude)))
    }

    /// The `k`-th smallest value of `a` (which it reorders): Hoare's selection.
    static func select(_ k: Int, in a: UnsafeMutableBufferPointer<Float>) -> Float {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j {
                hi = j
            } else if k >= i {
                lo = i
            } else {
                return a[k]
            }
        }
        return a[k]
    }

    /// The Goertzel recursions of every filter over one block, from rest; the final states go
    /// to `s1` and `s2`.
    @inline(__always) static func run(
        _ x: UnsafePointer<Float>, count n: Int, vectors vc: Int, coefficients c: UnsafeBufferPointer<SIMD8<Float>>,
        s1: UnsafeMutableBufferPointer<SIMD8<Float>>, s2: UnsafeMutableBufferPointer<SIMD8<Float>>
    ) {
        // Four vectors at a time keep four independent dependency chains in flight.
        var v = 0
        while v + 4 <= vc {
            let c0 = c[v], c1 = c[v + 1], c2 = c[v + 2], c3 = c[v + 3]
            var a1 = SIMD8<Float>.zero, a2 = a1, b1 = a1, b2 = a1, d1 = a1, d2 = a1, e1 = a1, e2 = a1
            for i in 0..<n {
                let xs = SIMD8<Float>(repeating: x[i])
                let a0 = xs + c0 * a1 - a2
                a2 = a1
                a1 = a0
                let b0 = xs + c1 * b1 - b2
                b2 = b1
                b1 = b0
                let d0 = xs + c2 * d1 - d2
                d2 = d1
                d1 = d0
                let e0 = xs + c3 * e1 - e2
                e2 = e1
                e1 = e0
            }
            s1[v] = a1; s2[v] = a2; s1[v + 1] = b1; s2[v + 1] = b2
            s1[v + 2] = d1; s2[v + 2] = d2; s1[v + 3] = e1; s2[v + 3] = e2
            v += 4
        }
        while v < vc {
            let c0 = c[v]
            var a1 = SIMD8<Float>.zero, a2 = a1
            for i in 0..<n {
                let a0 = SIMD8<Float>(repeating: x[i]) + c0 * a1 - a2
                a2 = a1
                a1 = a0
            }
            s1[v] = a1
            s2[v] = a2
            v += 1
        }
    }

    /// Adds one block's filter energies (over `reference`) to the window and updates the decisions.
    mutating func record(reference: Double) {
        let window = windowBlocks
        let slot = (blocks - 1) % window
        let rebuild = slot == 0 && blocks % 1024 == 1  // now and then, shed rounding
        for f in 0..<energies.count {
            let value = min(Double(energies[f]) / reference, 1e6)
            let index = f * window + slot
            windowSum[f] += value - history[index]
            history[index] = value
            if rebuild { windowSum[f] = (0..<window).reduce(0) { $0 + history[f * window + $1] } }
        }
        let count = min(blocks, window)
        let filled = Double(count)
        let decide = count >= Self.minimumBlocks
        for m in 0..<modes.count {
            let filters = modeFilters[m]
            var total = 0.0
            for f in filters { total += windowSum[f] }
            // Tones that carry at least an eighth of their fair share: a mode whose tones only
            // catch the skirt of another mode's strong tone has one or two, not all of them.
            let share = total / Double(8 * max(1, filters.count))
            var lit = 0
            for f in filters where windowSum[f] >= share { lit += 1 }
            strength[m] = decide ? total / filled / thresholds[m][count - 1] : 0
            present[m] = strength[m] >= 1 && lit >= required[m]
            // A preamble: the two extreme tones, in turn, each with a fair part of their energy.
            if !present[m], decide, let (lo, hi) = extremes[m] {
                let pair = windowSum[lo] + windowSum[hi]
                let pairStrength = pair / filled / pairThresholds[count - 1]
                if pairStrength >= 1 && min(windowSum[lo], windowSum[hi]) >= pair / 16 {
                    present[m] = true
                    strength[m] = max(strength[m], pairStrength)
                }
            }
        }
    }
}
