import Foundation
import TestSupport
import Testing

@testable import AudioIO

@Suite struct AudioFileReaderTests {
    /// Stereo with `.auto`, so blocks straddle the replayed analysis seconds and the stream.
    @Test(arguments: [1, 7, 4096, 5000])
    func blocksEqualWholeFile(blockSize: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("long.wav")
        let left = TestAudio.sine(frequency: 700, sampleRate: 8000, seconds: 3.5)
        let right = Signal.noise(count: left.count, amplitude: 0.3)
        var writer = try AudioFileWriter(path: path, sampleRate: 8000, channels: 2)
        try writer.write(Signal.interleave([left, right]))
        try writer.close()
        let whole = try AudioFile.read(path: path).samples
        var reader = try AudioFileReader(path: path)
        let blocks = try readAll(&reader, blockSize: blockSize)
        #expect(whole.count == left.count)
        #expect(blocks == whole)
        #expect(reader.framesDelivered == whole.count)
    }

    @Test(arguments: [96000, 192_000, 768_000])
    func highSampleRates(sampleRate: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("high.wav")
        let signal = TestAudio.sine(frequency: 1000, sampleRate: sampleRate, seconds: 0.05)
        try AudioFile.write(signal, sampleRate: sampleRate, to: path)
        let (samples, rate) = try AudioFile.read(path: path)
        #expect(rate == sampleRate)
        #expect(samples.count == signal.count)
    }

    @Test func propertiesDescribeTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("p.flac")
        try AudioFile.write([Float](repeating: 0.25, count: 1234), sampleRate: 22050, to: path, encoding: .pcm24)
        let reader = try AudioFileReader(path: path)
        #expect(reader.sampleRate == 22050)
        #expect(reader.channelCount == 1)
        #expect(reader.frameCount == 1234)
        #expect(reader.formatDescription == "FLAC, Signed 24 bit PCM")
        #expect(reader.channelChoice == ChannelChoice(channel: 0, reason: "mono"))
    }

    @Test func wavThroughAPipe() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("piped.wav")
        let signal = TestAudio.sine(frequency: 1000, sampleRate: 48000, seconds: 2)  // larger than a pipe buffer
        try AudioFile.write(signal, sampleRate: 48000, to: path)
        let (descriptor, finish) = try catIntoPipe(path)
        defer { finish() }
        var reader = try AudioFileReader(fileDescriptor: descriptor)
        #expect(reader.frameCount == nil)
        #expect(reader.sampleRate == 48000)
        let samples = try readAll(&reader, blockSize: 4096)
        #expect(samples.count == signal.count)
        #expect((zip(samples, signal).map { abs($0 - $1) }.max() ?? 1) < 1e-4)
    }

    /// Every container through a pipe (12 s of 48 kHz PCM is larger than the bytes kept for
    /// seeking back over headers), and the kept bytes are released once streaming.
    @Test(arguments: [AudioContainer.wav, .flac, .ogg, .aiff, .au])
    func everyContainerThroughAPipe(container: AudioContainer) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("piped.\(container.rawValue)")
        let seconds = container == .ogg ? 2.0 : 12.0
        let signal = TestAudio.sine(frequency: 1000, sampleRate: 48000, seconds: seconds, amplitude: 0.4)
        try AudioFile.write(signal, sampleRate: 48000, to: path)
        let (descriptor, finish) = try catIntoPipe(path)
        defer { finish() }
        var reader = try AudioFileReader(fileDescriptor: descriptor)
        #expect(reader.frameCount == nil)
        #expect(reader.formatDescription.hasPrefix(container == .ogg ? "OGG" : container.rawValue.uppercased()))
        let samples = try readAll(&reader, blockSize: 4096)
        #expect(reader.retainedByteCapacity == 0)
        if container == .ogg {
            #expect(abs(samples.count - signal.count) < 4800)
        } else {
            #expect(samples.count == signal.count)
            #expect((zip(samples, signal).map { abs($0 - $1) }.max() ?? 1) < 1e-4)
        }
    }

    /// `"-"` reads standard input (here a pipe put in its place for the test).
    @Test func dashReadsStandardInput() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stdin.wav")
        let signal = TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.5)
        try AudioFile.write(signal, sampleRate: 8000, to: path)
        let (descriptor, finish) = try catIntoPipe(path)
        let savedInput = dup(0)
        dup2(descriptor, 0)
        defer {
            dup2(savedInput, 0)
            close(savedInput)
            finish()
        }
        var reader = try AudioFileReader(path: "-")
        #expect(reader.name == "stdin")
        let samples = try readAll(&reader, blockSize: 512)
        #expect(samples.count == signal.count)
    }

    @Test func rawS16LEThroughAPipe() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stream.raw")
        let left = TestAudio.sine(frequency: 1000, sampleRate: 48000, seconds: 1, amplitude: 0.3)
        let right = Signal.noise(count: left.count, amplitude: 0.1)
        writeBytes(WAV.s16le(WAV.int16(Signal.interleave([left, right]))), to: path)
        let (descriptor, finish) = try catIntoPipe(path)
        defer { finish() }
        var reader = try AudioFileReader(
            fileDescriptor: descriptor, channel: .index(0),
            raw: RawFormat(sampleRate: 48000, channels: 2))
        #expect(reader.formatDescription.hasPrefix("RAW"))
        let samples = try readAll(&reader, blockSize: 999)
        #expect(samples.count == left.count)
        #expect((zip(samples, left).map { abs($0 - $1) }.max() ?? 1) < 1e-4)
    }

    @Test func rawFileWithAbsurdRateIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("x.raw")
        writeBytes([0, 0, 0, 0], to: path)
        #expect(throws: AudioIOError.absurdSampleRate(path: path, sampleRate: 999_999)) {
            _ = try AudioFileReader(path: path, raw: RawFormat(sampleRate: 999_999))
        }
    }

    /// Formats we do not write ourselves, made by sox: IMA ADPCM and GSM-free µ-law WAV.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sox"))) func imaADPCMFromSox() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ima.wav")
        let made = run(
            "/usr/bin/sox",
            [
                "-n", "-r", "8000", "-c", "1", "-e", "ima-adpcm", path,
                "synth", "0.5", "sine", "1000", "vol", "0.5"
            ])
        #expect(made?.status == 0)
        let reader = try AudioFileReader(path: path)
        #expect(reader.formatDescription.contains("IMA ADPCM"))
        let samples = try AudioFile.read(path: path).samples
        #expect(abs(samples.count - 4000) < 600)
        let power = Signal.tonePower(samples[500..<3500], frequency: 1000, sampleRate: 8000)
        #expect(power / Signal.meanSquare(samples[500..<3500]) > 0.9)
    }

    /// ~30 s read in 4096-frame blocks: what the reader holds never grows, and the
    /// analysed prefix is released once replayed.
    @Test func memoryStaysConstant() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("thirty.wav")
        let sampleRate = 8000
        var writer = try AudioFileWriter(path: path, sampleRate: sampleRate, channels: 2)
        let second = Signal.interleave([
            TestAudio.sine(frequency: 900, sampleRate: sampleRate, seconds: 1),
            Signal.noise(count: sampleRate, amplitude: 0.2)
        ])
        for _ in 0..<30 { try writer.write(second) }
        try writer.close()

        var reader = try AudioFileReader(path: path)
        let initial = reader.bufferedSampleCapacity
        #expect(initial <= AudioFileReader.blockFrames * 2 + AudioFileReader.analysisSeconds * sampleRate + 64)
        var block = [Float](repeating: 0, count: 4096)
        var total = 0
        var largest = 0
        while true {
            let n = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
            if n == 0 { break }
            total += n
            largest = max(largest, reader.bufferedSampleCapacity)
        }
        #expect(total == 30 * sampleRate)
        #expect(largest <= initial)
        #expect(reader.bufferedSampleCapacity < AudioFileReader.blockFrames * 2 + 16)
    }

    @Test func nonFiniteSamplesAreZeroedAndCounted() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("nan.wav")
        try AudioFile.write(
            [0.1, .nan, .infinity, -0.2, -.infinity, 1.5], sampleRate: 8000, to: path, encoding: .float32)
        var reader = try AudioFileReader(path: path)
        let samples = try readAll(&reader, blockSize: 16)
        #expect(samples == [0.1, 0, 0, -0.2, 0, 1])
        #expect(reader.nonFiniteSampleCount == 3)
    }

    @Test func oneSampleFileWorks() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("one.wav")
        try AudioFile.write([0.5], sampleRate: 8000, to: path)
        let (samples, rate) = try AudioFile.read(path: path)
        #expect(rate == 8000)
        #expect(samples.count == 1 && abs(samples[0] - 0.5) < 1e-4)
    }
}
