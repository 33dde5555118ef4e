#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Follows one frame from its sync word to its last bit: decides symbols,
/// keeps symbol timing with a second-order Gardner loop, reads the header and
/// checks the payload.
struct FrameTracker {
    /// Start of the current symbol's window, in partials.
    var t: Double
    /// Current symbol length, in partials (tracks the sender's clock).
    var w: Double
    let nominalW: Double
    let syncStart: Double
    let score: Float
    var syncLeft = PhysicalFrame.syncSymbols
    var chips: [Float] = []
    /// Coded frames: every tone's energy for each data symbol, for the decoder's LLRs.
    var toneEnergies: [Float] = []
    /// Coded frames: over the sync word, whose symbols are known, the energy of the tone sent
    /// and the mean energy of the others, summed, and how many symbols: the signal and noise
    /// levels the LLRs are scaled with, free of the bias that deciding first would add.
    var knownSignal = 0.0, knownNoise = 0.0, knownSymbols = 0
    var previous: [Float]
    /// Binary modes: the previous soft chip, outside the array (no copy-on-write checks).
    var previousBinary: Float = 0
    var header: (length: Int, flags: PhysicalFrame.Flags)?
    var neededSymbols = Int.max
    var dataSymbols = 0
    let headerChips: Int
    /// Whether the sync word came inverted: the header is convolutionally coded (``FrameCoding``).
    let coded: Bool
    /// Bits of the header copies (3 × 32 plain, or the coded copies).
    var headerBitCount: Int {
        coded ? FrameCoding.codedHeaderTotal : PhysicalFrame.headerBits * PhysicalFrame.headerCopies
    }
    /// The payload's coding, from a coded header.
    var scheme = FECScheme.none
    var energyTop = 0.0, energyRest = 0.0, energyCount = 0
    /// Running mean of |soft| relative to a clean symbol's: ~0.5 in noise, near 1 on a signal.
    var quality: Float = 1
    /// Whether the tracker still sees a signal (not noise after a false sync or a cut).
    var hasSignal: Bool { quality > 0.62 }
    // Loop gains (per symbol).
    let g1 = 0.08, g2 = 0.0015
    /// Over the sync word, wider: the sync search places the sender's clock only to within a
    /// percent or so (less where the correlation hardly changes with it), and the known word
    /// with its many transitions is where to pull the symbol length in before the header.
    let acquireG1 = 0.15, acquireG2 = 0.006

    /// A tracker from the sync word's start; `clock` is the sender's symbol length against
    /// nominal as the sync search found it (1 = on time).
    init(syncStart: Double, width: Double, clock: Double = 1, score: Float, coded: Bool = false, demod: Demodulator) {
        self.t = syncStart
        self.w = width * clock
        self.nominalW = width
        self.syncStart = syncStart
        self.score = score
        self.coded = coded
        self.headerChips =
            (coded ? FrameCoding.codedHeaderTotal : PhysicalFrame.headerBits * PhysicalFrame.headerCopies)
            * demod.lineCode.chipsPerBit
        self.previous = [Float](repeating: 0, count: demod.bitsPerSymbol)
        let scratch = demod.softScratch
        _ = softBits(at: syncStart - w, demod: demod, into: scratch)
        for b in 0..<demod.bitsPerSymbol { previous[b] = scratch[b] }
        previousBinary = scratch[0]
    }

    /// Where the frame ends, in partials (an estimate before the header is read).
    var endEstimate: Double {
        guard neededSymbols != Int.max else { return t + w * 200 }
        return t + Double(neededSymbols - dataSymbols + PhysicalFrame.tailSymbols) * w
    }

    func startSampleEstimate(demod: Demodulator) -> Int {
        Int(((syncStart - Double(PhysicalFrame.preambleSymbols) * nominalW) * Double(demod.partialLength)).rounded())
    }

    /// Soft chips of the symbol window at `t` (positive = 1) into `out` (k values),
    /// and the energies of the strongest tone and the mean of the others. No allocation.
    func softBits(at t: Double, demod: Demodulator, into out: UnsafeMutablePointer<Float>) -> (
        top: Double, rest: Double
    ) {
        if demod.isBaseband {
            out[0] = demod.basebandSoft(at: t, width: w)
            return (0, 0)
        }
        let m = demod.toneCount
        if m == 2 {
            let (e0, e1) = demod.binaryEnergies(at: t, width: w)
            let s = e0 + e1
            out[0] = s > 1e-30 ? Float((e1 - e0) / s) : 0
            return (max(e0, e1), min(e0, e1))
        }
        let k = demod.bitsPerSymbol
        let e = demod.energyScratch
        var best = 0
        var total = 0.0
        // A sender more than half a percent off: its tones are off by as much, which for the
        // top tones of a wide M-ary mode is a good part of their spacing; turn them back.
        let scale = nominalW / w - 1
        let derotate = abs(scale) > 0.005
        for g in 0..<m {
            if derotate {
                let cycles = demod.mode.tones[g] * scale * Double(demod.partialLength) / demod.sampleRate
                e[g] = demod.energy(g, at: t, width: w, cycles: cycles)
            } else {
                e[g] = demod.energy(g, at: t, width: w)
            }
            total += e[g]
            if e[g] > e[best] { best = g }
        }
        for b in 0..<k {
            var max1 = 0.0, max0 = 0.0
            let shift = k - 1 - b
            for g in 0..<m {
                if (demod.grayValue[g] >> shift) & 1 == 1 {
                    max1 = Swift.max(max1, e[g])
                } else {
                    max0 = Swift.max(max0, e[g])
                }
            }
            let s = max1 + max0
            out[b] = s > 1e-30 ? Float((max1 - max0) / s) : 0
        }
        return (e[best], (total - e[best]) / Double(m - 1))
    }

    /// Reads as many symbols as the demodulator has samples for.
    /// Returns nil while running; `.some(frame)` when done (`.some(nil)` = silently dropped).
    mutating func advance(demod: Demodulator) -> DecodedFrame?? {
        let k = demod.bitsPerSymbol
        let cur = demod.softScratch, mid = demod.softScratch + k
        let frontier = Double(demod.frontier)
        let qualityScale = 1 / (Float(k) * demod.softScale * 16)
        let binary = demod.toneCount == 2 && k == 1
        while t + w + 2 < frontier {
            if binary {
                // Binary symbols take the lean loop: the sync word's in one run, then the data
                // up to the next event (the header complete, the frame complete).
                if syncLeft > 0 {
                    syncLeft -= advanceBinary(
                        demod: demod, frontier: frontier, limit: syncLeft, qualityScale: qualityScale, record: false)
                    continue
                }
                let untilEvent = header == nil ? headerChips - chips.count : neededSymbols - dataSymbols
                _ = advanceBinary(
                    demod: demod, frontier: frontier, limit: max(1, untilEvent), qualityScale: qualityScale,
                    record: true)
                if let done = afterDataSymbol(demod: demod) { return done }
                continue
            }
            // Gardner: the window straddling the boundary is ~0 when timing is right. It
            // only says something where a chip changed, so it is only looked at there.
            var e: Double = 0
            var mag: Float = 0
            let energies = softBits(at: t, demod: demod, into: cur)
            // Before the mid-window read below reuses the energy scratch.
            if coded && !demod.isBaseband {
                let m = demod.toneCount
                if syncLeft == 0 {
                    for g in 0..<m { toneEnergies.append(Float(demod.energyScratch[g])) }
                } else {
                    let bit = PhysicalFrame.syncBits[PhysicalFrame.syncSymbols - syncLeft]
                    let sent = bit == 0 ? m - 1 : 0  // the sync word is inverted in a coded frame
                    var total = 0.0
                    for g in 0..<m { total += demod.energyScratch[g] }
                    knownSignal += demod.energyScratch[sent]
                    knownNoise += (total - demod.energyScratch[sent]) / Double(m - 1)
                    knownSymbols += 1
                }
            }
            var changed = false
            for b in 0..<k where (previous[b] > 0) != (cur[b] > 0) { changed = true }
            if changed { _ = softBits(at: t - w / 2, demod: demod, into: mid) }
            for b in 0..<k {
                if changed { e += Double(mid[b] * (previous[b] - cur[b])) }
                previous[b] = cur[b]
                mag += abs(cur[b])
            }
            e = max(-2, min(2, e))
            quality += mag * qualityScale - quality * (1.0 / 16)
            let (a1, a2) = syncLeft > 0 ? (acquireG1, acquireG2) : (g1, g2)
            t += w + a1 * e * w / 4
            w += a2 * e * w / 4
            w = max(nominalW * (1 - Demodulator.clockRange), min(nominalW * (1 + Demodulator.clockRange), w))

            if syncLeft > 0 {
                syncLeft -= 1
                continue
            }
            for b in 0..<k { chips.append(cur[b]) }
            energyTop += energies.top; energyRest += energies.rest; energyCount += 1
            dataSymbols += 1
            if let done = afterDataSymbol(demod: demod) { return done }
        }
        return nil
    }

    /// The events a data symbol may complete: the header (read, or failed), then the frame.
    /// Nil while the frame goes on.
    private mutating func afterDataSymbol(demod: Demodulator) -> DecodedFrame?? {
        if header == nil, chips.count >= headerChips {
            guard let h = readHeader(demod: demod) else {
                return .some(headerFailure(demod: demod))
            }
            header = h
            chips.reserveCapacity(chips.count + 8 * (h.length + 4) * demod.lineCode.chipsPerBit + 8)
            let body = h.length + (h.flags.contains(.payloadCRC) ? 4 : 0)
            let bits = headerBitCount + FrameCoding(scheme: scheme).codedBits(bodyBytes: body)
            let k = demod.bitsPerSymbol
            neededSymbols = (bits * demod.lineCode.chipsPerBit + k - 1) / k
        }
        if dataSymbols >= neededSymbols {
            return .some(finishFrame(demod: demod, truncated: false))
        }
        return nil
    }

    /// Up to `limit` symbols of a binary mode (as many as the demodulator has samples for), in a
    /// loop that keeps its state in registers and its chips in a stack buffer, with nothing in
    /// the way (no event checks, no array growth per symbol). With `record` the symbols are data:
    /// their chips and energies are kept. Returns how many symbols were read.
    private mutating func advanceBinary(
        demod: Demodulator, frontier: Double, limit: Int, qualityScale: Float, record: Bool
    ) -> Int {
        let low = nominalW * (1 - Demodulator.clockRange), high = nominalW * (1 + Demodulator.clockRange)
        // Each symbol moves t on by at least 0.96 of the narrowest width.
        let room = Swift.min(limit, Int((frontier - t) / (low * 0.96)) + 2)
        guard room > 0 else { return 0 }
        var t = self.t, w = self.w, quality = self.quality
        var previous = previousBinary
        var top = energyTop, rest = energyRest
        let (g1, g2) = record ? (self.g1, self.g2) : (acquireG1, acquireG2)
        let llr = coded && record
        let train = coded && !record
        var known = (signal: knownSignal, noise: knownNoise, count: knownSymbols)
        let mask = demod.ringMask
        let r0 = demod.sumRe, i0 = demod.sumIm
        let r1 = demod.sumRe + (1 << demod.ringBits), i1 = demod.sumIm + (1 << demod.ringBits)
        /// Both tones' energies over [a, a + width).
        @inline(__always) func energies(_ a: Double, _ width: Double) -> (Double, Double) {
            let u = a + width
            let ia = Int(a), ib = Int(u)  // positions are ≥ 0: truncation is floor
            let fa = a - Double(ia), fb = u - Double(ib)
            let a0 = ia & mask, a1 = (ia &+ 1) & mask, b0 = ib & mask, b1 = (ib &+ 1) & mask
            let dr0 = (r0[b0] + fb * (r0[b1] - r0[b0])) - (r0[a0] + fa * (r0[a1] - r0[a0]))
            let di0 = (i0[b0] + fb * (i0[b1] - i0[b0])) - (i0[a0] + fa * (i0[a1] - i0[a0]))
            let dr1 = (r1[b0] + fb * (r1[b1] - r1[b0])) - (r1[a0] + fa * (r1[a1] - r1[a0]))
            let di1 = (i1[b0] + fb * (i1[b1] - i1[b0])) - (i1[a0] + fa * (i1[a1] - i1[a0]))
            return (dr0 * dr0 + di0 * di0, dr1 * dr1 + di1 * di1)
        }
        var count = 0
        withUnsafeTemporaryAllocation(of: Float.self, capacity: llr ? 3 * room : room) { buffer in
            let out = UnsafeMutableBufferPointer(rebasing: buffer[0..<room])
            let pairs = UnsafeMutableBufferPointer(rebasing: buffer[room...])
            // What sets this loop's speed is the chain from t through the energies to the
            // timing error and back to t, so the chain is kept short: the error is worked out
            // in Double from the unrounded soft value, needs no clamp (both factors are
            // bounded: |straddle| ≤ 1, |previous − soft| ≤ 2), and meets t in one multiply-add.
            var previousExact = Double(previous)
            while count < room, t + w + 2 < frontier {
                let (e0, e1) = energies(t, w)
                let (m0, m1) = energies(t - w / 2, w)
                let sum = e0 + e1, ms = m0 + m1
                let exact = sum > 1e-30 ? (e1 - e0) / sum : 0
                let soft = Float(exact)
                let straddle = ms > 1e-30 ? (m1 - m0) / ms : 0
                let changed = (previous > 0) != (soft > 0)
                let error = changed ? straddle * (previousExact - exact) : 0
                previous = soft
                previousExact = exact
                quality += abs(soft) * qualityScale - quality * (1.0 / 16)
                let next = t + w, stepT = g1 / 4 * w, stepW = g2 / 4 * w
                t = next + stepT * error
                w = Swift.max(low, Swift.min(high, w + stepW * error))
                out[count] = soft
                if train, known.count < PhysicalFrame.syncSymbols {
                    // Coded: the sync word is inverted, so a 0 bit is the top tone.
                    let top = PhysicalFrame.syncBits[known.count] == 0
                    known.signal += top ? e1 : e0
                    known.noise += top ? e0 : e1
                    known.count += 1
                }
                if llr {
                    pairs[2 * count] = Float(e0)
                    pairs[2 * count + 1] = Float(e1)
                }
                top += Swift.max(e0, e1)
                rest += Swift.min(e0, e1)
                count += 1
            }
            if record { chips.append(contentsOf: out[0..<count]) }
            if llr { toneEnergies.append(contentsOf: pairs[0..<(2 * count)]) }
        }
        self.t = t
        self.w = w
        self.quality = quality
        previousBinary = previous
        if train { (knownSignal, knownNoise, knownSymbols) = known }
        if record {
            energyTop = top
            energyRest = rest
            energyCount += count
            dataSymbols += count
        }
        return count
    }

    mutating func readHeader(demod: Demodulator) -> (length: Int, flags: PhysicalFrame.Flags)? {
        var soft = demod.lineCode.decodeSoft(
            coded ? llrChips(demod: demod, count: headerChips) : Array(chips[0..<headerChips]))
        var scrambler = Scrambler()
        scrambler.apply(soft: &soft)
        if coded {
            guard let h = FrameCoding.decodeHeader(soft[...]) else { return nil }
            scheme = h.scheme
            return (h.length, h.flags)
        }
        let n = PhysicalFrame.headerBits
        var combined = [Float](repeating: 0, count: n)
        for c in 0..<PhysicalFrame.headerCopies {
            for i in 0..<n { combined[i] += soft[c * n + i] }
        }
        if let h = PhysicalFrame.parseHeader(BitOrder.bytes(fromSoft: combined[...])) { return h }
        // Fall back on each copy alone (a burst may have wiped one out).
        for c in 0..<PhysicalFrame.headerCopies {
            if let h = PhysicalFrame.parseHeader(BitOrder.bytes(fromSoft: soft[(c * n)..<((c + 1) * n)])) { return h }
        }
        return nil
    }

    /// Log-likelihood ratios (positive = 1) of the first `count` chips of a coded frame, from
    /// the tone energies kept for each symbol and the frame's own signal and noise levels.
    ///
    /// A tone whose matched filter gives energy `e` has likelihood ratio
    /// I₀(2√(Es·e)/N₀) of carrying the signal against noise alone (Rician against Rayleigh),
    /// so a bit's LLR is the log of the sum of these over the symbols whose bit is 1, less
    /// the same over those whose bit is 0. N₀ and Es come from the sync word, whose symbols
    /// are known (the mean energy of the tones not sent, and of the tone sent less N₀); failing
    /// that, from the symbols so far (the tones not chosen, and the chosen one). Baseband keeps
    /// its soft levels.
    func llrChips(demod: Demodulator, count: Int) -> [Float] {
        let m = demod.toneCount, k = demod.bitsPerSymbol
        guard !demod.isBaseband, m >= 2, toneEnergies.count >= m else { return Array(chips.prefix(count)) }
        let symbols = min(toneEnergies.count / m, (count + k - 1) / k)
        var top = 0.0, rest = 0.0
        for i in 0..<symbols {
            var best: Float = 0, sum: Float = 0
            for g in 0..<m {
                let e = toneEnergies[i * m + g]
                sum += e
                best = Swift.max(best, e)
            }
            top += Double(best)
            rest += Double(sum - best) / Double(m - 1)
        }
        var n0 = Swift.max(rest / Double(max(1, symbols)), 1e-30)
        var es = Swift.max(top / Double(max(1, symbols)) - n0, 0.05 * n0)
        if knownSymbols >= PhysicalFrame.syncSymbols / 2, knownNoise > 0 {
            n0 = knownNoise / Double(knownSymbols)
            es = Swift.max(knownSignal / Double(knownSymbols) - n0, 0.05 * n0)
        }
        let scale = 2 * es.squareRoot() / n0
        var out = [Float](repeating: 0, count: count)
        var logI0 = [Double](repeating: 0, count: m)
        for i in 0..<symbols {
            for g in 0..<m { logI0[g] = Self.logBesselI0(scale * Double(toneEnergies[i * m + g]).squareRoot()) }
            for b in 0..<k where i * k + b < count {
                let shift = k - 1 - b
                var max1 = -Double.infinity, max0 = -Double.infinity
                for g in 0..<m {
                    if (demod.grayValue[g] >> shift) & 1 == 1 {
                        max1 = Swift.max(max1, logI0[g])
                    } else {
                        max0 = Swift.max(max0, logI0[g])
                    }
                }
                var sum1 = 0.0, sum0 = 0.0
                for g in 0..<m {
                    if (demod.grayValue[g] >> shift) & 1 == 1 {
                        sum1 += exp(logI0[g] - max1)
                    } else {
                        sum0 += exp(logI0[g] - max0)
                    }
                }
                out[i * k + b] = Float(max1 + log(sum1) - max0 - log(sum0))
            }
        }
        return out
    }

    /// ln I₀(x) for x ≥ 0 (Abramowitz and Stegun 9.8.1 and 9.8.2, relative error below 2·10⁻⁷).
    static func logBesselI0(_ x: Double) -> Double {
        if x < 3.75 {
            let t = (x / 3.75) * (x / 3.75)
            let p =
                1 + t
                * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813)))))
            return log(p)
        }
        let u = 3.75 / x
        let p =
            0.39894228 + u
            * (0.01328592 + u
                * (0.00225319 + u
                    * (-0.00157565 + u
                        * (0.00916281 + u * (-0.02057706 + u * (0.02635537 + u * (-0.01647633 + u * 0.00392377)))))))
        return x - 0.5 * log(x) + log(p)
    }

    func headerFailure(demod: Demodulator) -> DecodedFrame? {
        guard demod.options.reportHeaderErrors, score >= 0.8 else { return nil }
        return makeFrame(demod: demod, status: .headerError, payload: [], flags: 0)
    }

    func ebn0dB(demod: Demodulator) -> Double {
        guard energyCount > 0, energyRest > 0, !demod.isBaseband else { return .nan }
        // The other tone's bin holds noise plus the leakage of a non-orthogonal tone pair.
        let leak = demod.toneLeakage
        let noise = max(energyRest - leak * energyTop, 1e-9 * energyTop) / (1 - leak)
        let esn0 = max(1e-6, (energyTop - noise) / noise)
        let perBit = esn0 * Double(demod.lineCode.chipsPerBit) / Double(demod.bitsPerSymbol)
        return 10 * log10(perBit)
    }

    func makeFrame(
        demod: Demodulator, status: DecodedFrame.Status, payload: [UInt8], flags: UInt8, corrected: Int = 0
    ) -> DecodedFrame {
        DecodedFrame(
            startSample: startSampleEstimate(demod: demod),
            endSample: Int((t * Double(demod.partialLength)).rounded()),
            sampleRate: demod.sampleRate, status: status, payload: payload, flags: flags,
            syncScore: score, ebn0dB: ebn0dB(demod: demod),
            clockErrorPPM: (nominalW / w - 1) * 1e6, correctedBits: corrected, fec: scheme)
    }

    /// Decodes everything read so far into the payload and checks it.
    func finishFrame(demod: Demodulator, truncated: Bool) -> DecodedFrame? {
        guard let h = header else { return nil }
        var soft = demod.lineCode.decodeSoft(coded ? llrChips(demod: demod, count: chips.count) : chips)
        var scrambler = Scrambler()
        let headerBits = headerBitCount
        for i in 0..<min(headerBits, soft.count) where scrambler.next() == 1 { soft[i] = -soft[i] }
        if h.flags.contains(.scrambled), soft.count > headerBits {
            for i in headerBits..<soft.count where scrambler.next() == 1 { soft[i] = -soft[i] }
        }
        let hasCRC = h.flags.contains(.payloadCRC)
        let want = h.length + (hasCRC ? 4 : 0)
        let coding = FrameCoding(scheme: scheme)
        let codedBits = coding.codedBits(bodyBytes: want)
        var corrected = 0
        var body: [UInt8]
        if scheme != .none {
            // A coded body is decoded whole or not at all.
            if !truncated, soft.count >= headerBits + codedBits,
                let decoded = try? coding.decodeBody(soft[headerBits..<(headerBits + codedBits)], bodyBytes: want)
            {
                body = decoded.bytes
                corrected = decoded.correctedBits
            } else {
                body = []
            }
        } else {
            body = soft.count > headerBits ? BitOrder.bytes(fromSoft: soft[headerBits...]) : []
        }
        if truncated || body.count < want {
            let got = Array(body.prefix(h.length))
            return makeFrame(
                demod: demod, status: .truncated(receivedBytes: got.count, expectedBytes: h.length),
                payload: got, flags: h.flags.rawValue)
        }
        let payload = Array(body[0..<h.length])
        guard hasCRC else {
            return makeFrame(demod: demod, status: .ok, payload: payload, flags: h.flags.rawValue, corrected: corrected)
        }
        let c = body[h.length..<(h.length + 4)]
        let received =
            UInt32(c[c.startIndex]) | UInt32(c[c.startIndex + 1]) << 8
            | UInt32(c[c.startIndex + 2]) << 16 | UInt32(c[c.startIndex + 3]) << 24
        let expected = CRC32Bytes.value(payload)
        if expected != received, scheme == .none,
            let fixed = repair(soft[headerBits..<(headerBits + 8 * want)], length: h.length, demod: demod)
        {
            return makeFrame(
                demod: demod, status: .ok, payload: fixed.payload, flags: h.flags.rawValue, corrected: fixed.flipped)
        }
        let status: DecodedFrame.Status =
            expected == received ? .ok : .payloadCRCMismatch(expected: expected, received: received)
        return makeFrame(demod: demod, status: status, payload: payload, flags: h.flags.rawValue, corrected: corrected)
    }

    /// An uncoded frame that failed its CRC-32, mended: the payload with one, then two, of its
    /// least reliable bits (payload and CRC, the smallest soft values) flipped, the first
    /// combination whose CRC holds. Nil when none does, or the frame is longer than 371 bytes
    /// with its CRC: up to there the CRC-32 has Hamming distance 5 (IEEE 802.3), so a frame
    /// with at most two bits wrong cannot be mended into a wrong one; the ways a worse frame can
    /// slip through are the CRC's usual 2⁻³² per combination tried (with 12 candidates, 78).
    func repair(_ soft: ArraySlice<Float>, length: Int, demod: Demodulator) -> (payload: [UInt8], flipped: Int)? {
        let most = demod.options.repairBits
        guard most > 0, soft.count <= 8 * 371, soft.count == 8 * (length + 4) else { return nil }
        let start = soft.startIndex
        let weakest = soft.indices.sorted { abs(soft[$0]) < abs(soft[$1]) }
            .prefix(demod.options.repairCandidates).map { $0 - start }
        var bits = Array(soft)
        func holds() -> [UInt8]? {
            let body = BitOrder.bytes(fromSoft: bits[...])
            let c = body[length..<(length + 4)]
            let received =
                UInt32(c[c.startIndex]) | UInt32(c[c.startIndex + 1]) << 8
                | UInt32(c[c.startIndex + 2]) << 16 | UInt32(c[c.startIndex + 3]) << 24
            let payload = Array(body[0..<length])
            return CRC32Bytes.value(payload) == received ? payload : nil
        }
        for i in weakest {
            bits[i] = -bits[i]
            if let p = holds() { return (p, 1) }
            bits[i] = -bits[i]
        }
        guard most >= 2 else { return nil }
        for (a, i) in weakest.enumerated() {
            bits[i] = -bits[i]
            for j in weakest.dropFirst(a + 1) {
                bits[j] = -bits[j]
                if let p = holds() { return (p, 2) }
                bits[j] = -bits[j]
            }
            bits[i] = -bits[i]
        }
        return nil
    }

    /// The frame as far as it got, when the recording ends inside it. A frame cut inside
    /// its header is still reported (from a whole header copy if one arrived) when its sync
    /// word was read clearly; a weak sync near the end is taken for noise.
    mutating func truncatedFrame(demod: Demodulator) -> DecodedFrame? {
        if header == nil {
            guard syncLeft == 0, score >= 0.8 else { return nil }
            if coded {
                return makeFrame(
                    demod: demod, status: .truncated(receivedBytes: 0, expectedBytes: 0), payload: [], flags: 0)
            }
            var soft = demod.lineCode.decodeSoft(
                Array(chips.prefix(chips.count - chips.count % max(1, demod.lineCode.chipsPerBit))))
            var scrambler = Scrambler()
            scrambler.apply(soft: &soft)
            let bits = PhysicalFrame.headerBits
            var copy = 0
            while (copy + 1) * bits <= soft.count, copy < PhysicalFrame.headerCopies, header == nil {
                header = PhysicalFrame.parseHeader(BitOrder.bytes(fromSoft: soft[(copy * bits)..<((copy + 1) * bits)]))
                copy += 1
            }
            guard header != nil else {
                return makeFrame(
                    demod: demod, status: .truncated(receivedBytes: 0, expectedBytes: 0), payload: [], flags: 0)
            }
        }
        return finishFrame(demod: demod, truncated: true)
    }
}

extension Int {
    /// Inverse of the Gray code g = v ^ (v >> 1).
    var grayDecoded: Int {
        var v = self, s = self >> 1
        while s != 0 { v ^= s; s >>= 1 }
        return v
    }
}
