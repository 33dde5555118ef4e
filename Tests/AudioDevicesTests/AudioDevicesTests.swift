import AudioDevices
import Foundation
import TestSupport
import Testing

// Against the real audio server (scripts/audio-server.sh starts a headless PulseAudio): each test
// loads its own null sink, plays to it and records its monitor.

@Suite(
    "Sound cards through the audio server", .enabled(if: NullSink.serverAnswers, "needs an audio server (pactl info)"))
struct AudioDevicesTests {
    @Test func aNullSinkAndItsMonitorAreListed() throws {
        let sink = try NullSink(label: "list")
        defer { sink.remove() }
        let devices = try AudioServer.devices()
        let output = try #require(devices.first { $0.name == sink.name })
        #expect(!output.isInput)
        #expect(output.sampleRate == 48000 && output.channels == 1)
        let monitor = try #require(devices.first { $0.name == sink.monitor })
        #expect(monitor.isInput)
        #expect(monitor.monitorOf == sink.name)
        #expect(AudioServer.isReachable())
    }

    /// A 1 kHz tone at half scale, played to the sink, comes back on its monitor at 1 kHz and
    /// half scale: nothing lost, nothing rescaled on the way.
    @Test func whatIsPlayedIsHeardOnTheMonitor() throws {
        let sink = try NullSink(label: "tone")
        defer { sink.remove() }
        let rate = 48000
        let capture = try AudioCapture(device: sink.monitor, sampleRate: rate, fragmentFrames: 1024)
        let tone = (0..<(rate / 2)).map { Float(0.5 * sin(2 * Double.pi * 1000 * Double($0) / Double(rate))) }
        let recorded = Recorded()
        let recorder = Thread {
            var block = [Float](repeating: 0, count: 1024)
            // 1.5 s: the tone and the silence either side.
            for _ in 0..<(3 * rate / 2 / 1024) {
                do {
                    try block.withUnsafeMutableBufferPointer { try capture.read(into: $0) }
                } catch {
                    recorded.fail("\(error)")
                    break
                }
                recorded.append(block)
            }
            recorded.finish()
        }
        recorder.start()
        let out = try AudioPlayback(device: sink.name, sampleRate: rate)
        try out.write(tone)
        try out.drain()
        let samples = try #require(recorded.wait(seconds: 20), "recording did not finish")
        #expect(recorded.failure == nil, "\(recorded.failure ?? "")")
        let peak = samples.map { abs($0) }.max() ?? 0
        #expect(abs(peak - 0.5) < 0.02, "peak \(peak)")
        // The loudest 0.25 s holds the tone: its zero crossings give the frequency.
        let energy = samples.map { $0 * $0 }
        var best = 0
        var bestSum: Float = -1
        for start in stride(from: 0, to: samples.count - rate / 4, by: 480) {
            let sum = energy[start..<(start + rate / 4)].reduce(0, +)
            if sum > bestSum { (best, bestSum) = (start, sum) }
        }
        let window = Array(samples[best..<(best + rate / 4)])
        let crossings = zip(window, window.dropFirst()).filter { ($0 < 0) != ($1 < 0) }.count
        let frequency = Double(crossings) / 2 / 0.25
        #expect(abs(frequency - 1000) < 10, "\(frequency) Hz")
    }

    @Test func aDeviceThatDoesNotExistIsAClearError() throws {
        #expect {
            _ = try AudioPlayback(device: "soundstack_no_such_sink", sampleRate: 48000)
        } throws: { error in
            guard case .openFailed(let device, _) = error as? AudioDeviceError else { return false }
            return device == "soundstack_no_such_sink" && "\(error)".contains("soundstack devices")
        }
        #expect(throws: AudioDeviceError.self) {
            _ = try AudioCapture(device: "soundstack_no_such_source", sampleRate: 48000)
        }
        #expect(throws: AudioDeviceError.self) { _ = try AudioCapture(sampleRate: 48000, fragmentFrames: 8) }
        #expect(throws: AudioDeviceError.self) { _ = try AudioPlayback(sampleRate: 1000) }
    }

    /// The pipe carries the capture as 16-bit samples and ends when stopped.
    @Test func aCapturePipeEndsWhenStopped() throws {
        let sink = try NullSink(label: "pipe")
        defer { sink.remove() }
        let live = try CapturePipe(device: sink.monitor, sampleRate: 8000, blockFrames: 256)
        #expect(live.path.hasPrefix("/dev/fd/"))
        let reader = try #require(FileHandle(forReadingAtPath: live.path))
        live.start()
        let player = Thread {
            let out = try? AudioPlayback(device: sink.name, sampleRate: 8000)
            try? out?.write([Float](repeating: 0.25, count: 4000))
            try? out?.drain()
        }
        player.start()
        let first = reader.readData(ofLength: 512)
        #expect(first.count == 512)
        live.stop()
        _ = reader.readDataToEndOfFile()  // returns: the pump closed the pipe
        live.wait()
        #expect(live.failure == nil)
        #expect(live.framesCaptured >= 256)
    }
}

/// Samples gathered by a recording thread.
final class Recorded: @unchecked Sendable {
    private let lock = NSLock()
    private var samples: [Float] = []
    private(set) var failure: String?
    private let done = DispatchSemaphore(value: 0)

    func append(_ block: [Float]) {
        lock.lock()
        samples += block
        lock.unlock()
    }

    func fail(_ text: String) {
        lock.lock()
        failure = text
        lock.unlock()
    }

    func finish() { done.signal() }

    func wait(seconds: Double) -> [Float]? {
        guard done.wait(timeout: .now() + seconds) == .success else { return nil }
        lock.lock()
        defer { lock.unlock() }
        return samples
    }
}

@Suite("The level meter of listen --meter")
struct LevelMeterTests {
    static func readings(_ samples: [Int16], rate: Int = 48000, interval: Double = 0.5) -> [LevelReading] {
        var meter = LevelMeter(sampleRate: rate, interval: interval)
        var out: [LevelReading] = []
        var start = 0
        while start < samples.count {
            let block = Array(samples[start..<min(samples.count, start + 1024)])
            if let r = block.withUnsafeBufferPointer({ meter.add($0) }) { out.append(r) }
            start += 1024
        }
        return out
    }

    @Test func aSineAtHalfScaleReadsMinus6PeakMinus9RMSAndItsFrequency() throws {
        let tone = (0..<48000).map { Int16((16384 * sin(2 * Double.pi * 1234.5 * Double($0) / 48000)).rounded()) }
        let readings = Self.readings(tone)
        #expect(readings.count == 2)
        let r = try #require(readings.last)
        #expect(abs(r.peakDBFS - -6.02) < 0.05, "\(r.peakDBFS)")
        #expect(abs(r.rmsDBFS - -9.03) < 0.05, "\(r.rmsDBFS)")
        #expect(r.clipped == 0)
        let first = try #require(r.tones.first)
        #expect(abs(first - 1234.5) < 3, "\(r.tones)")
        #expect(r.standsOut(1234.5) > 40)
        #expect(r.standsOut(3000) < 20)
        #expect(abs(r.seconds - 0.5) < 1e-9)
    }

    @Test func clippingIsCountedAndSilenceIsMinusInfinity() throws {
        let square = (0..<24000).map { $0 % 48 < 24 ? Int16.max : Int16.min }
        let loud = try #require(Self.readings(square).first)
        #expect(loud.clipped == 24000)
        #expect(loud.peakDBFS > -0.01)
        let quiet = try #require(Self.readings([Int16](repeating: 0, count: 24000)).first)
        #expect(quiet.peakDBFS == -.infinity && quiet.rmsDBFS == -.infinity)
        #expect(quiet.tones.isEmpty && quiet.clipped == 0)
    }

    @Test func twoTonesAreBothFoundLoudestFirst() throws {
        let rate = 48000.0
        let pair = (0..<24000).map { i -> Int16 in
            let t = Double(i) / rate
            return Int16((12000 * sin(2 * Double.pi * 1200 * t) + 6000 * sin(2 * Double.pi * 2200 * t)).rounded())
        }
        let r = try #require(Self.readings(pair).first)
        #expect(r.tones.count == 2, "\(r.tones)")
        #expect(abs(r.tones[0] - 1200) < 3 && abs(r.tones[1] - 2200) < 3, "\(r.tones)")
    }
}

/// The overrun count: audio the server dropped shows as samples missing against the time listened.
@Suite("Audio lost to overruns")
struct OverrunCountTests {
    @Test func keepingUpLosesNothing() {
        // 10 s at 48 kHz, all of it received but the block being recorded.
        #expect(CapturePipe.shortfall(seconds: 10, received: 480_000 - 1024, sampleRate: 48000, blockFrames: 1024) == 0)
        // A device clock 150 ppm slow is not an overrun.
        #expect(CapturePipe.shortfall(seconds: 600, received: 28_795_680, sampleRate: 48000, blockFrames: 1024) == 0)
    }

    @Test func aGapIsCountedInSamples() {
        // Half a second dropped after 10 s: 24 000 samples, less three blocks of slack and 200 ppm.
        let lost = CapturePipe.shortfall(seconds: 10, received: 480_000 - 24_000, sampleRate: 48000, blockFrames: 1024)
        #expect(lost == 24_000 - 3 * 1024 - 96)
    }
}
