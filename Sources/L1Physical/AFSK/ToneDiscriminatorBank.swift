internal import CVectorKernels
import Foundation

/// Several ``ToneDiscriminator``s of different window lengths on the same input, sharing
/// their oscillators, their mixing and one ring of mixed samples.
///
/// Each window's running sums add the newest mixed sample and drop the one `window` samples
/// back. The sums are kept in `Float` (one SIMD operation per window on any x86-64) and
/// re-summed every 4096 samples, so the values are those of separate discriminators (which
/// sum in `Double`) to within a few parts per million of the signal level.
///
///     var bank = ToneDiscriminatorBank(signalling: .bell202, sampleRate: 14700, windowsBits: [1, 1.3])
///     bank.process(block, into: out)   // out: window d's mark at [2·d·n, 2·d·n + n), space n later
public struct ToneDiscriminatorBank: Sendable {
    /// Length of each integration window in samples.
    public let windows: [Int]
    private let scales: [Float]  // 2 / window
    private let length: Int  // ring length: the longest window
    private var ring: [SIMD4<Float>]  // mark I, mark Q, space I, space Q
    private var sums: [SIMD4<Float>]
    private var slot = 0
    private var osc = SIMD4<Double>(1, 0, 1, 0)  // mark re, im, space re, im
    private let rotCos: SIMD4<Double>
    private let rotSin: SIMD4<Double>
    /// Samples since the sums were last re-summed from the ring and the oscillators scaled back
    /// to unit length (every 4096 samples, counted across blocks, so the values do not depend
    /// on the block size).
    private var sinceResum = 0
    /// Whether the loop runs in AVX2 (`CVectorKernels`, two windows to a vector; same bits).
    let avx2: Bool

    /// - Parameters:
    ///   - signalling: Tones and bit rate.
    ///   - sampleRate: Samples per second of the input.
    ///   - windowsBits: Integration lengths in bit periods, one per discriminator.
    public init(signalling: FSKSignalling, sampleRate: Double, windowsBits: [Double]) {
        self.init(
            signalling: signalling, sampleRate: sampleRate, windowsBits: windowsBits,
            avx2: CPUFeatures.avx2)
    }

    /// As ``init(signalling:sampleRate:windowsBits:)``; `avx2` runs the AVX2 loop (only where
    /// the CPU has it).
    init(signalling: FSKSignalling, sampleRate: Double, windowsBits: [Double], avx2: Bool) {
        self.avx2 = avx2 && CPUFeatures.avx2
        windows = windowsBits.map {
            ToneDiscriminator(signalling: signalling, sampleRate: sampleRate, windowBits: $0).window
        }
        scales = windows.map { 2 / Float($0) }
        length = windows.max() ?? 2
        ring = [SIMD4<Float>](repeating: .zero, count: length)
        sums = [SIMD4<Float>](repeating: .zero, count: windows.count)
        let wm = 2 * Double.pi * signalling.mark / sampleRate
        let ws = 2 * Double.pi * signalling.space / sampleRate
        rotCos = SIMD4(cos(wm), cos(wm), cos(ws), cos(ws))
        rotSin = SIMD4(-sin(wm), sin(wm), -sin(ws), sin(ws))
    }

    /// Filters a block: window `d`'s mark amplitudes go to `out[2·d·n ..< 2·d·n + n]`, its
    /// space amplitudes to the next `n` values (`n = input.count`; `out` holds `2·n·windows.count`).
    ///
    /// - Complexity: O(*n* · windows), no allocation.
    public mutating func process(_ input: UnsafeBufferPointer<Float>, into out: UnsafeMutableBufferPointer<Float>) {
        let n = input.count, nw = windows.count, len = length
        guard n > 0, nw > 0, out.count >= 2 * n * nw, let ip = input.baseAddress, let op = out.baseAddress else {
            return
        }
        let rc = rotCos, rs = rotSin
        var o = osc
        var k = slot
        var resum = sinceResum
        if avx2 {
            var oscillator = o
            ring.withUnsafeMutableBufferPointer { r in
                sums.withUnsafeMutableBufferPointer { sm in
                    windows.withUnsafeBufferPointer { wv in
                        scales.withUnsafeBufferPointer { sv in
                            guard let rp = r.baseAddress, let sp = sm.baseAddress, let wp = wv.baseAddress,
                                let scp = sv.baseAddress
                            else { return }
                            withUnsafeMutablePointer(to: &oscillator) { osp in
                                withUnsafePointer(to: rc) { rcp in
                                    withUnsafePointer(to: rs) { rsp in
                                        cvk_tone_bank_avx2(
                                            ip, n, op, UnsafeMutableRawPointer(rp).assumingMemoryBound(to: Float.self),
                                            len, UnsafeMutableRawPointer(sp).assumingMemoryBound(to: Float.self),
                                            wp, scp, nw,
                                            UnsafeMutableRawPointer(osp).assumingMemoryBound(to: Double.self),
                                            UnsafeRawPointer(rcp).assumingMemoryBound(to: Double.self),
                                            UnsafeRawPointer(rsp).assumingMemoryBound(to: Double.self), &k, &resum)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            o = oscillator
        } else {
            ring.withUnsafeMutableBufferPointer { r in
                sums.withUnsafeMutableBufferPointer { sm in
                    windows.withUnsafeBufferPointer { wv in
                        scales.withUnsafeBufferPointer { sv in
                            guard let rp = r.baseAddress, let sp = sm.baseAddress, let wp = wv.baseAddress,
                                let scp = sv.baseAddress
                            else { return }
                            for i in 0..<n {
                                let f = SIMD4<Float>(o * Double(ip[i]))
                                var d = 0
                                while d < nw {
                                    // The sample `window` back sits `window` slots behind the newest one.
                                    var back = k &- wp[d]
                                    if back < 0 { back &+= len }
                                    let s = sp[d] + (f - rp[back])
                                    sp[d] = s
                                    let q = s * s
                                    let amp =
                                        (SIMD2<Float>(q[0], q[2]) + SIMD2<Float>(q[1], q[3])).squareRoot()
                                        * SIMD2(repeating: scp[d])
                                    let base = 2 &* d &* n &+ i
                                    op[base] = amp[0]
                                    op[base &+ n] = amp[1]
                                    d &+= 1
                                }
                                rp[k] = f
                                k &+= 1
                                if k == len { k = 0 }
                                o = o * rc + SIMD4<Double>(o[1], o[0], o[3], o[2]) * rs
                                resum &+= 1
                                if resum == 4096 {
                                    resum = 0
                                    Self.resum(rp, sums: sp, windows: wp, count: nw, newest: k, length: len)
                                    o = ToneDiscriminator.renormalized(o)
                                }
                            }
                        }
                    }
                }
            }
        }
        osc = o
        slot = k
        sinceResum = resum
    }

    /// The Float sums drift from the ring by rounding: each is summed afresh (in `Double`)
    /// from the last `window` slots before `newest`.
    private static func resum(
        _ ring: UnsafePointer<SIMD4<Float>>, sums: UnsafeMutablePointer<SIMD4<Float>>,
        windows: UnsafePointer<Int>, count nw: Int, newest k: Int, length len: Int
    ) {
        for d in 0..<nw {
            var t = SIMD4<Double>.zero
            var back = k
            for _ in 0..<windows[d] {
                back = back == 0 ? len - 1 : back - 1
                t += SIMD4<Double>(ring[back])
            }
            sums[d] = SIMD4<Float>(t)
        }
    }
}
