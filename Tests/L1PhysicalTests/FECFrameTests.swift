import SignalBasics
import Testing

@testable import L1Physical

/// Frames with forward error correction, end to end through the modulator and demodulator:
/// found without being told, corrected where uncoded frames fail, and never delivered wrong.
@Suite struct FECFrameTests {
    private func payload(_ n: Int, seed: Int) -> [UInt8] {
        (0..<n).map { UInt8(truncatingIfNeeded: $0 * 37 + seed * 11 + 5) }
    }

    @Test(arguments: ["fsk1200", "bell202", "mfsk16", "baseband"])
    func everySchemeRoundTripsAndNamesItself(mode name: String) throws {
        let mode = try #require(Mode.named(name))
        for scheme in FECScheme.allCases {
            let sent = [payload(300, seed: 1), payload(7, seed: 2)]
            let frames = try receive(try transmit(sent, mode: mode, fec: scheme), mode: mode)
            #expect(frames.map(\.payload) == sent, "\(name) \(scheme)")
            #expect(frames.allSatisfy { $0.isOK && $0.fec == scheme && $0.correctedBits == 0 }, "\(name) \(scheme)")
        }
    }

    @Test func bitsPackBackIntoTheirBytes() {
        let bytes: [UInt8] = [0x00, 0x01, 0x80, 0xA5, 0xFF, 0x3C]
        #expect(BitOrder.bytes(ofBits: BitOrder.bits(of: bytes)) == bytes)
        #expect(BitOrder.bytes(ofBits: [1, 0, 0, 0, 0, 0, 0, 1, 1]) == [0x81])  // the partial byte is dropped
    }

    @Test func schemesNameAndRateThemselves() {
        #expect(
            FECScheme(name: "cc1/2") == .cc12 && FECScheme(name: "CC34") == .cc34 && FECScheme(name: "cc5/6") == nil)
        #expect(FECScheme.allCases.map(\.name) == ["none", "rs", "cc3/4", "cc2/3", "cc1/2", "turbo1/2", "turbo1/3"])
        #expect(FECScheme.none.stronger == .rs && FECScheme.cc23.stronger == .cc12)
        #expect(FECScheme.turbo13.stronger == .turbo13)
        // 256 bytes + CRC: two RS blocks of 8 check bytes, then the convolutional code.
        let half = FECScheme.cc12.codeRate(payloadBytes: 256)
        #expect(abs(half - 2048.0 / Double(2 * (8 * (260 + 16) + 6))) < 1e-9)
        #expect(FECScheme.cc34.codeRate(payloadBytes: 256) > FECScheme.cc23.codeRate(payloadBytes: 256))
        #expect(FECScheme.cc23.codeRate(payloadBytes: 256) > half)
        #expect(abs(FECScheme.rs.codeRate(payloadBytes: 256) - 2048.0 / Double(8 * (260 + 32))) < 1e-9)
        #expect(abs(FECScheme.none.codeRate(payloadBytes: 256) - 256.0 / 260) < 1e-9)
    }

    /// At 5 dB per channel bit an uncoded 64-byte frame almost never survives (a bit error
    /// rate near 10 %); the rate 1/2 code delivers nearly all, and nothing wrong is delivered.
    @Test func correctsWhereUncodedFramesFail() throws {
        let mode = try #require(Mode.named("fsk1200"))
        let sent = (0..<12).map { payload(64, seed: $0) }
        var delivered: [FECScheme: Int] = [:]
        for scheme in [FECScheme.none, .cc12] {
            let clean = try transmit(sent, mode: mode, gap: 0.1, fec: scheme)
            let noisy = addNoise(clean, ebn0: 5, bitRate: 1200, rate: 48000, seed: 7)
            let frames = try receive(noisy, mode: mode)
            for f in frames where f.isOK { #expect(sent.contains(f.payload), "\(scheme) delivered a wrong frame") }
            delivered[scheme] = Set(frames.filter(\.isOK).map(\.payload)).count
        }
        #expect(delivered[FECScheme.none, default: 0] <= 2)
        #expect(delivered[FECScheme.cc12, default: 0] >= 11)
    }

    /// A 30 ms dropout inside the payload: the interleaver scatters it and the code fills it in.
    @Test func survivesADropout() throws {
        let mode = try #require(Mode.named("bell202"))
        let sent = [payload(200, seed: 3)]
        for scheme in [FECScheme.none, .cc12] {
            var x = try transmit(sent, mode: mode, fec: scheme)
            let at = Int(0.1 * 48000) + Int(0.6 * Double(x.count - 9600))
            for i in at..<(at + 1440) { x[i] = 0 }
            let frames = try receive(x, mode: mode)
            if scheme == .none {
                #expect(!frames.contains { $0.isOK }, "the dropout should break an uncoded frame")
            } else {
                let f = try #require(frames.first)
                #expect(f.isOK && f.payload == sent[0] && f.correctedBits > 0)
            }
        }
    }

    /// Heavy noise: whatever the decoders make of it, a frame that is not exact is never `ok`.
    @Test func miscorrectionIsRefused() throws {
        let mode = try #require(Mode.named("fsk1200"))
        let sent = (0..<8).map { payload(40, seed: 50 + $0) }
        let clean = try transmit(sent, mode: mode, gap: 0.1, fec: .cc34)
        let noisy = addNoise(clean, ebn0: 3, bitRate: 1200, rate: 48000, seed: 11)
        for f in try receive(noisy, mode: mode) where f.isOK { #expect(sent.contains(f.payload)) }
    }

    /// Noise alone starts no coded frame: the coded header's checks throw out the syncs that
    /// the lower threshold lets through.
    @Test func noiseAloneGivesNothing() throws {
        let mode = try #require(Mode.named("fsk1200"))
        var rng = SeededGenerator(seed: 3)
        let noise = (0..<(48000 * 20)).map { _ in Float(0.1 * rng.nextGaussian()) }
        #expect(try receive(noise, mode: mode).isEmpty)
    }
}
