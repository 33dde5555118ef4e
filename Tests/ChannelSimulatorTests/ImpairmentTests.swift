import Foundation
import TestSupport
import Testing

@testable import ChannelSimulator

/// Each impairment alone, measured against its calibration.
@Suite struct ImpairmentTests {
    static func run(
        _ steps: [Impairment], _ x: [Float], _ fs: Int,
        seed: UInt64 = 1
    ) throws -> ([Float], ChannelReport) {
        let r = try ChannelSimulator.apply(steps, to: x, sampleRate: fs, seed: seed)
        return (r.output, r.report)
    }

    @Test(arguments: [200.0, 5000, -5000, -200])
    func clockDriftScalesLengthAndFrequency(ppm: Double) throws {
        let fs = 48_000
        let x = TestAudio.sine(frequency: 1000, sampleRate: fs, seconds: 1)
        let (y, report) = try Self.run([.clockDrift(ppm: ppm)], x, fs)
        let factor = 1 + ppm * 1e-6
        let expectedLength = Double(x.count) / factor
        #expect(abs(Double(y.count) - expectedLength) <= 1)
        let f = TestSignals.frequency(y, sampleRate: fs, 2400..<(y.count - 2400))
        let expected = 1000 * factor
        let errorPPM = (f / expected - 1) * 1e6
        print(
            "drift \(ppm) ppm: length \(y.count) (expected \(expectedLength)), f \(f) Hz "
                + "(expected \(expected)), error \(errorPPM) ppm")
        #expect(abs(errorPPM) < 1)
        #expect(report.outputSamples == y.count)
        let level = TestSignals.dB(TestSignals.power(y, 2400..<(y.count - 2400)) / 0.125)
        #expect(abs(level) < 0.01)
    }

    @Test(arguments: [
        (1000.0, 5.0, 8000), (1000, -37.5, 8000), (1000, 120, 48_000),
        (300, 10, 8000), (3400, -25, 8000), (150, 20, 8000)
    ])
    func frequencyOffsetShiftsTheTone(tone: Double, offset: Double, fs: Int) throws {
        let x = TestAudio.sine(frequency: tone, sampleRate: fs, seconds: fs == 8000 ? 1 : 0.3)
        let (y, _) = try Self.run([.frequencyOffset(hertz: offset)], x, fs)
        #expect(y.count == x.count)
        let edge = fs / 20
        let f = TestSignals.frequency(y, sampleRate: fs, edge..<(y.count - edge))
        // What is left at the mirror frequency (the Hilbert filter's image) and the level.
        let range = edge..<(y.count - edge)
        let image = TestSignals.amplitude(y, at: tone - offset, sampleRate: fs, range)
        let main = TestSignals.amplitude(y, at: tone + offset, sampleRate: fs, range)
        print(
            "freq offset \(offset) Hz on \(tone) Hz at \(fs): f \(f) Hz, error \(f - tone - offset) Hz, "
                + "image \(20 * log10(image / main)) dB")
        #expect(abs(f - (tone + offset)) < 0.5)
        #expect(image < main * 0.001)  // image ≤ −60 dB
        #expect(abs(main - 0.5) < 0.005)
    }

    @Test func telephoneBandPass() throws {
        let fs = 48_000
        var gains: [Double: Double] = [:]
        for f in [100.0, 300, 1000, 3400, 6000] {
            let x = TestAudio.sine(frequency: f, sampleRate: fs, seconds: 0.5)
            let (y, _) = try Self.run([.telephone], x, fs)
            let tail = (fs / 4)..<y.count
            gains[f] = TestSignals.dB(TestSignals.power(y, tail) / TestSignals.power(x, tail))
        }
        print("phone band-pass gains (dB): \(gains.sorted { $0.key < $1.key })")
        #expect(try #require(gains[100]) <= -20)
        #expect(try #require(gains[6000]) <= -20)
        #expect(abs(try #require(gains[1000])) < 1)
        #expect(abs(try #require(gains[300]) + 3.01) < 0.1)  // Butterworth edges at −3 dB
        #expect(abs(try #require(gains[3400]) + 3.01) < 0.1)
        let design = BiquadCascade.bandPass(low: 300, high: 3400, sampleRate: 48_000)
        #expect(abs(20 * log10(design.magnitude(at: 1000, sampleRate: 48_000))) < 0.05)
    }

    @Test(arguments: [48_000, 44_100, 8000])
    func muLawRoundTripKeepsAToneClean(fs: Int) throws {
        let x = TestAudio.sine(frequency: 1000, sampleRate: fs, seconds: 0.5, amplitude: 0.5)  // −6 dBFS
        let (y, _) = try Self.run([.muLaw], x, fs)
        #expect(y.count == x.count)
        let inner = (fs / 50)..<(x.count - fs / 50)
        let snr = TestSignals.dB(TestSignals.power(x, inner) / TestSignals.differencePower(x, y, inner))
        print("mu-law round trip at \(fs): SNR \(snr) dB")
        #expect(snr >= 30)
    }

    @Test func echoShowsAsAnAutocorrelationPeak() throws {
        let fs = 8000
        let x = TestSignals.noise(count: 4000, sigma: 0.1, seed: 21)
        let (y, report) = try Self.run([.echo([EchoTap(delayMilliseconds: 30, gainDB: -6)])], x, fs)
        var best = (lag: 0, value: -Double.infinity)
        for lag in 1..<800 {
            var sum = 0.0
            for i in lag..<y.count { sum += Double(y[i]) * Double(y[i - lag]) }
            if sum > best.value { best = (lag, sum) }
        }
        #expect(best.lag == 240)
        // The echo itself: y − x is x delayed by 240 samples at −6 dB.
        let g = amplitudeRatio(dB: -6)
        #expect(
            zip(y[240...], x[240...]).enumerated().allSatisfy { i, p in
                abs(Double(p.0 - p.1) - g * Double(x[i])) < 1e-6
            })
        #expect(report.steps[0].summary.contains("30 ms"))
        // Two paths: peaks at both delays, in order of their gains.
        let taps = [EchoTap(delayMilliseconds: 12.5, gainDB: -3), EchoTap(delayMilliseconds: 50, gainDB: -9)]
        let (z, _) = try Self.run([.echo(taps)], x, fs)
        func correlation(_ lag: Int) -> Double {
            (lag..<z.count).reduce(0.0) { $0 + Double(z[$1]) * Double(z[$1 - lag]) }
        }
        let values = (0..<600).map { $0 == 0 ? -Double.infinity : correlation($0) }
        let ranked = (1..<600).sorted { values[$0] > values[$1] }
        #expect(Array(ranked.prefix(2)) == [100, 400])
    }

    @Test(arguments: [(50.0, -20.0), (60.0, -10.0), (60.0, -30.0)])
    func humHasTheRequestedLevel(frequency: Double, levelDB: Double) throws {
        let fs = 8000
        let x = TestAudio.sine(frequency: 1000, sampleRate: fs, seconds: 1)
        let (y, _) = try Self.run([.hum(frequency: frequency, levelDB: levelDB)], x, fs)
        let hum = TestSignals.differencePower(y, x, 0..<x.count)
        let measured = TestSignals.dB(hum / 0.125)
        let fundamental = TestSignals.amplitude(
            zip(y, x).map { $0 - $1 }, at: frequency,
            sampleRate: fs, 0..<x.count)
        let other = TestSignals.amplitude(
            zip(y, x).map { $0 - $1 }, at: frequency == 50 ? 60 : 50,
            sampleRate: fs, 0..<x.count)
        print("hum \(frequency) Hz @ \(levelDB) dB: measured \(measured) dB")
        #expect(abs(measured - levelDB) < 0.5)
        #expect(fundamental > 20 * other)
    }

    @Test func gainAndClipping() throws {
        let fs = 8000
        let x = TestAudio.sine(frequency: 440, sampleRate: fs, seconds: 0.5, amplitude: 0.5)
        let (quiet, r1) = try Self.run([.gain(dB: -6)], x, fs)
        #expect(r1.clippedSamples == 0)
        #expect(abs(TestSignals.dB(TestSignals.power(quiet) / TestSignals.power(x)) + 6) < 1e-4)
        let (loud, r2) = try Self.run([.gain(dB: 12)], x, fs)
        let g = Float(amplitudeRatio(dB: 12))
        let expected = x.filter { abs($0 * g) >= 1 }.count
        #expect(r2.clippedSamples == expected)
        #expect(r2.steps[0].parameters.contains(.init("clipped", Double(expected))))
        #expect(loud.allSatisfy { abs($0) <= 1 })
        #expect(abs(Double(expected) / Double(x.count) - 2.0 / 3) < 0.01)  // |sin| ≥ ½
    }

    @Test func dcOffsetShiftsTheMean() throws {
        let x = TestAudio.sine(frequency: 500, sampleRate: 8000, seconds: 0.5)
        let (y, _) = try Self.run([.dcOffset(0.05)], x, 8000)
        let shift = zip(y, x).reduce(0.0) { $0 + Double($1.0 - $1.1) } / Double(x.count)
        #expect(abs(shift - 0.05) < 1e-6)
    }

    @Test func paddingAddsSilence() throws {
        let x = TestAudio.sine(frequency: 500, sampleRate: 8000, seconds: 0.25)
        let (y, report) = try Self.run([.padding(milliseconds: 250)], x, 8000)
        #expect(y.count == x.count + 4000)
        #expect(y[..<2000].allSatisfy { $0 == 0 } && y[(y.count - 2000)...].allSatisfy { $0 == 0 })
        #expect(Array(y[2000..<(2000 + x.count)]) == x)
        #expect(report.outputSeconds == 0.75)
    }

    @Test func dropoutsZeroTheReportedSpansInsideTheSignal() throws {
        let fs = 8000
        let x = ChannelSimulatorTests.burstSignal(sampleRate: fs)  // 0.2 s silence each side
        let chain: [Impairment] = [.padding(milliseconds: 100), .dropout(count: 5, milliseconds: 20)]
        let (y, report) = try Self.run(chain, x, fs, seed: 17)
        #expect(report.erasureSeconds.count == 5)
        var erased = [Bool](repeating: false, count: y.count)
        for start in report.erasureSeconds {
            #expect(start >= 0.3 && start < 1.3)  // inside the active part
            let s = Int((start * Double(fs)).rounded())
            for i in s..<min(y.count, s + 160) { erased[i] = true }
        }
        for i in 0..<y.count {
            let original = i >= 800 && i < 800 + x.count ? x[i - 800] : 0
            #expect(y[i] == (erased[i] ? 0 : original))
        }
    }

    @Test func burstsAddNoiseAtTheirLevelWhereReported() throws {
        let fs = 8000
        let x = TestAudio.sine(frequency: 700, sampleRate: fs, seconds: 1)
        let (y, report) = try Self.run([.burstNoise(count: 3, milliseconds: 50, levelDB: 6)], x, fs)
        #expect(report.burstSeconds.count == 3)
        var inside = [Bool](repeating: false, count: y.count)
        for start in report.burstSeconds {
            let s = Int((start * Double(fs)).rounded())
            for i in s..<min(y.count, s + 400) { inside[i] = true }
        }
        var power = 0.0, n = 0
        for i in 0..<y.count {
            if inside[i] {
                power += Double(y[i] - x[i]) * Double(y[i] - x[i]); n += 1
            } else {
                #expect(y[i] == x[i])
            }
        }
        let level = TestSignals.dB(power / Double(n) / 0.125)
        print("burst noise at +6 dB: measured \(level) dB over \(n) samples")
        #expect(abs(level - 6) < 0.5)
    }
}
