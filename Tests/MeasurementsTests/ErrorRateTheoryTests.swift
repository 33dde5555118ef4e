import Foundation
import L1Physical
import Measurements
import Testing

@Suite struct ErrorRateTheoryTests {
    @Test func theoryValues() {
        #expect(abs(ErrorRateTheory.nonCoherentBFSK(ebn0dB: 10) - 0.5 * exp(-5)) < 1e-15)
        #expect(abs(ErrorRateTheory.coherentBFSK(ebn0dB: 0) - 0.158655) < 1e-6)
        // The exact M-ary formula with M = 2 is the binary one.
        for db in stride(from: 0.0, through: 12, by: 2) {
            #expect(
                abs(ErrorRateTheory.nonCoherentMFSK(tones: 2, ebn0dB: db) - ErrorRateTheory.nonCoherentBFSK(ebn0dB: db))
                    < 1e-12)
        }
        // More tones need less Eb/N0 for the same BER (orthogonal FSK).
        #expect(
            ErrorRateTheory.nonCoherentMFSK(tones: 16, ebn0dB: 8) < ErrorRateTheory.nonCoherentMFSK(tones: 4, ebn0dB: 8)
        )
        #expect(abs(ErrorRateTheory.frameErrorRate(ber: 0.01, bits: 100) - (1 - pow(0.99, 100))) < 1e-12)
    }

    @Test func theoryAtAFewPoints() throws {
        let fsk = try #require(Mode.named("fsk1200"))
        // Binary: 0.5·e^(−Eb/2N0).
        #expect(abs((ErrorRateSweep.theoryBER(mode: fsk, ebn0dB: 10) ?? 0) - 0.5 * exp(-5)) < 1e-15)
        #expect(abs((ErrorRateSweep.theoryBER(mode: fsk, ebn0dB: 0) ?? 0) - 0.5 * exp(-0.5)) < 1e-15)
        // Non-coherent BFSK reaches 1e-3 at 2·ln(500) = 12.43 (linear), 10.94 dB.
        let at = try #require(ErrorRateSweep.theoryEbN0(mode: fsk, atBER: 1e-3))
        #expect(abs(at - 10 * log10(2 * log(500.0))) < 1e-6)
        // 4-FSK: Ps = 3/2 e^(−Es/2N0) − e^(−2Es/3N0) + 1/4 e^(−3Es/4N0), Pb = Ps·2/3, Es = 2 Eb.
        let m4 = try #require(Mode.named("mfsk4"))
        let es = 2 * pow(10, 8.0 / 10)
        let ps = 1.5 * exp(-es / 2) - exp(-2 * es / 3) + 0.25 * exp(-3 * es / 4)
        #expect(abs((ErrorRateSweep.theoryBER(mode: m4, ebn0dB: 8) ?? 0) - ps * 2 / 3) < 1e-12)
        #expect(ErrorRateSweep.theoryBER(mode: try #require(Mode.named("baseband")), ebn0dB: 8) == nil)
        // Theory FER of a 64-byte raw frame (payload + CRC-32 = 544 bits) at 10 dB.
        let p = ErrorRatePoint(ebn0dB: 10, counts: ErrorRateCounts(), mode: fsk, checkedBits: 544)
        #expect(abs((p.theoryFER ?? 0) - (1 - pow(1 - 0.5 * exp(-5), 544))) < 1e-12)
    }

    @Test func crossingInterpolatesLogBERInDB() {
        // 1e-2 at 8 dB, 1e-4 at 10 dB: 1e-3 lies halfway.
        #expect(ErrorRateSweep.crossing([(8, 1e-2), (10, 1e-4)], at: 1e-3) == 9)
        #expect(abs((ErrorRateSweep.crossing([(6, 0.1), (8, 1e-2), (9, 1e-4)], at: 1e-3) ?? 0) - 8.5) < 1e-12)
        #expect(ErrorRateSweep.crossing([(8, 1e-2), (10, 5e-3)], at: 1e-3) == nil)
        #expect(ErrorRateSweep.crossing([(8, 1e-2), (10, 0)], at: 1e-3) == nil)
    }

    @Test func pointsParse() throws {
        #expect(try ErrorRateSweep.points("6:14:2") == [6, 8, 10, 12, 14])
        #expect(try ErrorRateSweep.points("9, 10.5,8") == [8, 9, 10.5])
        #expect(try ErrorRateSweep.points("10:11:0.5") == [10, 10.5, 11])
        #expect(throws: ErrorRateError.self) { try ErrorRateSweep.points("14:6:1") }
        #expect(throws: ErrorRateError.self) { try ErrorRateSweep.points("a,b") }
    }

    @Test func configRejectsBadValues() throws {
        let fsk = try #require(Mode.named("fsk1200"))
        #expect(throws: ErrorRateError.self) {
            try ErrorRateSweep.Config(mode: fsk, ebn0Points: [10], frameBytes: 2000, layer: .ethernet)
        }
        #expect(throws: ErrorRateError.self) { try ErrorRateSweep.Config(mode: fsk, ebn0Points: [], frameBytes: 64) }
        #expect(throws: ErrorRateError.self) {
            try ErrorRateSweep.Config(mode: fsk, ebn0Points: [10], framesPerPoint: 0)
        }
        let eth = try ErrorRateSweep.Config(mode: fsk, ebn0Points: [10], frameBytes: 1500, layer: .ethernet)
        #expect(eth.phyPayloadBytes == 1518 && eth.checkedBits == 1518 * 8)
        let raw = try ErrorRateSweep.Config(mode: fsk, ebn0Points: [10], frameBytes: 64)
        #expect(raw.checkedBits == 68 * 8)
    }
}
