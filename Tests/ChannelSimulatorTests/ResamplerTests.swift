import TestSupport
import Testing

@testable import ChannelSimulator

@Suite struct ResamplerTests {
    @Test func lengthsFollowTheRates() throws {
        let x = [Float](repeating: 0.1, count: 8000)
        #expect(try Resampler.resample(x, from: 8000, to: 22_050).count == 22_050)
        #expect(try Resampler.resample(x, from: 48_000, to: 44_100).count == 7350)
        #expect(try Resampler.resample(x, from: 48_000, to: 8000).count == 1334)
        #expect(try Resampler.resample(x, from: 8000, to: 8000) == x)
        #expect(throws: ChannelError.self) { try Resampler.resample(x, from: 0, to: 8000) }
    }

    @Test func toneSurvives48kTo44k1AndBack() throws {
        let x = TestAudio.sine(frequency: 1000, sampleRate: 48_000, seconds: 0.5)
        let y = try Resampler.resample(x, from: 48_000, to: 44_100)
        let z = try Resampler.resample(y, from: 44_100, to: 48_000)
        let fy = TestSignals.frequency(y, sampleRate: 44_100, 2205..<(y.count - 2205))
        let fz = TestSignals.frequency(z, sampleRate: 48_000, 2400..<(z.count - 2400))
        #expect(z.count == x.count)
        #expect(abs(fy - 1000) < 0.001)
        #expect(abs(fz - 1000) < 0.001)
        let interior = 2400..<(x.count - 2400)
        let snr = TestSignals.dB(
            TestSignals.power(x, interior)
                / TestSignals.differencePower(x, z, interior))
        print("resampler 48k→44.1k→48k: f \(fy), \(fz) Hz, waveform SNR \(snr) dB")
        #expect(snr > 60)
    }

    @Test func upsampling8kTo22k05KeepsTheTone() throws {
        let x = TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.5)
        let y = try Resampler.resample(x, from: 8000, to: 22_050)
        let inner = 1103..<(y.count - 1103)
        let f = TestSignals.frequency(y, sampleRate: 22_050, inner)
        #expect(abs(f - 1000) < 0.001)
        let level = TestSignals.dB(TestSignals.power(y, inner) / 0.125)
        #expect(abs(level) < 0.01)
    }

    /// Energy above the new Nyquist frequency must not alias into the output.
    @Test(arguments: [
        (48_000, 8000, 5000.0), (48_000, 8000, 7000.0), (48_000, 44_100, 23_000.0),
        (44_100, 8000, 4200.0)
    ])
    func aliasRejection(from: Int, to: Int, tone: Double) throws {
        let x = TestAudio.sine(frequency: tone, sampleRate: from, seconds: 0.25)
        let y = try Resampler.resample(x, from: from, to: to)
        let edge = to / 50
        let rejection = TestSignals.dB(
            TestSignals.power(x)
                / TestSignals.power(y, edge..<(y.count - edge)))
        print("resampler \(from)→\(to): \(tone) Hz rejected by \(rejection) dB")
        #expect(rejection >= 40)
    }

    @Test func passbandIsFlat() throws {
        for f in [300.0, 1000, 3000] {
            let x = TestAudio.sine(frequency: f, sampleRate: 48_000, seconds: 0.2)
            let y = try Resampler.resample(x, from: 48_000, to: 8000)
            let gain = TestSignals.dB(TestSignals.power(y, 160..<(y.count - 160)) / 0.125)
            #expect(abs(gain) < 0.05, "gain at \(f) Hz: \(gain) dB")
        }
    }

    /// The precomputed-phase path and the interpolating path compute the same kernel.
    @Test func polyphaseAndInterpolatingPathsAgree() throws {
        let x = TestSignals.noise(count: 4800, sigma: 0.2, seed: 8)
        let fast = try Resampler.resample(x, from: 48_000, to: 44_100)
        let slow = Resampler(step: 48_000.0 / 44_100).process(x, outputCount: fast.count)
        let worst = zip(fast, slow).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-5)
    }

    /// An offset moves the sampling instants: a delay of half a sample, then back.
    @Test func fractionalOffsets() {
        let x = TestAudio.sine(frequency: 440, sampleRate: 8000, seconds: 0.25)
        let r = Resampler(step: 1)
        let late = r.process(x, offset: -0.5)
        let early = r.process(x, offset: 10.25)
        let expectedLate = TestAudio.sine(
            frequency: 440, sampleRate: 8000, seconds: 0.25,
            phase: -2 * Double.pi * 440 * 0.5 / 8000)
        let expectedEarly = TestAudio.sine(
            frequency: 440, sampleRate: 8000, seconds: 0.25,
            phase: 2 * Double.pi * 440 * 10.25 / 8000)
        for i in 200..<1800 {
            #expect(abs(late[i] - expectedLate[i]) < 1e-4)
            #expect(abs(early[i] - expectedEarly[i]) < 1e-4)
        }
    }
}
