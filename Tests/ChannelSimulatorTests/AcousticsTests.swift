import Foundation
import SignalBasics
import Testing

@testable import ChannelSimulator

/// Wow, flutter and reverberation: what a tape transport and a room do to a signal.
@Suite struct AcousticsTests {
    static func sine(_ hz: Double, seconds: Double, sampleRate: Int) -> [Float] {
        (0..<Int(seconds * Double(sampleRate))).map {
            Float(0.5 * sin(2 * Double.pi * hz * Double($0) / Double(sampleRate)))
        }
    }

    @Test func specsParseAndPrintBack() throws {
        let spec = try ChannelSpec.parse("reverb=800ms@6db,wow=0.5%@0.55hz,flutter=0.2@7,drift=2%")
        // The default order: the transport (in the order written), then the room.
        #expect(
            spec.impairments == [
                .wow(percent: 0.5, hertz: 0.55), .flutter(percent: 0.2, hertz: 7), .clockDrift(ppm: 20000),
                .reverb(seconds: 0.8, directToReverberantDB: 6)
            ])
        #expect(try ChannelSpec.parse(spec.description) == spec)
        #expect(try ChannelSpec.parse("reverb=1").impairments == [.reverb(seconds: 1, directToReverberantDB: 0)])
    }

    @Test(arguments: [
        "wow=0.5%", "wow=0@1hz", "flutter=20%@7hz", "wow=1%@0hz", "reverb=0s", "reverb=11s", "reverb=1s@6hz"
    ])
    func badValuesAreRefused(text: String) {
        #expect(throws: ChannelError.self) {
            let spec = try ChannelSpec.parse(text)
            for step in spec.impairments { try step.validate(sampleRate: 8000) }
        }
    }

    /// A 1 kHz tone under 2 % wow at 1 Hz: the same length, and its pitch swings by ±2 %,
    /// highest a quarter cycle in (the speed is 1 + a·sin).
    @Test func wowSwingsThePitch() throws {
        let fs = 8000
        let x = Self.sine(1000, seconds: 1, sampleRate: fs)
        let (y, report) = try ChannelSimulator.apply([.wow(percent: 2, hertz: 1)], to: x, sampleRate: fs, seed: 1)
        #expect(y.count == x.count)
        #expect(report.steps.map(\.name) == ["wow"])
        let quarter = TestSignals.frequency(y, sampleRate: fs, 1800..<2200)
        let threeQuarters = TestSignals.frequency(y, sampleRate: fs, 5800..<6200)
        #expect(abs(quarter - 1020) < 3, "\(quarter)")
        #expect(abs(threeQuarters - 980) < 3, "\(threeQuarters)")
    }

    /// A click through a 0.5 s room at +6 dB: the direct path at its level, the tail's energy
    /// a quarter of it, and 60 dB down after the RT60.
    @Test func reverbTailHasItsEnergyAndDecay() throws {
        let fs = 8000
        var x = [Float](repeating: 0, count: 2 * fs)
        x[100] = 1
        let (y, _) = try ChannelSimulator.apply(
            [.reverb(seconds: 0.5, directToReverberantDB: 6)], to: x, sampleRate: fs, seed: 3)
        #expect(y.count == x.count)
        #expect(abs(y[100] - 1) < 1e-4)
        let tail = TestSignals.power(y, 101..<y.count) * Double(y.count - 101)
        #expect(abs(TestSignals.dB(tail) + 6) < 0.1, "\(TestSignals.dB(tail))")
        let early = TestSignals.power(y, 200..<600), late = TestSignals.power(y, (100 + fs / 2)..<(500 + fs / 2))
        #expect(abs(TestSignals.dB(early / late) - 60) < 6, "\(TestSignals.dB(early / late))")
    }

    /// Overlap-add over several blocks gives what direct convolution gives.
    @Test func convolutionMatchesTheDirectSum() throws {
        var rng = SeededGenerator(seed: 4)
        let x = (0..<5000).map { _ in Float(rng.nextGaussian()) }
        let h = (0..<300).map { _ in rng.nextGaussian() }
        let y = try ChannelState.convolve(x, h)
        for n in [0, 299, 1000, 4999] {
            var s = 0.0
            for k in 0..<h.count where n - k >= 0 { s += Double(x[n - k]) * h[k] }
            #expect(abs(Double(y[n]) - s) < 1e-3, "\(n)")
        }
    }
}
