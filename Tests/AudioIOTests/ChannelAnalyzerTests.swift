import Testing
@testable import AudioIO

@Suite struct ChannelAnalyzerTests {
    /// Tone (RMS 0.07) on the right, white noise (RMS 0.4) on the left: the tone wins.
    @Test(arguments: [8000, 48000])
    func autoPicksTheToneOverLouderNoise(sampleRate: Int) throws {
        let directory = TemporaryDirectory()
        let path = directory.path("stereo.wav")
        let tone = Signal.sine(frequency: 1200, sampleRate: sampleRate, seconds: 4, amplitude: 0.1)
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

    @Test func identicalChannelsKeepChannelZero() throws {
        let directory = TemporaryDirectory()
        let path = directory.path("same.wav")
        let tone = Signal.sine(frequency: 1000, sampleRate: 8000, seconds: 1)
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
        let choice = ChannelAnalyzer.choose(interleaved: Signal.interleave([silence, noise]), channels: 2, sampleRate: 8000)
        #expect(choice.channel == 1)
        let quiet = ChannelAnalyzer.choose(interleaved: Signal.interleave([silence, silence]), channels: 2, sampleRate: 8000)
        #expect(quiet.channel == 0 && quiet.reason == "all channels silent")
    }

    @Test func indexOutOfRangeIsAnError() throws {
        let directory = TemporaryDirectory()
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
        let directory = TemporaryDirectory()
        let path = directory.path("mix.wav")
        var writer = try AudioFileWriter(path: path, sampleRate: 8000, channels: 2, encoding: .float32)
        try writer.write([0.5, 0.1, -0.4, 0.2])
        try writer.close()
        let mixed = try AudioFile.read(path: path, channel: .mix).samples
        #expect(mixed.count == 2 && abs(mixed[0] - 0.3) < 1e-6 && abs(mixed[1] + 0.1) < 1e-6)
        #expect(try AudioFileReader(path: path, channel: .mix).channelChoice.channel == nil)
    }
}
