#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streaming non-coherent FSK demodulator and frame finder.
///
/// Feed it blocks of samples from anywhere in a recording; it returns the frames
/// it finds as they complete, in the order they were sent.
///
/// ```
///  samples ─► mix with each tone, sum over D samples ─► cumulative sums S_k (ring)
///                                                         │
///            window energy |S_k(t+W) − S_k(t)|² at any fractional t (matched filter)
///                 │                                   │
///   sync search: soft (E_top − E_0)/(E_top + E_0)     frame trackers: symbol decisions,
///   correlated with preamble tail + sync word          Gardner timing loop (2nd order),
///   at every sub-symbol offset, peak → new tracker     header ×3 soft-combined, CRC checks
/// ```
///
///     var demod = try Demodulator(mode: .named("fsk1200")!, sampleRate: 48000)
///     var frames = demod.process(block)    // any number of times
///     frames += demod.finish()
///
/// - Complexity: O(tones) multiply-adds per input sample, plus O(1) per sub-symbol step.
public final class Demodulator {
    /// Tuning of the receiver; the defaults suit every built-in mode.
    public struct Options: Sendable {
        /// Line code; the mode's default when nil.
        public var lineCode: LineCode?
        /// Fraction of the sync pattern's full correlation that declares a frame.
        public var syncThreshold: Float = 0.62
        /// The same for the inverted sync word of a coded frame (``FECScheme``), whose header
        /// and payload are read at signal-to-noise ratios where the correlation is lower; the
        /// coded header's own checks throw out what noise starts.
        public var codedSyncThreshold: Float = 0.35
        /// Report sync words whose header fails (only for strong syncs).
        public var reportHeaderErrors = true
        /// An uncoded frame whose CRC-32 fails: flip up to this many of its
        /// ``Demodulator/Options/repairCandidates`` least reliable bits (the smallest soft
        /// values) until the CRC holds; 0 turns repair off. Frames up to 367 bytes only (see
        /// the README's CRC repair).
        public var repairBits = 2
        /// How many of the least reliable bits the repair tries flipping.
        public var repairCandidates = 12
        /// Remove a DC offset block by block (off for baseband).
        public var removeDC = true
        /// The default options.
        public init() {}
    }

    /// The mode listened for.
    public let mode: Mode
    /// The line code decoded (the option's, or the mode's default).
    public let lineCode: LineCode
    /// Input samples per second.
    public let sampleRate: Double
    /// The options in force.
    public let options: Options

    // Geometry.
    let samplesPerSymbol: Double
    let partialLength: Int  // D: samples per partial sum
    let windowPartials: Double  // W: partials per symbol
    static let blockPartials = 64
    var blockPartials: Int { Self.blockPartials }
    let blockLength: Int  // B = D * blockPartials
    let toneCount: Int
    let bitsPerSymbol: Int
    /// `mode.isBaseband`, kept as a plain flag: reading it through `mode` costs reference
    /// counting on the mode's arrays in the per-symbol path.
    let isBaseband: Bool

    /// Mixes each block down with every tone.
    let mixer: ToneMixer

    // Staging.
    var stage: [Float]
    var staged = 0
    var blockIndex = 0

    // Rings of cumulative sums at partial boundaries: tone k's ring starts at k << ringBits.
    let ringBits = 13
    let ringMask = (1 << 13) - 1
    let sumRe: UnsafeMutablePointer<Double>
    let sumIm: UnsafeMutablePointer<Double>
    let sumAbs: UnsafeMutablePointer<Double>  // baseband: cumulative |x|
    /// Boundaries 0...frontier are known.
    var frontier = 0

    // Sync search.
    let pattern: [Float]
    let patternOffsets: [Int]
    let soft: UnsafeMutablePointer<Float>  // ring: binary soft value of the window starting at boundary j
    var softReady = 0  // soft[j] valid for j < softReady
    let corr: UnsafeMutablePointer<Float>  // ring of correlations
    let corrInverted: UnsafeMutablePointer<Float>  // ring of correlations with the inverted sync word
    /// The pattern in segments of ``segmentSymbols``: each segment's correlation from each
    /// boundary, in rings (segment `s` starts at `s << ringBits`).
    let segmentCorr: UnsafeMutablePointer<Float>
    /// Segments ready: `segmentCorr` is valid below this boundary.
    var segmentReady = 0
    /// For each clock hypothesis, where each segment starts from the pattern's start, in partials.
    let segmentStarts: [[Int]]
    /// Each pattern symbol's offset from its segment's start, in partials: the whole pattern's
    /// offsets less the segment start's, so that the on-time hypothesis places every symbol
    /// exactly where one correlation over the whole pattern would (one rounding, not two).
    let segmentOffsets: [Int]
    /// The largest of ``segmentOffsets`` (worked out once: the search looks at it every block).
    let segmentReach: Int
    /// For each clock hypothesis, what it must win by (``clockPenalty`` per percent).
    let clockPenalties: [Float] = Demodulator.clockHypotheses.map { Float(abs($0) * 100) * Demodulator.clockPenalty }
    /// W when it is a whole number of partials (the fast path), else 0.
    let integerWidth: Int
    var nextCandidate = 0
    var peak: (j: Int, rank: Float, score: Float, inverted: Bool, until: Int, clock: Int)?
    /// Symbols per segment of the pattern: short enough that a 3 % clock error moves a
    /// segment's end by under a quarter symbol against its start.
    static let segmentSymbols = 8
    /// The sender's clock errors the sync search tries (tape, turntables and cheap recorders
    /// run a few percent off): the segments are placed as a clock that fast or slow would
    /// place them, and the best placement wins.
    static let clockHypotheses: [Double] = [0, -0.01, 0.01, -0.02, 0.02, -0.03, 0.03]
    /// What a hypothesis must win by per percent of clock error it assumes, so that where the
    /// correlation hardly changes with the clock (two-chip line codes, tones closer than the
    /// baud) an on-time frame does not get a tracker started off the sender's clock (a real
    /// 3 % error costs the on-time placement far more).
    static let clockPenalty: Float = 0.03
    /// How far from nominal a tracker lets the symbol length wander: the hypotheses' span plus
    /// room for wow and flutter.
    static let clockRange = 0.04
    let patternStartToSync: Int = PhysicalFrame.preambleSymbols - 8  // pattern = last 16 preamble + sync

    /// Expected |soft| of a clean extreme symbol: below 1 when the extreme tones are not
    /// orthogonal over one symbol (Bell 103, Manchester at twice the rate); soft values are
    /// divided by it so thresholds mean the same in every mode.
    let softScale: Float
    /// Squared cross-correlation of the extreme tones over one symbol (0 when orthogonal).
    let toneLeakage: Double

    /// Scratch for trackers: soft chips of the current and the mid-boundary window, tone energies.
    let softScratch: UnsafeMutablePointer<Float>
    let energyScratch: UnsafeMutablePointer<Double>
    /// Gray-decoded value of each tone index.
    let grayValue: [Int]

    var trackers: [FrameTracker] = []
    var done: [DecodedFrame] = []
    var lastSyncStart = -Double.infinity

    /// Symbols a peak opened by the inverted (coded) pattern is searched for its maximum.
    static let codedPeakSearchSymbols = 12

    /// `count` zeroed elements from calloc (freed with `free`).
    static func zeroed<T>(_ count: Int) -> UnsafeMutablePointer<T> {
        guard let raw = calloc(count, MemoryLayout<T>.stride) else { fatalError("out of memory") }
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// Samples per symbol, per partial sum and per block of a demodulator for `mode`, as its
    /// initialiser sets them, without building one (no tables, no buffers).
    static func geometry(
        mode: Mode, sampleRate: Double, lineCode: LineCode
    ) -> (samplesPerSymbol: Double, partialLength: Int, blockLength: Int) {
        let sps = sampleRate / mode.symbolRate(lineCode: lineCode)
        // About 5 partials per symbol (positions in between are interpolated); a multiple of
        // 4 samples when there is room, so the mixer runs four partials per SIMD vector.
        let d = sps >= 16 ? 4 * max(1, Int((sps / 20).rounded())) : max(1, Int((sps / 6).rounded()))
        return (sps, d, d * blockPartials)
    }

    /// A demodulator for `mode` at `sampleRate` samples per second.
    /// - Throws: ``PhysicalLayerError`` when the mode cannot be received at that rate with that line code
    ///   (for example a tone above the Nyquist frequency, or too few samples per symbol).
    public init(mode: Mode, sampleRate: Double, options: Options = Options()) throws(PhysicalLayerError) {
        let code = options.lineCode ?? mode.defaultLineCode
        try mode.validate(sampleRate: sampleRate, lineCode: code)
        self.mode = mode
        self.lineCode = code
        self.sampleRate = sampleRate
        var opts = options
        if mode.isBaseband { opts.removeDC = false }
        self.options = opts

        let geometry = Self.geometry(mode: mode, sampleRate: sampleRate, lineCode: code)
        let sps = geometry.samplesPerSymbol, d = geometry.partialLength
        let w = sps / Double(d)
        samplesPerSymbol = sps
        partialLength = d
        windowPartials = w
        blockLength = geometry.blockLength
        toneCount = mode.isBaseband ? 1 : mode.tones.count
        isBaseband = mode.isBaseband
        bitsPerSymbol = mode.bitsPerSymbol

        let freqs = mode.isBaseband ? [0.0] : mode.tones
        mixer = ToneMixer(frequencies: freqs, sampleRate: sampleRate, partialLength: d, partials: Self.blockPartials)
        stage = [Float](repeating: 0, count: blockLength)
        let ring = 1 << 13
        // The rings come from calloc: fresh zero pages, so a demodulator that runs briefly
        // (a mode whose gate opened for a moment) touches, and pays for, only what it uses.
        sumRe = Self.zeroed(ring * toneCount)
        sumIm = Self.zeroed(ring * toneCount)
        sumAbs = Self.zeroed(ring)
        soft = Self.zeroed(ring)
        corr = Self.zeroed(ring)
        corrInverted = Self.zeroed(ring)
        let segments = (PhysicalFrame.preambleSymbols - 8 + PhysicalFrame.syncSymbols) / Self.segmentSymbols
        segmentCorr = Self.zeroed(ring * segments)
        softScratch = .allocate(capacity: 2 * max(1, mode.bitsPerSymbol))
        softScratch.initialize(repeating: 0, count: 2 * max(1, mode.bitsPerSymbol))
        energyScratch = .allocate(capacity: max(2, toneCount))
        energyScratch.initialize(repeating: 0, count: max(2, toneCount))
        grayValue = (0..<max(2, toneCount)).map { $0.grayDecoded }
        integerWidth = abs(w - w.rounded()) < 1e-9 ? Int(w.rounded()) : 0

        // Correlation pattern: last 16 preamble symbols then the sync word; +1 = top tone.
        var p = [Float]()
        for i in 8..<PhysicalFrame.preambleSymbols { p.append(i % 2 == 0 ? 1 : -1) }
        for b in PhysicalFrame.syncBits { p.append(b == 1 ? 1 : -1) }
        pattern = p
        if let lo = freqs.first, let hi = freqs.last, !mode.isBaseband {
            // |mean of e^{i2π(hi−lo)m/fs}| over one symbol window.
            let n = Int(sps.rounded())
            var re = 0.0, im = 0.0
            for m in 0..<n {
                let ph = 2 * Double.pi * (hi - lo) * Double(m) / sampleRate
                re += cos(ph); im += sin(ph)
            }
            let rho2 = (re * re + im * im) / Double(n * n)
            softScale = Float(max(0.2, (1 - rho2) / (1 + rho2)))
            toneLeakage = mode.tones.count == 2 ? rho2 : 0
        } else {
            softScale = 1
            toneLeakage = 0
        }
        patternOffsets = (0..<p.count).map { Int((Double($0) * w).rounded()) }
        let offsets = patternOffsets
        segmentOffsets = offsets.indices.map { i in offsets[i] - offsets[i - i % Self.segmentSymbols] }
        segmentReach = segmentOffsets.max() ?? 0
        segmentStarts = Self.clockHypotheses.map { e in
            (0..<segments).map { Int((Double($0 * Self.segmentSymbols) * w * (1 + e)).rounded()) }
        }
    }

    deinit {
        free(sumRe); free(sumIm); free(sumAbs)
        free(soft); free(corr); free(corrInverted); free(segmentCorr)
        softScratch.deallocate(); energyScratch.deallocate()
    }

    /// Feeds samples; returns the frames completed so far, in order.
    public func process(_ samples: UnsafeBufferPointer<Float>) -> [DecodedFrame] {
        var i = 0
        guard let base = samples.baseAddress else { return drain(final: false) }
        while i < samples.count {
            if staged == 0 && samples.count - i >= blockLength {
                runBlock(base + i)
                i += blockLength
                continue
            }
            let n = min(blockLength - staged, samples.count - i)
            stage.withUnsafeMutableBufferPointer { st in
                for j in 0..<n { st[staged + j] = samples[i + j] }
            }
            staged += n
            i += n
            if staged == blockLength {
                stage.withUnsafeBufferPointer { if let p = $0.baseAddress { runBlock(p) } }
            }
        }
        return drain(final: false)
    }

    /// Convenience for arrays.
    public func process(_ samples: [Float]) -> [DecodedFrame] {
        samples.withUnsafeBufferPointer { process($0) }
    }

    /// Flushes the end of the recording; frames cut off by it come back `truncated`.
    public func finish() -> [DecodedFrame] {
        // Enough silence to let every tracker read its last symbols.
        let pad = [Float](repeating: 0, count: blockLength)
        var frames = [DecodedFrame]()
        if staged > 0 {
            frames += process(Array(pad[0..<(blockLength - staged)]))
        }
        for _ in 0..<2 { frames += process(pad) }
        for var t in trackers { if let f = t.truncatedFrame(demod: self) { done.append(f) } }
        trackers.removeAll()
        return frames + drain(final: true)
    }

    // MARK: - Block processing

    func runBlock(_ x: UnsafePointer<Float>) {
        let np = blockPartials, d = partialLength
        mixer.mix(x, start: blockIndex * blockLength, removeDC: options.removeDC)
        if toneCount == 2 {
            // Binary FSK: both tones' running sums in one vector, so the four chains of
            // additions overlap instead of running one after the other (the same sums).
            let sr0 = sumRe, si0 = sumIm, sr1 = sumRe + (1 << ringBits), si1 = sumIm + (1 << ringBits)
            let pr0 = mixer.outRe, pi0 = mixer.outIm, pr1 = mixer.outRe + np, pi1 = mixer.outIm + np
            let f = frontier & ringMask
            var acc = SIMD4<Double>(sr0[f], si0[f], sr1[f], si1[f])
            for p in 0..<np {
                acc += SIMD4<Double>(Double(pr0[p]), Double(pi0[p]), Double(pr1[p]), Double(pi1[p]))
                let j = (frontier &+ p &+ 1) & ringMask
                sr0[j] = acc[0]
                si0[j] = acc[1]
                sr1[j] = acc[2]
                si1[j] = acc[3]
            }
        } else {
            for k in 0..<toneCount {
                let sr = sumRe + (k << ringBits), si = sumIm + (k << ringBits)
                let pr = mixer.outRe + k * np, pi = mixer.outIm + k * np
                var accRe = sr[frontier & ringMask], accIm = si[frontier & ringMask]
                for p in 0..<np {
                    accRe += Double(pr[p])
                    accIm += Double(pi[p])
                    let j = (frontier + p + 1) & ringMask
                    sr[j] = accRe
                    si[j] = accIm
                }
            }
        }
        if isBaseband {
            var acc = sumAbs[frontier & ringMask]
            for p in 0..<np {
                var a: Float = 0
                for m in (p * d)..<((p + 1) * d) { a += abs(x[m]) }
                acc += Double(a)
                sumAbs[(frontier + p + 1) & ringMask] = acc
            }
        }
        frontier += blockPartials
        blockIndex += 1
        staged = 0
        advanceTrackers()
        updateSoft()
        searchSync()
    }

    // MARK: - Window energies

    /// Cumulative sum of tone `k` at fractional boundary position `t`.
    @inline(__always) func cumulative(_ k: Int, _ t: Double) -> (Double, Double) {
        let i = Int(t)  // t ≥ 0
        let f = t - Double(i)
        let a = i & ringMask, b = (i + 1) & ringMask
        let sr = sumRe + (k << ringBits), si = sumIm + (k << ringBits)
        let re = sr[a] + f * (sr[b] - sr[a])
        let im = si[a] + f * (si[b] - si[a])
        return (re, im)
    }

    /// Matched-filter energy of tone `k` over the window [t, t + W).
    @inline(__always) func energy(_ k: Int, at t: Double, width w: Double) -> Double {
        let (ar, ai) = cumulative(k, t)
        let (br, bi) = cumulative(k, t + w)
        let dr = br - ar, di = bi - ai
        return dr * dr + di * di
    }

    /// Matched-filter energy of tone `k` over [t, t + W) when the tone arrives `cycles` cycles
    /// per partial off its frequency (a sender's clock a few percent off moves a high tone by a
    /// good part of the tone spacing): the window is summed partial by partial, each piece
    /// turned back by the phase the offset gave it.
    @inline(__always) func energy(_ k: Int, at t: Double, width w: Double, cycles: Double) -> Double {
        var re = 0.0, im = 0.0
        var a = t
        let end = t + w
        while a < end {
            let b = Swift.min(end, a.rounded(.down) + 1)
            let (ar, ai) = cumulative(k, a)
            let (br, bi) = cumulative(k, b)
            let phase = -2 * Double.pi * cycles * ((a + b) / 2 - t)
            let c = cos(phase), s = sin(phase)
            let dr = br - ar, di = bi - ai
            re += dr * c - di * s
            im += dr * s + di * c
            a = b
        }
        return re * re + im * im
    }

    /// Both tones of a binary mode over [t, t + w): the fractional positions are worked out
    /// once for both. Returns the two energies.
    @inline(__always) func binaryEnergies(at t: Double, width w: Double) -> (Double, Double) {
        let u = t + w
        let ia = Int(t), ib = Int(u)  // positions are ≥ 0: truncation is floor, and no libm call
        let fa = t - Double(ia), fb = u - Double(ib)
        let a0 = ia & ringMask, a1 = (ia &+ 1) & ringMask, b0 = ib & ringMask, b1 = (ib &+ 1) & ringMask
        let r0 = sumRe, i0 = sumIm, r1 = sumRe + (1 << ringBits), i1 = sumIm + (1 << ringBits)
        let dr0 = (r0[b0] + fb * (r0[b1] - r0[b0])) - (r0[a0] + fa * (r0[a1] - r0[a0]))
        let di0 = (i0[b0] + fb * (i0[b1] - i0[b0])) - (i0[a0] + fa * (i0[a1] - i0[a0]))
        let dr1 = (r1[b0] + fb * (r1[b1] - r1[b0])) - (r1[a0] + fa * (r1[a1] - r1[a0]))
        let di1 = (i1[b0] + fb * (i1[b1] - i1[b0])) - (i1[a0] + fa * (i1[a1] - i1[a0]))
        return (dr0 * dr0 + di0 * di0, dr1 * dr1 + di1 * di1)
    }

    /// Baseband: normalised mean level over [t, t + W), in −1…1.
    @inline(__always) func basebandSoft(at t: Double, width w: Double) -> Float {
        let (a, _) = cumulative(0, t)
        let (b, _) = cumulative(0, t + w)
        let i0 = Int(t), i1 = Int(t + w)
        let f0 = t - Double(i0), f1 = t + w - Double(i1)
        let m0 = sumAbs[i0 & ringMask] + f0 * (sumAbs[(i0 + 1) & ringMask] - sumAbs[i0 & ringMask])
        let m1 = sumAbs[i1 & ringMask] + f1 * (sumAbs[(i1 + 1) & ringMask] - sumAbs[i1 & ringMask])
        let mag = m1 - m0
        return mag > 1e-12 ? Float((b - a) / mag) : 0
    }

    /// Soft value between the two extreme symbols (−1 = symbol 0, +1 = top symbol).
    @inline(__always) func extremeSoft(at t: Double, width w: Double) -> Float {
        if isBaseband { return basebandSoft(at: t, width: w) }
        let e0 = energy(0, at: t, width: w), e1 = energy(toneCount - 1, at: t, width: w)
        let s = e0 + e1
        return s > 1e-30 ? Float((e1 - e0) / s) / softScale : 0
    }

    // MARK: - Sync search

    func updateSoft() {
        // Inside a frame being tracked with a good signal no new frame can start:
        // skip the search up to where the tracker is.
        // Only a tracker that began with a clear sync counts: a weak false sync whose header
        // passed by chance (a CRC-8 does one time in 256) must not hide the frames after it.
        var furthest: Int?
        // By index: iterating the array would copy each tracker (and retain its arrays) every block.
        for i in trackers.indices where trackers[i].header != nil && trackers[i].hasSignal && trackers[i].score >= 0.85
        {
            furthest = Swift.max(furthest ?? Int.min, Int(trackers[i].t))
        }
        if let inside = furthest {
            let skipTo = inside - Int(windowPartials.rounded(.up))
            if skipTo > nextCandidate {
                nextCandidate = skipTo
                peak = nil
            }
            softReady = max(softReady, nextCandidate)
        }
        let w = windowPartials
        if integerWidth > 0, !isBaseband {
            let wi = integerWidth
            let hi = toneCount - 1
            let r0 = sumRe, i0 = sumIm, r1 = sumRe + (hi << ringBits), i1 = sumIm + (hi << ringBits)
            let mask = ringMask, scale = softScale
            while softReady + wi + 1 <= frontier {
                let a = softReady & mask, b = (softReady + wi) & mask
                let dr0 = r0[b] - r0[a], di0 = i0[b] - i0[a]
                let dr1 = r1[b] - r1[a], di1 = i1[b] - i1[a]
                let e0 = dr0 * dr0 + di0 * di0, e1 = dr1 * dr1 + di1 * di1
                let s = e0 + e1
                // Clamped: divided by the scale, a window straddling two symbols of a
                // non-orthogonal pair can pass ±1, and an off-clock placement of the pattern
                // must not outscore the on-time one for it.
                soft[a] = s > 1e-30 ? Swift.max(-1, Swift.min(1, Float((e1 - e0) / s) / scale)) : 0
                softReady += 1
            }
            return
        }
        while Double(softReady) + w + 1 <= Double(frontier) {
            soft[softReady & ringMask] = Swift.max(-1, Swift.min(1, extremeSoft(at: Double(softReady), width: w)))
            softReady += 1
        }
    }

    /// The segments' correlations with the soft values from every boundary that has them.
    func updateSegments() {
        let n = Self.segmentSymbols
        let segments = pattern.count / n
        let reach = segmentReach
        let mask = ringMask, sp = soft
        if segmentReady < nextCandidate { segmentReady = nextCandidate }
        pattern.withUnsafeBufferPointer { p in
            segmentOffsets.withUnsafeBufferPointer { o in
                while segmentReady + reach + 1 < softReady {
                    let j = segmentReady
                    for g in 0..<segments {
                        var c: Float = 0
                        for i in 0..<n { c += p[g * n + i] * sp[(j + o[g * n + i]) & mask] }
                        segmentCorr[(g << ringBits) + (j & mask)] = c
                    }
                    segmentReady += 1
                }
            }
        }
    }

    /// Correlation of the soft values from boundary `j` with the pattern, and with the pattern
    /// whose sync word is inverted (a coded frame), with the segments placed as clock
    /// hypothesis `h` places them.
    @inline(__always) func correlation(at j: Int, clock h: Int) -> (plain: Float, inverted: Float) {
        let split = (PhysicalFrame.preambleSymbols - 8) / Self.segmentSymbols
        var preamble: Float = 0, sync: Float = 0
        let mask = ringMask
        segmentStarts[h].withUnsafeBufferPointer { starts in
            for g in 0..<starts.count {
                let c = segmentCorr[(g << ringBits) + ((j + starts[g]) & mask)]
                if g < split { preamble += c } else { sync += c }
            }
        }
        let n = Float(pattern.count)
        return ((preamble + sync) / n, (preamble - sync) / n)
    }

    func searchSync() {
        updateSegments()
        guard let reach = segmentStarts.last?.last else { return }
        let w = Int(windowPartials.rounded(.up))
        let hypotheses = Self.clockHypotheses.count
        while nextCandidate + reach < segmentReady {
            let j = nextCandidate
            // The placement chosen is the best less its penalty; its score is its own.
            var c: Float = -2, ci: Float = -2, hc = 0, hi = 0
            var rankC: Float = -3, rankI: Float = -3
            for h in 0..<hypotheses {
                let (a, b) = correlation(at: j, clock: h)
                let penalty = clockPenalties[h]
                if a - penalty > rankC { rankC = a - penalty; c = a; hc = h }
                if b - penalty > rankI { rankI = b - penalty; ci = b; hi = h }
            }
            corr[j & ringMask] = rankC
            corrInverted[j & ringMask] = rankI
            // Peaks are compared by rank (the score less its placement's penalty); each
            // hypothesis, plain or inverted, only counts where its own score clears its threshold.
            if var pk = peak {
                if rankC > pk.rank, c >= options.syncThreshold { pk = (j, rankC, c, false, pk.until, hc) }
                if rankI > pk.rank, ci >= options.codedSyncThreshold { pk = (j, rankI, ci, true, pk.until, hi) }
                if j >= pk.until {
                    peak = nil
                    declareSync(at: pk.j, score: pk.score, inverted: pk.inverted, clock: pk.clock)
                } else {
                    peak = pk
                }
            } else if c >= options.syncThreshold {
                peak = (j, rankC, c, false, j + w, hc)
            } else if ci >= options.codedSyncThreshold {
                // The preamble and the inverted sync word correlate up to 0.42 of the peak a few
                // symbols early (the preamble part matches at every even shift): look on past
                // those sidelobes for the real peak, plain or inverted.
                peak = (
                    j, rankI, ci, true, j + Int((Double(Self.codedPeakSearchSymbols) * windowPartials).rounded(.up)),
                    hi
                )
            }
            nextCandidate += 1
        }
    }

    func declareSync(at j: Int, score: Float, inverted: Bool, clock h: Int) {
        // Parabolic refinement of the correlation peak.
        let ring = inverted ? corrInverted : corr
        let cm = ring[(j - 1) & ringMask], c0 = ring[j & ringMask], cp = ring[(j + 1) & ringMask]
        let den = cm - 2 * c0 + cp
        var delta = den < 0 ? 0.5 * Double(cm - cp) / Double(den) : 0
        delta = max(-0.5, min(0.5, delta))
        let scale = 1 + Self.clockHypotheses[h]
        let syncStart = Double(j) + delta + Double(patternStartToSync) * windowPartials * scale
        guard syncStart - lastSyncStart > windowPartials * 2 else { return }
        // Inside a frame whose header checked out, only a strong sync starts another tracker.
        let inside = trackers.contains { $0.header != nil && syncStart < $0.endEstimate }
        if inside && score < 0.85 { return }
        lastSyncStart = syncStart
        trackers.append(
            FrameTracker(
                syncStart: syncStart, width: windowPartials, clock: scale, score: score, coded: inverted, demod: self))
    }

    // MARK: - Trackers

    /// Whether a tracker is inside a frame whose header checked out, with a good signal.
    var isInFrame: Bool {
        // By index, reading each tracker in place (iterating would copy each one).
        for i in trackers.indices where trackers[i].header != nil && trackers[i].hasSignal { return true }
        return false
    }

    /// The earliest first sample the running trackers estimate for their frames; nil with none.
    var earliestTrackedStart: Int? {
        var earliest: Int?
        for i in trackers.indices {
            let start = trackers[i].startSampleEstimate(demod: self)
            earliest = Swift.min(earliest ?? Int.max, start)
        }
        return earliest
    }

    func advanceTrackers() {
        var i = 0
        while i < trackers.count {
            let finished = trackers[i].advance(demod: self)
            if let result = finished {
                if let frame = result { done.append(frame) }
                trackers.remove(at: i)
            } else {
                i += 1
            }
        }
    }

    /// Completed frames that no running tracker can precede, in start order.
    func drain(final: Bool) -> [DecodedFrame] {
        guard !done.isEmpty else { return [] }
        let horizon = final ? Int.max : earliestTrackedStart ?? Int.max
        done.sort { $0.startSample < $1.startSample }
        var out = [DecodedFrame]()
        while let f = done.first, f.startSample < horizon {
            out.append(f)
            done.removeFirst()
        }
        return dropShadowed(out)
    }

    /// A failed frame that overlaps a good one is a shadow of it (a false sync inside it).
    func dropShadowed(_ frames: [DecodedFrame]) -> [DecodedFrame] {
        frames.filter { f in
            if f.isOK { return true }
            return !frames.contains { g in
                g.isOK && g.startSample < f.endSample && f.startSample < g.endSample
            }
        }
    }
}
