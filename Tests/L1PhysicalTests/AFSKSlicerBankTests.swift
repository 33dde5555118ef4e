import Foundation
import Testing
@testable import L1Physical

/// Tone amplitudes of a noisy AFSK 1200 signal through the discriminator, for the slicer tests.
private func amplitudes(rate: Double, seconds: Double, seed: UInt64) -> (mark: [Float], space: [Float]) {
    var rng = TestRNG(seed: seed)
    let n = Int(rate * seconds)
    var x = [Float](repeating: 0, count: n)
    var phase = 0.0, level = true
    let spb = rate / 1200
    for i in 0..<n {
        if i % Int(spb) == 0, rng.bytes(1)[0] & 1 == 0 { level.toggle() }
        phase += 2 * .pi * (level ? 1200 : 2200) / rate
        x[i] = Float(sin(phase)) * (level ? 0.5 : 1) + (Float(rng.bytes(1)[0]) / 255 - 0.5) * 0.6
    }
    var disc = ToneDiscriminator(signalling: .bell202, sampleRate: rate)
    var m = [Float](repeating: 0, count: n), s = [Float](repeating: 0, count: n)
    x.withUnsafeBufferPointer { xp in
        m.withUnsafeMutableBufferPointer { mp in s.withUnsafeMutableBufferPointer { sp in disc.process(xp, mark: mp, space: sp) } }
    }
    return (m, s)
}

/// Every lane of a bank samples the same bits as a scalar ``ClockRecovery`` with that gain.
@Test(arguments: [0.3, 0.1])
func slicerBankMatchesScalarClockRecovery(loopGain: Double) {
    let rate = 14700.0
    let (m, s) = amplitudes(rate: rate, seconds: 2, seed: 7)
    let gains: [Float] = AFSKBitDemodulator.spreadGains(count: 5, maxDB: 16).map { Float(pow(10, $0 / 20)) }
    var bank = AFSKSlicerBank(gains: gains, samplesPerBit: rate / 1200, loopGain: loopGain)
    var lanes = [[Float]](repeating: [], count: gains.count)
    var samples = [[Int]](repeating: [], count: gains.count)
    for i in m.indices {
        let (d, sampled) = bank.advance(mark: m[i], space: s[i])
        guard sampled else { continue }
        for k in gains.indices where !d[k].isNaN {
            lanes[k].append(d[k] / (gains[k] * m[i] + s[i] + 1e-9))
            samples[k].append(i)
        }
    }
    for (k, g) in gains.enumerated() {
        var clock = ClockRecovery(samplesPerBit: rate / 1200, loopGain: loopGain)
        var want: [Float] = [], at: [Int] = []
        m.withUnsafeBufferPointer { mp in
            s.withUnsafeBufferPointer { sp in
                clock.run(mark: mp, space: sp, gain: g, base: 0) { want.append($0); at.append($1) }
            }
        }
        #expect(lanes[k] == want)
        #expect(samples[k] == at)
        #expect(want.count > 2000)
    }
}

/// The multi-demodulator hands out the same instants whatever the block size.
@Test func multiDemodulatorIsBlockSizeIndependent() {
    let rate = 14700.0
    var rng = TestRNG(seed: 3)
    let x = (0..<30000).map { i in Float(sin(Double(i) * 0.6)) + (Float(rng.bytes(1)[0]) / 255 - 0.5) }
    func run(block: Int) -> [[Float]] {
        var demod = AFSKMultiDemodulator(signalling: .bell202, sampleRate: rate, gainsDB: [-8, 0, 8],
                                         windowsBits: [1, 1, 1.3], loopGains: [0.3, 0.1, 0.1])
        var out = [[Float]](repeating: [], count: demod.slicerCount)
        var i = 0
        while i < x.count {
            let j = min(x.count, i + block)
            x.withUnsafeBufferPointer { demod.process(UnsafeBufferPointer(rebasing: $0[i..<j])) { k, soft, _ in out[k].append(soft) } }
            i = j
        }
        return out
    }
    let whole = run(block: 30000)
    #expect(whole.count == 9)
    #expect(whole.allSatisfy { $0.count > 300 })
    #expect(run(block: 777) == whole)
}
