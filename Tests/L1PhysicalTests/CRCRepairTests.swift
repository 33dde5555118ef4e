import Foundation
import SignalBasics
import Testing

@testable import L1Physical

/// An uncoded frame one or two bits short of its CRC-32: the receiver flips its least reliable
/// bits until the CRC holds, says how many it flipped, and never delivers a wrong frame.
@Suite struct CRCRepairTests {
    static func decode(_ x: [Float], repairBits: Int) throws -> [DecodedFrame] {
        var options = Demodulator.Options()
        options.repairBits = repairBits
        let d = try Demodulator(mode: .fsk1200, sampleRate: 48000, options: options)
        return x.withUnsafeBufferPointer { d.process($0) } + d.finish()
    }

    /// One symbol of the payload drowned in a burst of noise as strong as the signal: without
    /// repair some of these frames fail their CRC; with it every one comes back exact.
    @Test func aDrownedSymbolIsRepaired() throws {
        var rng = SeededGenerator(seed: 21)
        let payload = rng.bytes(48)
        let clean = try transmit([payload], mode: .fsk1200)
        let symbol = 40  // samples per symbol at 1200 Bd, 48 kHz
        var failedWithout = 0, repaired = 0
        for k in 0..<12 {
            var x = clean
            // Past the lead, preamble, sync and header: inside the payload.
            let at = Int(0.1 * 48000) + (24 + 32 + 96 + 8 * (4 + k)) * symbol
            var noise = SeededGenerator(seed: UInt64(k))
            for i in at..<(at + symbol) { x[i] = Float(0.7 * noise.nextGaussian()) }
            let plain = try Self.decode(x, repairBits: 0)
            let mended = try Self.decode(x, repairBits: 2)
            #expect(mended.count == 1 && mended[0].isOK && mended[0].payload == payload, "burst \(k)")
            if plain.first?.isOK != true {
                failedWithout += 1
                #expect(mended.first?.correctedBits ?? 0 > 0, "burst \(k): repaired frames say so")
                repaired += 1
            } else {
                #expect(mended.first?.correctedBits == 0)
            }
        }
        #expect(failedWithout >= 3, "the bursts should break some frames: \(failedWithout)")
        #expect(repaired == failedWithout)
    }

    /// Far too damaged to mend (a tenth of the payload drowned): reported failed, not mended
    /// into something else.
    @Test func aWreckIsNotMended() throws {
        var rng = SeededGenerator(seed: 22)
        let payload = rng.bytes(48)
        var x = try transmit([payload], mode: .fsk1200)
        let at = Int(0.1 * 48000) + (24 + 32 + 96 + 64) * 40
        var noise = SeededGenerator(seed: 5)
        for i in at..<(at + 40 * 40) { x[i] = Float(0.7 * noise.nextGaussian()) }
        let frames = try Self.decode(x, repairBits: 2)
        #expect(frames.count == 1)
        #expect(frames.first?.isOK == false)
    }
}
