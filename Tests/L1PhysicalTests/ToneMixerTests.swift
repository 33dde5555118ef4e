import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

/// The AVX2 binary-FSK mixer (two partials to a vector) gives the Swift loop's partial sums and
/// block sum bit for bit, for partial lengths of one, two and eight four-sample columns (Bell 202
/// at 48 kHz, fsk1200 at 96 kHz, Bell 103 at 48 kHz) and a DC offset removed or not.
@Test(.enabled(if: CPUFeatures.avx2), arguments: [(1200.0, 2200.0, 8), (1200.0, 2400.0, 16), (1070.0, 1270.0, 32)])
func toneMixerAVX2MatchesPortable(low: Double, high: Double, partialLength: Int) {
    let rate = 48000.0, partials = 64
    var rng = SeededGenerator(seed: 11)
    let x = (0..<(3 * partialLength * partials)).map { _ in Float(rng.bytes(1)[0]) / 255 - 0.4 }
    func run(avx2: Bool, removeDC: Bool) -> [Float] {
        let mixer = ToneMixer(
            frequencies: [low, high], sampleRate: rate, partialLength: partialLength, partials: partials, avx2: avx2)
        var out: [Float] = []
        x.withUnsafeBufferPointer { xp in
            for block in 0..<3 {
                let b = mixer.blockLength
                mixer.mix(xp.baseAddress! + block * b, start: block * b, removeDC: removeDC)
                out += (0..<(2 * partials)).flatMap { [mixer.outRe[$0], mixer.outIm[$0]] }
                out.append(mixer.mixTwoTones(xp.baseAddress! + block * b))
            }
        }
        return out
    }
    for removeDC in [false, true] {
        let want = run(avx2: false, removeDC: removeDC)
        #expect(want.contains { abs($0) > 0.1 })
        #expect(run(avx2: true, removeDC: removeDC) == want, "removeDC \(removeDC)")
    }
}
