import Foundation
import TestSupport
import Testing

@testable import ChannelSimulator

@Suite struct ChannelSimulatorTests {
    /// 0.2 s silence, 1 s of a two-tone FSK-like signal, 0.2 s silence, at `fs`.
    static func burstSignal(sampleRate fs: Int) -> [Float] {
        let silence = [Float](repeating: 0, count: fs / 5)
        let body = (0..<fs).map { i -> Float in
            let f = (i / (fs / 100)) % 2 == 0 ? 1200.0 : 2200.0
            return Float(0.4 * sin(2 * Double.pi * f * Double(i) / Double(fs)))
        }
        return silence + body + silence
    }

    @Test(arguments: [(10.0, 1200.0, 48_000), (4.0, 300.0, 8000), (15.0, 9600.0, 48_000)])
    func ebN0GivesTheRequestedPerSampleSNR(ebn0: Double, rate: Double, fs: Int) throws {
        let x = Self.burstSignal(sampleRate: fs)
        let (y, report) = try ChannelSimulator.apply(
            [.awgn(.ebN0(dB: ebn0, bitRate: .bitsPerSecond(rate)))], to: x, sampleRate: fs, seed: 5)
        let ps = TestSignals.power(x, (fs / 5)..<(fs / 5 + fs))
        let noise = TestSignals.differencePower(y, x, 0..<x.count)
        let measured = TestSignals.dB(ps / noise)
        let requested = ebn0 + TestSignals.dB(2 * rate / Double(fs))
        print(
            "AWGN Eb/N0 \(ebn0) dB @ \(rate) bit/s, fs \(fs): per-sample SNR \(measured) dB, "
                + "requested \(requested) dB, error \(measured - requested) dB")
        #expect(abs(measured - requested) < 0.2)
        #expect(abs((report.snrPerSampleDB ?? 0) - requested) < 1e-9)
        #expect(abs(report.activeSeconds - 1) < 1e-9)
        #expect(report.outputSamples == x.count)
    }

    @Test(arguments: [(-3.0, nil as Double?), (10.0, nil), (6.0, 4000.0), (20.0, 3000.0)])
    func snrGivesTheRequestedSNR(snr: Double, bandwidth: Double?) throws {
        let fs = 16_000
        let x = TestAudio.sine(frequency: 1000, sampleRate: fs, seconds: 1)
        let (y, report) = try ChannelSimulator.apply(
            [.awgn(.snr(dB: snr, bandwidth: bandwidth))],
            to: x, sampleRate: fs, seed: 11)
        let noise = TestSignals.differencePower(y, x, 0..<x.count)
        let share = (bandwidth ?? Double(fs) / 2) / (Double(fs) / 2)
        let measured = TestSignals.dB(TestSignals.power(x) / (noise * share))
        print(
            "AWGN SNR \(snr) dB in \(bandwidth ?? 8000) Hz: measured \(measured) dB, "
                + "error \(measured - snr) dB")
        #expect(abs(measured - snr) < 0.2)
        if bandwidth == 4000 { #expect(abs((report.snrIn4kHzDB ?? 0) - snr) < 1e-9) }
    }

    @Test func sameSeedIsBitIdenticalOtherSeedDiffers() throws {
        let x = Self.burstSignal(sampleRate: 8000)
        let chain = try ChannelSpec.parse(
            "ebn0=8,bitrate=300,hum=50,burst=2x10ms,dropout=2x10ms,"
                + "drift=100,pad=50ms"
        ).impairments
        let a = try ChannelSimulator.apply(chain, to: x, sampleRate: 8000, seed: 1)
        let b = try ChannelSimulator.apply(chain, to: x, sampleRate: 8000, seed: 1)
        let c = try ChannelSimulator.apply(chain, to: x, sampleRate: 8000, seed: 2)
        #expect(a.output == b.output)
        #expect(a.report == b.report)
        #expect(a.output != c.output)
        #expect(a.report.erasureSeconds != c.report.erasureSeconds)
    }

    @Test func addingAStepKeepsTheNoiseOfTheOthers() throws {
        let x = Self.burstSignal(sampleRate: 8000)
        let noise: Impairment = .awgn(.snr(dB: 0, bandwidth: nil))
        let a = try ChannelSimulator.apply([noise], to: x, sampleRate: 8000, seed: 3)
        let b = try ChannelSimulator.apply([noise, .dcOffset(0.25)], to: x, sampleRate: 8000, seed: 3)
        #expect(zip(a.output, b.output).allSatisfy { abs($1 - $0 - 0.25) < 1e-6 })
    }

    @Test func errors() throws {
        let silent = [Float](repeating: 0, count: 800)
        #expect(throws: ChannelError.noSignal) {
            try ChannelSimulator.apply(
                [.awgn(.ebN0(dB: 10, bitRate: .bitsPerSecond(100)))],
                to: silent, sampleRate: 8000, seed: 1)
        }
        let x = TestAudio.sine(frequency: 440, sampleRate: 8000, seconds: 0.1)
        #expect(throws: ChannelError.bitRateMissing) {
            try ChannelSimulator.apply([.awgn(.ebN0(dB: 10, bitRate: nil))], to: x, sampleRate: 8000, seed: 1)
        }
        #expect(throws: ChannelError.invalidSampleRate(0)) {
            try ChannelSimulator.apply([], to: x, sampleRate: 0, seed: 1)
        }
        let bad: [Impairment] = [
            .padding(milliseconds: -1), .clockDrift(ppm: 200_000),
            .dropout(count: -1, milliseconds: 10), .hum(frequency: 2000, levelDB: 0),
            .telephoneBand(low: 300, high: 5000), .echo([]),
            .frequencyOffset(hertz: .nan),
            .burstNoise(count: 2, milliseconds: 1e300, levelDB: 0),
            .dropout(count: Int.max, milliseconds: 10),
            .awgn(.snr(dB: 1000, bandwidth: nil)),
            .awgn(.snr(dB: 10, bandwidth: 0)),
            .awgn(.ebN0(dB: 10, bitRate: .bitsPerSecond(-1)))
        ]
        for step in bad {
            #expect(throws: ChannelError.self) {
                try ChannelSimulator.apply([step], to: x, sampleRate: 8000, seed: 1)
            }
        }
    }

    @Test func reportEncodesWithChannelPyNames() throws {
        let x = Self.burstSignal(sampleRate: 8000)
        let chain = try ChannelSpec.parse("ebn0=10,bitrate=300,gain=-3db,pad=100ms,dropout=1x5ms").impairments
        let (_, report) = try ChannelSimulator.apply(chain, to: x, sampleRate: 8000, seed: 4)
        let json = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        for key in [
            "fs", "Ps", "sigma", "active_s", "snr_per_sample_db", "snr_in_band_4k_db",
            "clipped_samples", "erasures_s", "in_s", "out_s", "rate_bps", "steps"
        ] {
            #expect(object[key] != nil, "missing \(key)")
        }
        #expect(try JSONDecoder().decode(ChannelReport.self, from: json) == report)
        #expect(report.summaryLines.count == 5)
        #expect(report.steps.map(\.name) == ["pad", "dropout", "awgn", "gain"])
        for line in report.summaryLines { print("summary: \(line)") }
    }

    /// The whole example chain of the CLI on a short 8 kHz signal.
    @Test func fullExampleChain() throws {
        let fs = 8000
        let x = Self.burstSignal(sampleRate: fs)
        let spec = try ChannelSpec.parse(
            "ebn0=12,drift=200ppm,freq=5hz,gain=-6db,hum=60hz@-20db,phone,mulaw,echo=30ms@-6db,"
                + "burst=3x20ms,dropout=5x20ms,pad=250ms,dc=0.05,seed=7"
        ).withDefaultBitRate(300)
        let (y, report) = try ChannelSimulator.apply(
            spec.impairments, to: x, sampleRate: fs,
            seed: spec.seed)
        #expect(
            report.steps.map(\.name) == [
                "drift", "freq", "echo", "phone", "mulaw", "pad",
                "dropout", "hum", "burst", "awgn", "dc", "gain"
            ])
        let drifted = Int((Double(x.count - 1) / (1 + 200e-6)).rounded(.down)) + 1
        #expect(y.count == drifted + 2 * 2000)
        #expect(report.erasureSeconds.count == 5 && report.burstSeconds.count == 3)
        #expect(report.erasureSeconds.allSatisfy { $0 >= 0.45 && $0 < 1.45 })
        let sigma = (report.signalPower / 300 / pow(10, 1.2) * Double(fs) / 2).squareRoot()
        #expect(abs(report.sigma / sigma - 1) < 1e-12)
        #expect(y.allSatisfy { abs($0) <= 1 })
        for line in report.summaryLines { print("chain: \(line)") }
    }

    @Test func specOverloadAndSilenceThreshold() throws {
        let fs = 8000
        // 0.5 s at full level, then 0.5 s 30 dB lower: active at −40 dB, not at −20 dB.
        let loud = TestAudio.sine(frequency: 800, sampleRate: fs, seconds: 0.5, amplitude: 0.5)
        let x = loud + loud.map { $0 * 0.031_622_8 }
        let spec = try ChannelSpec.parse("snr=10,seed=9")
        let a = try ChannelSimulator.apply(spec, to: x, sampleRate: fs)
        let b = try ChannelSimulator.apply(spec.impairments, to: x, sampleRate: fs, seed: 9)
        #expect(a.output == b.output)
        #expect(abs(a.report.activeSeconds - 1) < 1e-9)
        let c = try ChannelSimulator.apply(spec, to: x, sampleRate: fs, silenceDB: -20)
        #expect(abs(c.report.activeSeconds - 0.5) < 1e-9)
        #expect(abs(c.report.signalPower - 0.125) < 1e-4)
        #expect(throws: ChannelError.self) {
            try ChannelSimulator.apply(spec, to: x, sampleRate: fs, silenceDB: 3)
        }
    }
}
