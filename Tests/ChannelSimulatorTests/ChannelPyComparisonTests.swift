import Foundation
import Testing
@testable import ChannelSimulator

/// Our calibration against the shared benchmark's own channel (`channel.py`).
@Suite struct ChannelPyComparisonTests {
    static let script = "/work/shared/bench/channel.py"
    static let available = FileManager.default.fileExists(atPath: script)
        && TestSignals.which("python3") != nil

    @Test(.enabled(if: available, "needs python3 with numpy and the shared bench"),
          arguments: [(10.0, 1200.0, 48_000), (6.0, 300.0, 8000)])
    func psAndSigmaMatchChannelPy(ebn0: Double, rate: Double, fs: Int) throws {
        // A WAV with silences and an active part at two levels, so the mask matters.
        let x = ChannelSimulatorTests.burstSignal(sampleRate: fs)
        var q = x.map { Int16(($0 * 32_768).rounded()) }
        for i in (fs / 2)..<(fs / 2 + fs / 10) { q[i] /= 3 }
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("channelsim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("in.wav")
        try TestSignals.wav(q, sampleRate: fs).write(to: input)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(TestSignals.which("python3")))
        process.arguments = [Self.script, input.path, dir.appendingPathComponent("out.wav").path,
                             "--ebn0", "\(ebn0)", "--bitrate", "\(rate)",
                             "--json", dir.appendingPathComponent("j.json").path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let data = try Data(contentsOf: dir.appendingPathComponent("j.json"))
        let py = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let pyPs = try #require(py["Ps"] as? Double)
        let pySigma = try #require(py["sigma"] as? Double)
        let pyActive = try #require(py["active_s"] as? Double)

        let samples = q.map { Float($0) / 32_768 }
        let (_, report) = try ChannelSimulator.apply(
            [.awgn(.ebN0(dB: ebn0, bitRate: .bitsPerSecond(rate)))], to: samples, sampleRate: fs, seed: 1)
        let psError = report.signalPower / pyPs - 1
        let sigmaError = report.sigma / pySigma - 1
        print("channel.py fs \(fs): Ps \(pyPs) vs \(report.signalPower) (\(psError * 100) %), "
              + "sigma \(pySigma) vs \(report.sigma) (\(sigmaError * 100) %)")
        #expect(abs(psError) < 0.001)
        #expect(abs(sigmaError) < 0.001)
        #expect(abs(report.activeSeconds - pyActive) < 1e-3)
    }
}
