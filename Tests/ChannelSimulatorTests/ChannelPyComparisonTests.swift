import Foundation
import TestSupport
import Testing

@testable import ChannelSimulator

/// Our calibration against the shared benchmark's own channel (`channel.py`).
@Suite struct ChannelPyComparisonTests {
    /// `../shared/bench/channel.py` beside the package root (found from this file, wherever the
    /// checkout is).
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/bench/channel.py").standardized.path
    static let available =
        FileManager.default.fileExists(atPath: script)
        && TestSignals.which("python3").map { python in
            (try? runProcess(python, ["-c", "import numpy"], timeLimit: 60))?.status == 0
        } == true

    @Test(
        .enabled(if: available, "needs python3 with numpy and the shared bench"),
        arguments: [(10.0, 1200.0, 48_000), (6.0, 300.0, 8000)])
    func psAndSigmaMatchChannelPy(ebn0: Double, rate: Double, fs: Int) throws {
        // A WAV with silences and an active part at two levels, so the mask matters.
        let x = ChannelSimulatorTests.burstSignal(sampleRate: fs)
        var q = x.map { Int16(($0 * 32_768).rounded()) }
        for i in (fs / 2)..<(fs / 2 + fs / 10) { q[i] /= 3 }
        let dir = try TemporaryDirectory(prefix: "channelsim")
        defer { dir.remove() }
        let input = dir.path("in.wav")
        try dir.write("in.wav", WAV.pcm16(samples: q, rate: fs))

        let run = try runProcess(
            try #require(TestSignals.which("python3")),
            [
                Self.script, input, dir.path("out.wav"), "--ebn0", "\(ebn0)", "--bitrate", "\(rate)",
                "--json", dir.path("j.json")
            ])
        try #require(run.status == 0, "channel.py: \(run.stderr)")
        let data = try Data(contentsOf: dir.url("j.json"))
        let py = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pyPs = try #require(py["Ps"] as? Double)
        let pySigma = try #require(py["sigma"] as? Double)
        let pyActive = try #require(py["active_s"] as? Double)

        let samples = q.map { Float($0) / 32_768 }
        let (_, report) = try ChannelSimulator.apply(
            [.awgn(.ebN0(dB: ebn0, bitRate: .bitsPerSecond(rate)))], to: samples, sampleRate: fs, seed: 1)
        let psError = report.signalPower / pyPs - 1
        let sigmaError = report.sigma / pySigma - 1
        print(
            "channel.py fs \(fs): Ps \(pyPs) vs \(report.signalPower) (\(psError * 100) %), "
                + "sigma \(pySigma) vs \(report.sigma) (\(sigmaError * 100) %)")
        #expect(abs(psError) < 0.001)
        #expect(abs(sigmaError) < 0.001)
        #expect(abs(report.activeSeconds - pyActive) < 1e-3)
    }
}
