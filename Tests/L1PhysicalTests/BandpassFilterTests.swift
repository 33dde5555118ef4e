import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

@Suite struct BandpassFilterTests {
    static func run(_ x: [Float], avx2: Bool, decimation: Int, block: Int) -> [Float] {
        var bp = BandpassFilter(low: 600, high: 2800, sampleRate: 44100, taps: 110, avx2: avx2)
        var out: [Float] = []
        var i = 0
        while i < x.count {
            let j = min(x.count, i + block)
            var y = [Float](repeating: 0, count: (j - i) / decimation + 1)
            let got = x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer {
                    bp.process(UnsafeBufferPointer(rebasing: xp[i..<j]), into: $0, decimation: decimation)
                }
            }
            out += y[0..<got]
            i = j
        }
        return out
    }

    /// The AVX2 dot products (fused multiply-adds) give the portable loop's outputs to within
    /// rounding, and the same bits whatever the block size (four outputs at a time or one);
    /// and the filter passes 1700 Hz and stops 6 kHz.
    @Test(arguments: [1, 3])
    func avx2MatchesPortable(decimation: Int) {
        var rng = SeededGenerator(seed: 11)
        var x = [Float](repeating: 0, count: 20000)
        for i in x.indices {
            let t = Double(i) * 2 * Double.pi / 44100
            let noise = (Float(rng.bytes(1)[0]) / 255 - 0.5) * 0.1
            x[i] = Float(sin(t * 1700) + 0.5 * sin(t * 6000)) + noise
        }
        let want = Self.run(x, avx2: false, decimation: decimation, block: x.count)
        #expect(want.count == (x.count - 1) / decimation + 1)
        let fused = Self.run(x, avx2: true, decimation: decimation, block: x.count)
        #expect(fused.count == want.count)
        let worst = zip(fused, want).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-5, "largest difference \(worst)")
        if CPUFeatures.avx2 {
            #expect(fused != want, "the AVX2 loop ran (fused multiply-adds round differently)")
        }
        for block in [1000, 7] {
            #expect(Self.run(x, avx2: true, decimation: decimation, block: block) == fused)
        }
        // Past the start-up, the 6 kHz tone is gone and the 1700 Hz one (amplitude 1) stays.
        let peak = want[(200 / decimation)...].map(abs).max() ?? 0
        #expect(peak > 0.9 && peak < 1.2)
    }
}
