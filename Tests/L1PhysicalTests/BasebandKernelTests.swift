import SignalBasics
import Testing

@testable import L1Physical

/// The baseband receiver with its low-pass filters, AGC and slicers in the AVX2 kernels, and
/// in their AVX-512 forms where this CPU has them, gives the portable loop's soft bits and
/// sampling instants bit for bit: noisy scrambled data at 48 and 44.1 kHz, with a DC shift, in
/// blocks that are not multiples of the eight-output vector, with four filters (one pass of the
/// AGC and slicer kernel) and with five (a second pass of the filter kernel with one filter;
/// the slicers in Swift).
@Test(
    .enabled(if: CPUFeatures.avx2),
    arguments: [(48000.0, [0.6, 0.7, 0.8, 0.9]), (44100.0, [0.6, 0.7, 0.8, 0.9, 1.0])])
func basebandAVX2FiltersMatchPortable(rate: Double, cutoffs: [Double]) {
    var rng = SeededGenerator(seed: 9)
    var tx = G3RUHScrambler()
    let bits = (0..<2000).map { _ in tx.scramble(rng.bytes(1)[0] & 1 == 1) }
    let audio = BasebandModulator.render(bits, baud: 9600, sampleRate: rate).map {
        $0 + 0.1 + Float(rng.bytes(1)[0]) / 255 * 0.3 - 0.15
    }
    var options = BasebandDemodulator.Options()
    options.cutoffs = cutoffs
    func run(avx2: Bool, avx512: Bool = false) -> [[Float]] {
        var demod = BasebandDemodulator(
            baud: 9600, sampleRate: rate, options: options, avx2: avx2, avx512: avx512)
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
    let want = run(avx2: false)
    #expect(want.allSatisfy { $0.count > 2 * 1900 })
    #expect(run(avx2: true) == want)
    if CPUFeatures.avx512 { #expect(run(avx2: true, avx512: true) == want) }
}
