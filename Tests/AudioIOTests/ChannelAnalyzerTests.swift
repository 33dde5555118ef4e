import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite struct ChannelAnalyzerTests {
    /// Tone (RMS 0.07) on the right, white noise (RMS 0.4) on the left: the tone wins.
    @Test(arguments: [8000, 48000])
    func autoPicksTheToneOverLouderNoise(sampleRate: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stereo.wav")
        let tone = TestAudio.sine(frequency: 1200, sampleRate: sampleRate, seconds: 4, amplitude: 0.1)
        let noise = Signal.noise(count: tone.count, amplitude: 0.7)
        var writer = try AudioFileWriter(path: path, sampleRate: sampleRate, channels: 2)
        try writer.write(Signal.interleave([noise, tone]))
        try writer.close()
        var reader = try AudioFileReader(path: path)
        #expect(reader.channelChoice.channel == 1, "\(reader.channelChoice)")
        #expect(reader.channelChoice.reason.contains("most tonal"))
        let samples = try readAll(&reader, blockSize: 4096)
        #expect(samples.count == tone.count)  // the analysed seconds are replayed
        let worst = zip(samples, tone).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 1e-4)
    }

    /// Bell 202 FSK (1200/2200 Hz, 1200 baud, random bits) at RMS 0.1 on channel 2 of
    /// four, beside louder white noise, a hum-free silence and quieter noise.
    @Test func autoPicksFSKAmongFourChannels() throws {
        let sampleRate = 48000
        let count = 2 * sampleRate
        var bits = Signal.noise(count: count / 40 + 1, amplitude: 1, seed: 42).map { $0 > 0 }.makeIterator()
        var phase = 0.0
        var bit = false
        let fsk: [Float] = (0..<count).map { i in
            if i % 40 == 0 { bit = bits.next() ?? false }
            phase += 2 * .pi * (bit ? 1200 : 2200) / Double(sampleRate)
            return Float(0.14 * sin(phase))
        }
        let loud = Signal.noise(count: count, amplitude: 0.8, seed: 1)
        let quiet = Signal.noise(count: count, amplitude: 0.05, seed: 2)
        let silence = [Float](repeating: 0, count: count)
        let choice = ChannelAnalyzer.choose(
            interleaved: Signal.interleave([loud, silence, fsk, quiet]),
            channels: 4, sampleRate: sampleRate)
        #expect(choice.channel == 2, "\(choice)")
    }

    @Test func identicalChannelsKeepChannelZero() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("same.wav")
        let tone = TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 1)
        var writer = try AudioFileWriter(path: path, sampleRate: 8000, channels: 3)
        try writer.write(Signal.interleave([tone, tone, tone]))
        try writer.close()
        let reader = try AudioFileReader(path: path)
        #expect(reader.channelChoice.channel == 0)
        #expect(reader.channelChoice.reason.contains("alike"))
    }

    @Test func silenceBesideNoiseTakesTheNoise() {
        let noise = Signal.noise(count: 8000, amplitude: 0.5)
        let silence = [Float](repeating: 0, count: 8000)
        let choice = ChannelAnalyzer.choose(
            interleaved: Signal.interleave([silence, noise]), channels: 2, sampleRate: 8000)
        #expect(choice.channel == 1)
        let quiet = ChannelAnalyzer.choose(
            interleaved: Signal.interleave([silence, silence]), channels: 2, sampleRate: 8000)
        #expect(quiet.channel == 0 && quiet.reason == "all channels silent")
    }

    @Test func indexOutOfRangeIsAnError() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stereo.wav")
        var writer = try AudioFileWriter(path: path, sampleRate: 8000, channels: 2)
        try writer.write([Float](repeating: 0.1, count: 200))
        try writer.close()
        #expect(throws: AudioIOError.channelOutOfRange(path: path, index: 5, channelCount: 2)) {
            _ = try AudioFileReader(path: path, channel: .index(5))
        }
        #expect(throws: AudioIOError.channelOutOfRange(path: path, index: -1, channelCount: 2)) {
            _ = try AudioFileReader(path: path, channel: .index(-1))
        }
    }

    @Test func mixAveragesChannels() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("mix.wav")
        var writer = try AudioFileWriter(path: path, sampleRate: 8000, channels: 2, encoding: .float32)
        try writer.write([0.5, 0.1, -0.4, 0.2])
        try writer.close()
        let mixed = try AudioFile.read(path: path, channel: .mix).samples
        #expect(mixed.count == 2 && abs(mixed[0] - 0.3) < 1e-6 && abs(mixed[1] + 0.1) < 1e-6)
        #expect(try AudioFileReader(path: path, channel: .mix).channelChoice.channel == nil)
    }
}
