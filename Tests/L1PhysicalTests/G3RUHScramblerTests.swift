import L1Physical
import SignalBasics
import Testing

@Suite struct G3RUHScramblerTests {
    static func randomBits(_ n: Int, seed: UInt64) -> [Bool] {
        var rng = SeededGenerator(seed: seed)
        return (0..<n).map { _ in rng.next() & 1 == 1 }
    }

    @Test func descramblingUndoesScrambling() {
        let bits = Self.randomBits(2000, seed: 1)
        var tx = G3RUHScrambler(), rx = G3RUHScrambler()
        let line = bits.map { tx.scramble($0) }
        #expect(line != bits)
        #expect(line.map { rx.descramble($0) } == bits)
    }

    @Test func theDescramblerLocksWithin17BitsFromAnyState() {
        let bits = Self.randomBits(500, seed: 2)
        var tx = G3RUHScrambler(state: 0x1_2345), rx = G3RUHScrambler(state: 0x0_F0F0)
        let back = bits.map { tx.scramble($0) }.map { rx.descramble($0) }
        #expect(Array(back.dropFirst(17)) == Array(bits.dropFirst(17)))
    }

    /// Eight lanes at once give each lane's scalar descrambler's bits and registers, lanes
    /// taking bits in at different times.
    @Test func eightLanesDescrambleAsEightScalarDescramblers() {
        var rng = SeededGenerator(seed: 3)
        var scalar = (0..<8).map { G3RUHScrambler(state: UInt32($0) * 0x2345) }
        var registers = SIMD8<UInt32>((0..<8).map { UInt32($0) * 0x2345 & 0x1FFFF })
        for _ in 0..<600 {
            let draw = rng.next()
            let line = SIMD8<UInt32>((0..<8).map { UInt32(draw >> $0 & 1) })
            let moving = SIMDMask<SIMD8<Int32>>((0..<8).map { draw >> (8 + $0) & 3 != 0 })
            let bits = G3RUHScrambler.descramble(line, registers: &registers, moving: moving)
            for l in 0..<8 where moving[l] {
                #expect(scalar[l].descramble(line[l] == 1) == (bits[l] == 1))
            }
            #expect(registers == SIMD8((0..<8).map { scalar[$0].register }))
        }
    }

    /// x^17 + x^12 + 1: a single 1 into a cleared scrambler, then zeros, comes back out 12 and
    /// 17 bits later (and so on), and one line error spoils exactly three descrambled bits.
    @Test func polynomialAndErrorSpread() {
        var tx = G3RUHScrambler()
        let line = ([true] + [Bool](repeating: false, count: 40)).map { tx.scramble($0) }
        let ones = line.indices.filter { line[$0] }
        #expect(Array(ones.prefix(4)) == [0, 12, 17, 24])
        var rx = G3RUHScrambler()
        var damaged = Self.randomBits(300, seed: 3)
        var clean = G3RUHScrambler()
        let reference = damaged.map { clean.descramble($0) }
        damaged[100].toggle()
        let out = damaged.map { rx.descramble($0) }
        #expect(out.indices.filter { out[$0] != reference[$0] } == [100, 112, 117])
    }

    @Test func basebandPulsesReachTheirLevelAtBitCentres() {
        let levels = Self.randomBits(200, seed: 4)
        let audio = BasebandModulator.render(levels, baud: 9600, sampleRate: 96000, amplitude: 0.5)
        #expect(audio.count == 2000)
        // 10 samples per bit: sample 10k+5 is the centre of bit k.
        for k in levels.indices { #expect(abs(audio[10 * k + 5] - (levels[k] ? 0.5 : -0.5)) < 1e-6) }
    }

    /// Scrambled random line bits through the modulator and the demodulator: every slicer
    /// gives the bits back after locking.
    @Test(arguments: [48000.0, 44100.0, 96000.0]) func basebandDemodulatorRecoversBits(rate: Double) {
        let bits = Self.randomBits(3000, seed: 5)
        var tx = G3RUHScrambler()
        let audio = BasebandModulator.render(bits.map { tx.scramble($0) }, baud: 9600, sampleRate: rate)
        var demod = BasebandDemodulator(baud: 9600, sampleRate: rate)
        // Per slicer: (bit whose centre lies in (sample − 1, sample], hard decision). The filters
        // delay the signal by half their length (a few bits), so the best alignment is taken.
        var got = [[(Int, Bool)]](repeating: [], count: demod.slicerCount)
        let spb = rate / 9600
        audio.withUnsafeBufferPointer { a in
            var i = 0
            while i < a.count {
                let j = min(a.count, i + 777)
                demod.process(UnsafeBufferPointer(rebasing: a[i..<j])) { k, softs, samples in
                    for m in softs.indices {
                        got[k].append((Int(((Double(samples[m]) - 0.5) / spb - 0.5).rounded()), softs[m] > 0))
                    }
                }
                i = j
            }
        }
        for k in got.indices {
            var bestRight = -1, bestCount = 0
            for d in -12...0 {
                var right = 0, count = 0
                for (bit, hard) in got[k] where bit + d >= 100 && bit + d < bits.count - 2 {
                    count += 1
                    if bits[bit + d] == hard { right += 1 }
                }
                if right > bestRight { (bestRight, bestCount) = (right, count) }
            }
            #expect(bestCount > 2800 && bestCount < 2950, "slicer \(k) at \(rate) Hz: \(bestCount) bits")
            #expect(bestRight == bestCount, "slicer \(k) at \(rate) Hz: \(bestCount - bestRight) wrong")
        }
    }
}
