internal import CVectorKernels

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The demodulator's front end: mixes a block of samples down with every tone and sums
/// each run of `partialLength` samples,
///
///     p_k[j] = Σ_{m in partial j} (x[m] − mean) · e^{−i ω_k (n0 + m)}
///
/// so that a matched filter over any window is a difference of running sums of `p_k`.
///
/// When the partial length is a multiple of 4, four partials are computed at once, one per
/// SIMD lane: the block is transposed into lane order and the mixing tables are stored
/// that way, so the inner loop is two vector multiply-adds per tone and no horizontal sums.
///
/// - Complexity: 2 multiply-adds per sample per tone.
final class ToneMixer {
    /// Whether the AVX2 kernel mixes binary FSK.
    let avx2: Bool
    let toneCount: Int
    let partialLength: Int
    let partials: Int
    let blockLength: Int
    let cyclesPerSample: [Double]
    /// Partials are whole SIMD4 vectors.
    let vectorized: Bool
    /// Tables in lane order (M-ary: four partials per vector); binary FSK keeps natural order.
    let lanes: Bool
    /// Mixing tables, e^{−iωm} for m in the block, per tone (lane order when `lanes`).
    let tableRe: UnsafeMutablePointer<Float>
    let tableIm: UnsafeMutablePointer<Float>
    /// Σ e^{−iωm} over each partial: what a DC level contributes, per tone.
    let dcRe: UnsafeMutablePointer<Float>
    let dcIm: UnsafeMutablePointer<Float>
    let transposed: UnsafeMutablePointer<Float>
    /// Each tone's phase at the start of the next block, as a unit phasor e^{−iω·start},
    /// advanced by `blockStep` per block (recomputed exactly every 256 blocks).
    var phasorRe: [Double]
    var phasorIm: [Double]
    let blockStepRe: [Double]
    let blockStepIm: [Double]
    var nextStart = 0
    /// Output: partial sums per tone, tone k at `k * partials`.
    let outRe: UnsafeMutablePointer<Float>
    let outIm: UnsafeMutablePointer<Float>

    /// - Parameter avx2: whether binary FSK is mixed by the AVX2 kernel (the same bits as the
    ///   Swift loop; only where ``CPUFeatures/avx2``).
    init(
        frequencies: [Double], sampleRate: Double, partialLength d: Int, partials np: Int,
        avx2: Bool = CPUFeatures.avx2
    ) {
        self.avx2 = avx2
        toneCount = frequencies.count
        partialLength = d
        partials = np
        blockLength = d * np
        cyclesPerSample = frequencies.map { $0 / sampleRate }
        vectorized = d % 4 == 0 && np % 4 == 0
        lanes = vectorized && frequencies.count != 2
        let b = blockLength, n = toneCount
        tableRe = .allocate(capacity: n * b); tableIm = .allocate(capacity: n * b)
        dcRe = .allocate(capacity: n * np); dcIm = .allocate(capacity: n * np)
        outRe = .allocate(capacity: n * np); outIm = .allocate(capacity: n * np)
        phasorRe = [Double](repeating: 1, count: n)
        phasorIm = [Double](repeating: 0, count: n)
        blockStepRe = frequencies.map { cos(2 * Double.pi * $0 / sampleRate * Double(d * np)) }
        blockStepIm = frequencies.map { -sin(2 * Double.pi * $0 / sampleRate * Double(d * np)) }
        transposed = .allocate(capacity: b)
        transposed.initialize(repeating: 0, count: b)
        outRe.initialize(repeating: 0, count: n * np); outIm.initialize(repeating: 0, count: n * np)
        for (k, c) in cyclesPerSample.enumerated() {
            for j in 0..<np { dcRe[k * np + j] = 0; dcIm[k * np + j] = 0 }
            for m in 0..<b {
                let ph = 2 * Double.pi * c * Double(m)
                let re = Float(cos(ph)), im = Float(-sin(ph))
                let at = k * b + (lanes ? laneIndex(m) : m)
                tableRe[at] = re; tableIm[at] = im
                dcRe[k * np + m / d] += re; dcIm[k * np + m / d] += im
            }
        }
    }

    deinit {
        tableRe.deallocate(); tableIm.deallocate(); dcRe.deallocate(); dcIm.deallocate()
        outRe.deallocate(); outIm.deallocate(); transposed.deallocate()
    }

    /// Where sample `m` of the block sits in lane order: groups of four partials, then the
    /// offset inside the partial, then the lane (which partial of the four).
    @inline(__always) func laneIndex(_ m: Int) -> Int {
        let p = m / partialLength, off = m % partialLength
        return (p >> 2) * 4 * partialLength + off * 4 + (p & 3)
    }

    /// Mixes one block starting at absolute sample `start`; results in `outRe`/`outIm`.
    func mix(_ x: UnsafePointer<Float>, start: Int, removeDC: Bool) {
        let d = partialLength, np = partials, b = blockLength
        var mean: Float = 0
        if vectorized && toneCount == 2 {
            // The block's sum comes out of the same pass as the mixing.
            let sum = mixTwoTones(x)
            rotate(start: start, mean: removeDC ? sum / Float(b) : 0)
            return
        }
        if removeDC {
            var acc = SIMD4<Float>()
            let raw = UnsafeRawPointer(x)
            var i = 0
            while i &+ 4 <= b {
                acc += raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
                i &+= 4
            }
            var s = acc.sum()
            while i < b { s += x[i]; i &+= 1 }
            mean = s / Float(b)
        }
        if lanes {
            transpose(x)
            for k in 0..<toneCount { mixLanes(tone: k) }
        } else {
            for k in 0..<toneCount {
                let tr = tableRe + k &* b, ti = tableIm + k &* b
                let orr = outRe + k &* np, oi = outIm + k &* np
                for p in 0..<np {
                    var re: Float = 0, im: Float = 0
                    for m in (p &* d)..<((p &+ 1) &* d) {
                        re += x[m] * tr[m]
                        im += x[m] * ti[m]
                    }
                    orr[p] = re; oi[p] = im
                }
            }
        }
        rotate(start: start, mean: mean)
    }

    /// Four rows of four samples (one row per partial) turned into four columns
    /// (one lane per partial).
    @inline(__always) static func columns(_ x: UnsafeRawPointer, _ rowBytes: Int, _ at: Int)
        -> (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)
    {
        let r0 = x.loadUnaligned(fromByteOffset: at, as: SIMD4<Float>.self)
        let r1 = x.loadUnaligned(fromByteOffset: at &+ rowBytes, as: SIMD4<Float>.self)
        let r2 = x.loadUnaligned(fromByteOffset: at &+ 2 &* rowBytes, as: SIMD4<Float>.self)
        let r3 = x.loadUnaligned(fromByteOffset: at &+ 3 &* rowBytes, as: SIMD4<Float>.self)
        return (
            SIMD4(r0[0], r1[0], r2[0], r3[0]), SIMD4(r0[1], r1[1], r2[1], r3[1]),
            SIMD4(r0[2], r1[2], r2[2], r3[2]), SIMD4(r0[3], r1[3], r2[3], r3[3])
        )
    }

    /// (Σa, Σb, Σc, Σd) of four vectors: a transpose folded into the additions.
    @inline(__always) static func sums(_ a: SIMD4<Float>, _ b: SIMD4<Float>, _ c: SIMD4<Float>, _ d: SIMD4<Float>)
        -> SIMD4<Float>
    {
        let ab = SIMD4(lowHalf: a.lowHalf, highHalf: b.lowHalf) + SIMD4(lowHalf: a.highHalf, highHalf: b.highHalf)
        let cd = SIMD4(lowHalf: c.lowHalf, highHalf: d.lowHalf) + SIMD4(lowHalf: c.highHalf, highHalf: d.highHalf)
        return SIMD4(lowHalf: ab.evenHalf, highHalf: cd.evenHalf) + SIMD4(lowHalf: ab.oddHalf, highHalf: cd.oddHalf)
    }

    /// Binary FSK, the common case: both tones in one pass, four dot products per partial
    /// in registers, reduced together. Tables in natural order. Returns the sum of the block's
    /// samples (for the DC level), gathered in the same pass.
    func mixTwoTones(_ x: UnsafePointer<Float>) -> Float {
        let d = partialLength, np = partials, b = blockLength
        if avx2 {
            // Products eight samples at a time in AVX2, the same sums in the same order.
            var total = SIMD4<Float>()
            withUnsafeMutableBytes(of: &total) { t in
                cvk_mix_two_tones_avx2(
                    x, tableRe, tableIm, tableRe + b, tableIm + b, d, np, outRe, outIm,
                    t.baseAddress!.assumingMemoryBound(to: Float.self))
            }
            return total.sum()
        }
        let raw = UnsafeRawPointer(x)
        let r0 = UnsafeRawPointer(tableRe), i0 = UnsafeRawPointer(tableIm)
        let r1 = UnsafeRawPointer(tableRe + b), i1 = UnsafeRawPointer(tableIm + b)
        var off = 0
        var total = SIMD4<Float>()
        for p in 0..<np {
            var a0 = SIMD4<Float>(), b0 = SIMD4<Float>(), a1 = SIMD4<Float>(), b1 = SIMD4<Float>()
            var c = 0
            while c < d {
                let xv = raw.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                total += xv
                a0 += xv * r0.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                b0 += xv * i0.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                a1 += xv * r1.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                b1 += xv * i1.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                off &+= 16
                c &+= 4
            }
            let s = Self.sums(a0, b0, a1, b1)
            outRe[p] = s[0]; outIm[p] = s[1]; outRe[np &+ p] = s[2]; outIm[np &+ p] = s[3]
        }
        return total.sum()
    }

    /// Puts the block into lane order in `transposed`.
    func transpose(_ x: UnsafePointer<Float>) {
        let d = partialLength, np = partials
        let raw = UnsafeRawPointer(x), out = UnsafeMutableRawPointer(transposed)
        let rowBytes = d &* 4
        for g in 0..<(np >> 2) {
            let rowStart = g &* 4 &* rowBytes
            var c = 0
            while c < d {
                let (x0, x1, x2, x3) = Self.columns(raw, rowBytes, rowStart &+ c &* 4)
                let at = rowStart &+ c &* 16
                out.storeBytes(of: x0, toByteOffset: at, as: SIMD4<Float>.self)
                out.storeBytes(of: x1, toByteOffset: at &+ 16, as: SIMD4<Float>.self)
                out.storeBytes(of: x2, toByteOffset: at &+ 32, as: SIMD4<Float>.self)
                out.storeBytes(of: x3, toByteOffset: at &+ 48, as: SIMD4<Float>.self)
                c &+= 4
            }
        }
    }

    /// One tone over the transposed block.
    func mixLanes(tone k: Int) {
        let d = partialLength, np = partials, b = blockLength
        let xr = UnsafeRawPointer(transposed)
        let rr = UnsafeRawPointer(tableRe + k &* b), ri = UnsafeRawPointer(tableIm + k &* b)
        for g in 0..<(np >> 2) {
            var ar = SIMD4<Float>(), ai = SIMD4<Float>()
            var off = g &* 16 &* d
            for _ in 0..<d {
                let xv = xr.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                ar += xv * rr.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                ai += xv * ri.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                off &+= 16
            }
            let o = k &* np &+ g &* 4
            UnsafeMutableRawPointer(outRe + o).storeBytes(of: ar, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(outIm + o).storeBytes(of: ai, as: SIMD4<Float>.self)
        }
    }

    /// Removes the DC level, then turns the block-relative phase into absolute phase.
    func rotate(start: Int, mean: Float) {
        let np = partials
        // The phasor for `start`: the running one when blocks follow each other, exact now and then.
        let exact = start != nextStart || (start / blockLength) & 255 == 0
        nextStart = start &+ blockLength
        for k in 0..<toneCount {
            let orr = outRe + k &* np, oi = outIm + k &* np
            if exact {
                let cyc = cyclesPerSample[k] * Double(start)
                let ph = 2 * Double.pi * (cyc - cyc.rounded(.down))
                phasorRe[k] = cos(ph); phasorIm[k] = -sin(ph)
            }
            let cr = Float(phasorRe[k]), ci = Float(phasorIm[k])
            let nr = phasorRe[k] * blockStepRe[k] - phasorIm[k] * blockStepIm[k]
            phasorIm[k] = phasorRe[k] * blockStepIm[k] + phasorIm[k] * blockStepRe[k]
            phasorRe[k] = nr
            let dr = dcRe + k * np, di = dcIm + k * np
            for p in 0..<np {
                let pr = orr[p] - mean * dr[p], pi = oi[p] - mean * di[p]
                orr[p] = pr * cr - pi * ci
                oi[p] = pr * ci + pi * cr
            }
        }
    }
}
