import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

/// Tone amplitudes of a noisy AFSK 1200 signal through discriminators of each window length.
private func amplitudes(
    rate: Double, seconds: Double, seed: UInt64,
    windowsBits: [Double]
) -> [(mark: [Float], space: [Float])] {
    var rng = SeededGenerator(seed: seed)
    let n = Int(rate * seconds)
    var x = [Float](repeating: 0, count: n)
    var phase = 0.0, level = true
    let spb = rate / 1200
    for i in 0..<n {
        if i % Int(spb) == 0, rng.bytes(1)[0] & 1 == 0 { level.toggle() }
        phase += 2 * .pi * (level ? 1200 : 2200) / rate
        x[i] = Float(sin(phase)) * (level ? 0.5 : 1) + (Float(rng.bytes(1)[0]) / 255 - 0.5) * 0.6
    }
    return windowsBits.map { w in
        var disc = ToneDiscriminator(signalling: .bell202, sampleRate: rate, windowBits: w)
        var m = [Float](repeating: 0, count: n), s = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in
            m.withUnsafeMutableBufferPointer { mp in
                s.withUnsafeMutableBufferPointer { sp in disc.process(xp, mark: mp, space: sp) }
            }
        }
        return (m, s)
    }
}

/// Every slicer of the packed lanes samples the same bits, at the same instants, as a scalar
/// ``ClockRecovery`` with its gain on its demodulator's discriminator — in the vectors that mix
/// two or three demodulators, and in a last four-lane vector: 5 gains × 3 demodulators = 15
/// slicers (two SIMD8), 3 × 4 = 12 (a SIMD8 and a SIMD4 over two demodulators), 5 × 5 = 25
/// (three SIMD8 and a SIMD4 with one slicer) — in the portable loop, the AVX2 one and the AVX-512 one. The
/// demodulators take turns on 2, 4 (the receiver's set-up, the AVX2 row-and-permute loop) or 5
/// discriminators (more than that loop takes: the general AVX2 loop); 6 × 6 = 36 slicers fill
/// five vectors (also the general loop).
@Test(arguments: [
    (5, [0.3, 0.1, 0.1], 2), (5, [0.1, 0.3, 0.3], 2), (3, [0.3, 0.1, 0.3, 0.1], 2),
    (5, [0.3, 0.1, 0.1, 0.1, 0.3], 2), (5, [0.3, 0.1, 0.1, 0.1, 0.3], 4),
    (3, [0.3, 0.1, 0.1, 0.1, 0.3], 5), (6, [0.3, 0.1, 0.1, 0.1, 0.3, 0.2], 4)
])
func slicerLanesMatchScalarClockRecovery(gainCount: Int, loopGains: [Double], discriminators: Int) {
    let rate = 14700.0
    let tones = amplitudes(
        rate: rate, seconds: 2, seed: 7,
        windowsBits: [1, 1.3, 1.45, 1.15, 1.6].prefix(discriminators).map { $0 })
    let sources = loopGains.indices.map { ($0 + 3) % discriminators }
    let n = tones[0].mark.count
    var packed: [Float] = []
    for t in tones { packed += t.mark + t.space }
    let gains: [Float] = AFSKBitDemodulator.spreadGains(count: gainCount, maxDB: 16).map { Float(pow(10, $0 / 20)) }
    // The portable loop, and the AVX2 and AVX-512 ones where the CPU has them.
    for kernel in [AFSKSlicerLanes.Kernel.portable, .avx2, .avx512] {
        var lanes = AFSKSlicerLanes(
            gains: gains, sources: sources, loopGains: loopGains, samplesPerBit: rate / 1200,
            kernel: kernel)
        #expect(
            lanes.kernel
                == (kernel == .avx512 && AFSKSlicerLanes.avx512Available
                    ? .avx512
                    : kernel != .portable && AFSKSlicerLanes.avx2Available ? .avx2 : .portable))
        #expect(lanes.count == gainCount * loopGains.count)
        var got = [[Float]](repeating: [], count: lanes.count)
        var gotAt = [[Int]](repeating: [], count: lanes.count)
        packed.withUnsafeBufferPointer { a in
            lanes.run(amplitudes: a, count: n, base: 100) { k, softs, samples in
                got[k] += Array(softs)
                gotAt[k] += Array(samples)
            }
        }
        for j in sources.indices {
            for (k, g) in gains.enumerated() {
                var clock = ClockRecovery(samplesPerBit: rate / 1200, loopGain: loopGains[j])
                var want: [Float] = [], at: [Int] = []
                tones[sources[j]].mark.withUnsafeBufferPointer { mp in
                    tones[sources[j]].space.withUnsafeBufferPointer { sp in
                        clock.run(mark: mp, space: sp, gain: g, base: 100) {
                            want.append($0); at.append($1)
                        }
                    }
                }
                #expect(got[j * gains.count + k] == want)
                #expect(gotAt[j * gains.count + k] == at)
                #expect(want.count > 2000)
            }
        }
    }
}

/// The multi-demodulator hands out the same instants whatever the block size.
@Test func multiDemodulatorIsBlockSizeIndependent() {
    let rate = 14700.0
    var rng = SeededGenerator(seed: 3)
    let x = (0..<30000).map { i in Float(sin(Double(i) * 0.6)) + (Float(rng.bytes(1)[0]) / 255 - 0.5) }
    func run(block: Int) -> [[Float]] {
        var demod = AFSKMultiDemodulator(
            signalling: .bell202, sampleRate: rate, gainsDB: [-8, 0, 8],
            windowsBits: [1, 1, 1.3], loopGains: [0.3, 0.1, 0.1])
        var out = [[Float]](repeating: [], count: demod.slicerCount)
        var i = 0
        while i < x.count {
            let j = min(x.count, i + block)
            x.withUnsafeBufferPointer {
                demod.process(UnsafeBufferPointer(rebasing: $0[i..<j])) { k, soft, _ in out[k].append(soft) }
            }
            i = j
        }
        return out
    }
    let whole = run(block: 30000)
    #expect(whole.count == 9)
    #expect(whole.allSatisfy { $0.count > 300 })
    #expect(run(block: 777) == whole)
}
