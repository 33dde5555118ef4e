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
    let toneCount: Int
    let partialLength: Int
    let partials: Int
    let blockLength: Int
    let cyclesPerSample: [Double]
    let lanes: Bool
    /// Mixing tables, e^{−iωm} for m in the block, per tone (lane order when `lanes`).
    let tableRe: UnsafeMutablePointer<Float>
    let tableIm: UnsafeMutablePointer<Float>
    /// Σ e^{−iωm} over each partial: what a DC level contributes, per tone.
    let dcRe: UnsafeMutablePointer<Float>
    let dcIm: UnsafeMutablePointer<Float>
    let transposed: UnsafeMutablePointer<Float>
    /// Output: partial sums per tone, tone k at `k * partials`.
    let outRe: UnsafeMutablePointer<Float>
    let outIm: UnsafeMutablePointer<Float>

    init(frequencies: [Double], sampleRate: Double, partialLength d: Int, partials np: Int) {
        toneCount = frequencies.count
        partialLength = d
        partials = np
        blockLength = d * np
        cyclesPerSample = frequencies.map { $0 / sampleRate }
        lanes = d % 4 == 0 && np % 4 == 0
        let b = blockLength, n = toneCount
        tableRe = .allocate(capacity: n * b); tableIm = .allocate(capacity: n * b)
        dcRe = .allocate(capacity: n * np); dcIm = .allocate(capacity: n * np)
        outRe = .allocate(capacity: n * np); outIm = .allocate(capacity: n * np)
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
        if removeDC {
            var s: Float = 0
            for i in 0..<b { s += x[i] }
            mean = s / Float(b)
        }
        if lanes {
            // Transpose into lane order.
            let t = transposed
            var i = 0
            for g in 0..<(np >> 2) {
                let base = g * 4 * d
                for l in 0..<4 {
                    for off in 0..<d { t[base + off * 4 + l] = x[i]; i += 1 }
                }
            }
        }
        let start64 = Double(start)
        for k in 0..<toneCount {
            let tr = tableRe + k * b, ti = tableIm + k * b
            let orr = outRe + k * np, oi = outIm + k * np
            if lanes {
                let xr = UnsafeRawPointer(transposed), rr = UnsafeRawPointer(tr), ri = UnsafeRawPointer(ti)
                let stride = MemoryLayout<Float>.stride
                for g in 0..<(np >> 2) {
                    var ar = SIMD4<Float>(), ai = SIMD4<Float>()
                    var off = g * 4 * d * stride
                    for _ in 0..<d {
                        let xv = xr.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                        ar += xv * rr.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                        ai += xv * ri.loadUnaligned(fromByteOffset: off, as: SIMD4<Float>.self)
                        off += 4 * stride
                    }
                    for l in 0..<4 { orr[4 * g + l] = ar[l]; oi[4 * g + l] = ai[l] }
                }
            } else {
                for p in 0..<np {
                    var re: Float = 0, im: Float = 0
                    for m in (p * d)..<((p + 1) * d) {
                        re += x[m] * tr[m]
                        im += x[m] * ti[m]
                    }
                    orr[p] = re; oi[p] = im
                }
            }
            // Remove the DC level, then turn the block-relative phase into absolute phase.
            let cyc = cyclesPerSample[k] * start64
            let ph = 2 * Double.pi * (cyc - cyc.rounded(.down))
            let cr = Float(cos(ph)), ci = Float(-sin(ph))
            let dr = dcRe + k * np, di = dcIm + k * np
            for p in 0..<np {
                let pr = orr[p] - mean * dr[p], pi = oi[p] - mean * di[p]
                orr[p] = pr * cr - pi * ci
                oi[p] = pr * ci + pi * cr
            }
        }
    }
}
