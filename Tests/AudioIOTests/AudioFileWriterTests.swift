import Foundation
import TestSupport
import Testing

@testable import AudioIO

/// A container with one encoding it holds.
struct StoredFormat: Sendable, CustomStringConvertible {
    let container: AudioContainer
    let encoding: AudioEncoding
    var description: String { "\(container)/\(encoding)" }

    /// Largest sample error a round trip may show.
    var tolerance: Float {
        switch encoding {
        case .pcm8: 0.012
        case .pcm16: 6e-5
        case .pcm24: 3e-7
        case .pcm32, .float32: 1e-7
        case .ulaw, .alaw: 0.02
        case .vorbis: .infinity
        }
    }

    static let all: [StoredFormat] = {
        let full: [AudioEncoding] = [.pcm8, .pcm16, .pcm24, .pcm32, .float32, .ulaw, .alaw]
        return full.map { StoredFormat(container: .wav, encoding: $0) }
            + full.map { StoredFormat(container: .aiff, encoding: $0) }
            + full.map { StoredFormat(container: .au, encoding: $0) }
            + [.pcm8, .pcm16, .pcm24].map { StoredFormat(container: .flac, encoding: $0) }
            + [StoredFormat(container: .ogg, encoding: .vorbis)]
    }()
}

@Suite struct AudioFileWriterTests {
    @Test(arguments: StoredFormat.all, [8000, 22050, 44100, 48000])
    func roundTrip(format: StoredFormat, sampleRate: Int) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("tone.\(format.container.rawValue)")
        let tone = TestAudio.sine(frequency: 1000, sampleRate: sampleRate, seconds: 0.2)
        let signal = tone + Signal.chirp(sampleRate: sampleRate, seconds: 0.05)
        try AudioFile.write(signal, sampleRate: sampleRate, to: path, encoding: format.encoding)

        let reader = try AudioFileReader(path: path)
        #expect(reader.sampleRate == sampleRate)
        #expect(reader.channelCount == 1)
        let (samples, rate) = try AudioFile.read(path: path)
        #expect(rate == sampleRate)
        if format.encoding == .vorbis {
            // Lossy: the tone must be there, at its level, where it was.
            #expect(abs(samples.count - signal.count) <= sampleRate / 10)
            let middle = samples[(sampleRate / 50)..<(sampleRate / 6)]
            let power = Signal.tonePower(middle, frequency: 1000, sampleRate: sampleRate)
            let total = Signal.meanSquare(middle)
            #expect(power / total > 0.9, "1 kHz carries \(power / total) of the energy")
            #expect(abs(total - 0.125) < 0.02, "mean square \(total), expected 0.125")
        } else {
            #expect(samples.count == signal.count)
            let worst = zip(samples, signal).map { abs($0 - $1) }.max() ?? .infinity
            #expect(worst <= format.tolerance, "max error \(worst)")
        }
    }

    /// libsndfile 1.2 counts the pad byte of an odd-length 8-bit AIFF as a sample; the
    /// writer corrects the header, and sox agrees.
    @Test(arguments: [AudioEncoding.pcm8, .ulaw, .alaw])
    func oddLengthEightBitAIFF(encoding: AudioEncoding) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("odd.aiff")
        try AudioFile.write([0.1, 0.2, 0.3, 0.4, 0.5], sampleRate: 8000, to: path, encoding: encoding)
        #expect(try AudioFile.read(path: path).samples.count == 5)
        if encoding == .pcm8, let info = run("/usr/bin/sox", ["--i", "-s", path]) {  // sox lacks AIFC µ/A-law
            #expect(info.output.trimmingCharacters(in: .whitespacesAndNewlines) == "5")
        }
    }

    @Test func containerFromExtension() {
        #expect(AudioContainer(path: "a/b.FLAC") == .flac)
        #expect(AudioContainer(path: "take.aif") == .aiff)
        #expect(AudioContainer(path: "noext") == .wav)
        #expect(AudioContainer(path: "dir.d/noext") == .wav)
        #expect(AudioContainer(path: "x.mp3") == nil)
    }

    @Test func unknownExtensionIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("x.mp3")
        #expect(throws: AudioIOError.unknownContainer(path: path, pathExtension: "mp3")) {
            try AudioFile.write([0], sampleRate: 8000, to: path)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test(arguments: [(AudioContainer.flac, AudioEncoding.pcm32), (.flac, .ulaw), (.ogg, .pcm16), (.wav, .vorbis)])
    func unsupportedEncodingIsRefused(container: AudioContainer, encoding: AudioEncoding) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("x.\(container.rawValue)")
        #expect(throws: AudioIOError.unsupportedEncoding(path: path, container: container, encoding: encoding)) {
            _ = try AudioFileWriter(path: path, sampleRate: 8000, encoding: encoding)
        }
    }

    @Test func absurdParametersAreRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("x.wav")
        #expect(throws: AudioIOError.absurdSampleRate(path: path, sampleRate: 10)) {
            _ = try AudioFileWriter(path: path, sampleRate: 10)
        }
        #expect(throws: AudioIOError.absurdChannelCount(path: path, channels: 65)) {
            _ = try AudioFileWriter(path: path, sampleRate: 8000, channels: 65)
        }
    }

    @Test func integerEncodingsClip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("loud.wav")
        try AudioFile.write([2, -3, 0.5], sampleRate: 8000, to: path)
        let (samples, _) = try AudioFile.read(path: path)
        #expect(abs(samples[0] - 1) < 1e-4 && abs(samples[1] + 1) < 1e-4)
    }

    @Test func stereoFramesAndPartialFrames() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stereo.wav")
        var writer = try AudioFileWriter(path: path, sampleRate: 8000, channels: 2)
        #expect(throws: AudioIOError.partialFrame(path: path, sampleCount: 3, channels: 2)) {
            try writer.write([0.1, 0.2, 0.3])
        }
        try writer.write([0.1, -0.1, 0.2, -0.2])
        #expect(writer.framesWritten == 2)
        try writer.close()
        try writer.close()
        #expect(throws: AudioIOError.closed(path: path)) { try writer.write([0, 0]) }
        let right = try AudioFile.read(path: path, channel: .index(1)).samples
        #expect(right.count == 2 && abs(right[1] + 0.2) < 1e-4)
    }

    /// WAV to a pipe: libsndfile cannot, so the writer streams a "length unknown" header.
    @Test(arguments: [AudioEncoding.pcm16, .pcm8, .pcm24, .pcm32, .float32])
    func wavToPipeReadsBack(encoding: AudioEncoding) throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let signal = TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.5)  // < 64 KiB of pipe buffer
        var writer = try AudioFileWriter(fileDescriptor: ends[1], sampleRate: 8000, encoding: encoding)
        try writer.write(signal)
        try writer.close()
        close(ends[1])
        var reader = try AudioFileReader(fileDescriptor: ends[0])
        #expect(reader.frameCount == nil)
        let samples = try readAll(&reader, blockSize: 1000)
        #expect(samples.count == signal.count)
        let worst = zip(samples, signal).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= StoredFormat(container: .wav, encoding: encoding).tolerance)
    }

    /// AU and Ogg go to a pipe through libsndfile.
    @Test(arguments: [AudioContainer.au, .ogg])
    func otherContainersToPipe(container: AudioContainer) throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let signal = TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.5)
        var writer = try AudioFileWriter(fileDescriptor: ends[1], sampleRate: 8000, container: container)
        try writer.write(signal)
        try writer.close()
        close(ends[1])
        var reader = try AudioFileReader(fileDescriptor: ends[0])
        let samples = try readAll(&reader, blockSize: 1000)
        #expect(abs(samples.count - signal.count) < (container == .ogg ? 800 : 1), "\(samples.count) frames")
    }

    /// libsndfile refuses AIFF on a pipe and writes FLAC it cannot read back: refused up front.
    @Test(arguments: [AudioContainer.flac, .aiff])
    func flacAndAIFFCannotStreamToPipe(container: AudioContainer) {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect { _ = try AudioFileWriter(fileDescriptor: ends[1], sampleRate: 8000, container: container) } throws: {
            error in
            if case let AudioIOError.cannotCreate(_, reason) = error { reason.contains("pipe") } else { false }
        }
    }

    @Test func lawEncodingsCannotStreamToPipe() {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(throws: AudioIOError.self) {
            _ = try AudioFileWriter(fileDescriptor: ends[1], sampleRate: 8000, encoding: .ulaw)
        }
    }

    /// sox accepts our files, and our pipe stream saved to a file.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sox"))) func soxAcceptsWhatWeWrite()
        throws
    {
        let directory = try TemporaryDirectory()
        let signal = TestAudio.sine(frequency: 1000, sampleRate: 48000, seconds: 0.25)
        for name in ["a.wav", "a.flac", "a.aiff", "a.au", "a.ogg"] {
            try AudioFile.write(signal, sampleRate: 48000, to: directory.path(name))
            let info = run("/usr/bin/sox", ["--i", directory.path(name)])
            #expect(info?.status == 0, "sox --i \(name): \(info?.output ?? "")")
            #expect(info?.output.contains("48000") == true)
        }
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        var writer = try AudioFileWriter(fileDescriptor: ends[1], sampleRate: 48000)
        try writer.write(Array(signal[0..<8000]))
        try writer.close()
        close(ends[1])
        let bytes = FileHandle(fileDescriptor: ends[0], closeOnDealloc: true).readDataToEndOfFile()
        let streamed = directory.path("streamed.wav")
        _ = FileManager.default.createFile(atPath: streamed, contents: bytes)
        let stat = run("/usr/bin/sox", [streamed, "-n", "stat"])
        #expect(stat?.status == 0, "sox: \(stat?.output ?? "")")
        #expect(stat?.output.contains("Samples read:              8000") == true, "\(stat?.output ?? "")")
    }
}
