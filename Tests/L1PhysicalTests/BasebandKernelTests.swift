import SignalBasics
import Testing

@testable import L1Physical

/// Noisy scrambled data at `rate`, with a DC shift.
private func noisyScrambled(rate: Double) -> [Float] {
    var rng = SeededGenerator(seed: 9)
    var tx = G3RUHScrambler()
    let bits = (0..<2000).map { _ in tx.scramble(rng.bytes(1)[0] & 1 == 1) }
    return BasebandModulator.render(bits, baud: 9600, sampleRate: rate).map {
        $0 + 0.1 + Float(rng.bytes(1)[0]) / 255 * 0.3 - 0.15
    }
}

/// The low-pass bank in the AVX2 kernel (and in its AVX-512 form where this CPU has it) is
/// within rounding of the portable loop (its multiply-adds are fused; the portable loop's are
/// not), and gives the same bits with sixteen outputs to a vector as with eight: 501 outputs
/// (two vectors of sixteen at a time, then one, then eight, then one by one), four filters and
/// five (a second pass with one filter).
@Test(.enabled(if: CPUFeatures.avx2), arguments: [4, 5])
func basebandFilterKernelIsWithinRoundingOfPortable(filters: Int) {
    let audio = noisyScrambled(rate: 48000)
    let length = 41, n = 501
    let taps = [0.6, 0.7, 0.8, 0.9, 1.0].prefix(filters).flatMap {
        BasebandDemodulator.lowPass(cutoff: $0 * 9600 / 48000, length: length)
    }
    let ext = Array(audio[100..<(100 + n + length - 1)])
    func run(avx2: Bool, wide: Bool) -> [Float] {
        var out = [Float](repeating: 0, count: filters * n)
        ext.withUnsafeBufferPointer { x in
            taps.withUnsafeBufferPointer { t in
                out.withUnsafeMutableBufferPointer {
                    BasebandDemodulator.lowPassBank(
                        x, taps: t, length: length, filters: filters, n: n, into: $0, avx2: avx2, wide: wide)
                }
            }
        }
        return out
    }
    let portable = run(avx2: false, wide: false), kernel = run(avx2: true, wide: false)
    // Each output is a sum of 21 products of taps (summing to 1 in magnitude or a little more)
    // and inputs under 1.5: rounding apart, they differ by far less than 1e-5.
    let worst = zip(portable, kernel).map { abs($0 - $1) }.max() ?? 0
    #expect(worst < 1e-5)
    #expect(worst > 0, "the kernel fuses its multiply-adds: not expected to be bit for bit")
    #expect(portable.allSatisfy { $0 != 0 })
    if CPUFeatures.avx512 { #expect(run(avx2: true, wide: true) == kernel) }
}

/// The AGC and slicers in their kernel (AVX2, and AVX-512 where this CPU has it) give the Swift
/// loop's soft bits and sampling instants bit for bit on the same filtered signal (the filters in
/// the AVX2 kernel for both): at 48 and 44.1 kHz, in blocks that are not multiples of the
/// eight-output vector. With five filters the slicers always run in Swift; the receiver with its
/// filters in the kernel still decides the same bits as the portable one nearly everywhere.
@Test(
    .enabled(if: CPUFeatures.avx2),
    arguments: [(48000.0, [0.6, 0.7, 0.8, 0.9]), (44100.0, [0.6, 0.7, 0.8, 0.9, 1.0])])
func basebandSlicerKernelMatchesPortable(rate: Double, cutoffs: [Double]) {
    let audio = noisyScrambled(rate: rate)
    var options = BasebandDemodulator.Options()
    options.cutoffs = cutoffs
    func run(avx2: Bool, avx512: Bool = false, slicerKernel: Bool = true) -> [[Float]] {
        var demod = BasebandDemodulator(
            baud: 9600, sampleRate: rate, options: options, avx2: avx2, avx512: avx512, slicerKernel: slicerKernel)
        var out = [[Float]](repeating: [], count: demod.slicerCount)
        audio.withUnsafeBufferPointer { a in
            var i = 0
            while i < a.count {
                let j = min(a.count, i + 501)
                demod.process(UnsafeBufferPointer(rebasing: a[i..<j])) { k, softs, samples in
                    for m in softs.indices { out[k] += [softs[m], Float(samples[m])] }
                }
                i = j
            }
        }
        return out
    }
    let want = run(avx2: true, slicerKernel: false)
    #expect(want.allSatisfy { $0.count > 2 * 1900 })
    #expect(run(avx2: true) == want)
    if CPUFeatures.avx512 { #expect(run(avx2: true, avx512: true) == want) }
    // Against the portable filters: the same number of bits per slicer, nearly all of the same sign.
    let portable = run(avx2: false)
    for (p, k) in zip(portable, want) {
        #expect(p.count == k.count)
        let signs = stride(from: 0, to: min(p.count, k.count), by: 2).filter { (p[$0] > 0) == (k[$0] > 0) }.count
        #expect(signs * 2 >= min(p.count, k.count) - 2 * 4)
    }
}
