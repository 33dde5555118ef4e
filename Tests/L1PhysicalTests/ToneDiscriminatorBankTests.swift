import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import L1Physical

/// The bank's amplitudes are those of separate discriminators of each window length, to within
/// a few parts per million of the signal level, over a long noisy signal (many re-sums).
@Test func toneDiscriminatorBankMatchesSeparateDiscriminators() {
    let rate = 14700.0, windowsBits = [1.0, 1.3, 1.45]
    var rng = SeededGenerator(seed: 11)
    let n = Int(rate * 6)
    var x = [Float](repeating: 0, count: n)
    var phase = 0.0, level = true
    for i in 0..<n {
        if i % 12 == 0, rng.bytes(1)[0] & 1 == 0 { level.toggle() }
        phase += 2 * .pi * (level ? 1200 : 2200) / rate
        x[i] = Float(sin(phase)) * 0.4 + (Float(rng.bytes(1)[0]) / 255 - 0.5) * 0.8
    }
    var bank = ToneDiscriminatorBank(signalling: .bell202, sampleRate: rate, windowsBits: windowsBits)
    var got = [[Float]](repeating: [], count: windowsBits.count * 2)
    var i = 0
    while i < n {
        let j = min(n, i + 1000), m = j - i
        var out = [Float](repeating: 0, count: 2 * m * windowsBits.count)
        x.withUnsafeBufferPointer { xp in
            out.withUnsafeMutableBufferPointer { bank.process(UnsafeBufferPointer(rebasing: xp[i..<j]), into: $0) }
        }
        for d in windowsBits.indices {
            got[2 * d] += out[(2 * d * m)..<(2 * d * m + m)]
            got[2 * d + 1] += out[(2 * d * m + m)..<(2 * d * m + 2 * m)]
        }
        i = j
    }
    for (d, w) in windowsBits.enumerated() {
        var disc = ToneDiscriminator(signalling: .bell202, sampleRate: rate, windowBits: w)
        var mark = [Float](repeating: 0, count: n), space = [Float](repeating: 0, count: n)
        x.withUnsafeBufferPointer { xp in
            mark.withUnsafeMutableBufferPointer { mp in
                space.withUnsafeMutableBufferPointer { sp in disc.process(xp, mark: mp, space: sp) }
            }
        }
        let peak = max(mark.max() ?? 0, space.max() ?? 0)
        #expect(peak > 0.1)
        let worst = zip(got[2 * d] + got[2 * d + 1], mark + space).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < peak * 1e-5, "window \(w): off by \(worst) of \(peak)")
    }
}

/// The AVX2 loop (two windows to a vector) gives the portable loop's amplitudes bit for bit,
/// with an even and an odd number of windows, across blocks and re-sums.
@Test(arguments: [[1.0, 1.3, 1.45, 1.15], [1.0, 1.3, 1.45]])
func toneDiscriminatorBankAVX2MatchesPortable(windowsBits: [Double]) {
    let rate = 12000.0
    var rng = SeededGenerator(seed: 5)
    let x = (0..<30000).map { _ in Float(rng.bytes(1)[0]) / 255 - 0.5 }
    func run(avx2: Bool) -> [Float] {
        var bank = ToneDiscriminatorBank(signalling: .bell202, sampleRate: rate, windowsBits: windowsBits, avx2: avx2)
        var got: [Float] = []
        var i = 0
        while i < x.count {
            let j = min(x.count, i + 777)
            var out = [Float](repeating: 0, count: 2 * (j - i) * windowsBits.count)
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { bank.process(UnsafeBufferPointer(rebasing: xp[i..<j]), into: $0) }
            }
            got += out
            i = j
        }
        return got
    }
    let want = run(avx2: false)
    #expect(want.contains { $0 > 0.01 })
    #expect(run(avx2: true) == want)
}

/// The bank (both loops) and a single discriminator give the same amplitudes whatever the block
/// size: their oscillators are scaled back to unit length and their sums re-summed every 4096
/// samples counted across blocks, not at the end of whichever block passes 4096.
@Test(arguments: [false, true])
func toneDiscriminatorsAreBlockSizeIndependent(avx2: Bool) {
    let rate = 11025.0, windowsBits = [1.0, 1.3, 1.45, 1.15]
    var rng = SeededGenerator(seed: 9)
    let x = (0..<60_000).map { i in Float(sin(Double(i) * 0.7)) * 0.3 + Float(rng.bytes(1)[0]) / 255 - 0.5 }
    // Each window's marks, then its spaces, over the whole input.
    func bank(block: Int) -> [[Float]] {
        var bank = ToneDiscriminatorBank(signalling: .bell202, sampleRate: rate, windowsBits: windowsBits, avx2: avx2)
        var planes = [[Float]](repeating: [], count: 2 * windowsBits.count)
        var i = 0
        while i < x.count {
            let j = min(x.count, i + block), n = j - i
            var out = [Float](repeating: 0, count: 2 * n * windowsBits.count)
            x.withUnsafeBufferPointer { xp in
                out.withUnsafeMutableBufferPointer { bank.process(UnsafeBufferPointer(rebasing: xp[i..<j]), into: $0) }
            }
            for p in planes.indices { planes[p] += out[(p * n)..<((p + 1) * n)] }
            i = j
        }
        return planes
    }
    func single(block: Int) -> [Float] {
        var disc = ToneDiscriminator(signalling: .bell202, sampleRate: rate, windowBits: 1.3)
        var mark = [Float](repeating: 0, count: x.count), space = mark
        var i = 0
        while i < x.count {
            let j = min(x.count, i + block)
            x.withUnsafeBufferPointer { xp in
                mark.withUnsafeMutableBufferPointer { mp in
                    space.withUnsafeMutableBufferPointer { sp in
                        disc.process(
                            UnsafeBufferPointer(rebasing: xp[i..<j]),
                            mark: UnsafeMutableBufferPointer(rebasing: mp[i..<j]),
                            space: UnsafeMutableBufferPointer(rebasing: sp[i..<j]))
                    }
                }
            }
            i = j
        }
        return mark + space
    }
    let whole = bank(block: x.count)
    #expect(whole[0].contains { $0 > 0.01 })
    #expect(bank(block: 777) == whole)
    #expect(bank(block: 4097) == whole)
    #expect(single(block: 777) == single(block: x.count))
    #expect(single(block: 4097) == single(block: x.count))
}
