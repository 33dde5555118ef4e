import Foundation
import TestSupport
import Testing

@testable import AudioIO

/// Bad input: each gives its error, quickly, and never crashes or hangs.
@Suite(.timeLimit(.minutes(1))) struct AudioIOErrorTests {
    @Test func missingFile() {
        #expect(throws: AudioIOError.fileNotFound(path: "/nonexistent/x.wav")) {
            _ = try AudioFileReader(path: "/nonexistent/x.wav")
        }
    }

    @Test func textFileNamedWav() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("text.wav")
        try "hello, this is not audio\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = thrown { () throws(AudioIOError) in _ = try AudioFileReader(path: path) }
        guard case let .notAudioFile(errorPath, reason) = error else {
            Issue.record("expected notAudioFile, got \(String(describing: error))")
            return
        }
        #expect(errorPath == path)
        #expect(!reason.isEmpty)
    }

    @Test func truncatedHeader() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.wav")
        let whole = WAV.header(rate: 8000, dataBytes: 200) + [UInt8](repeating: 1, count: 200)
        writeBytes(Array(whole.prefix(20)), to: path)
        #expect { _ = try AudioFileReader(path: path) } throws: { error in
            if case AudioIOError.truncated(path, _) = error { true } else { false }
        }
    }

    /// A recording cut short (the header promises more than the file holds) is read as far
    /// as it goes, and says so: nothing decodable is lost.
    @Test func dataChunkLargerThanFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("short.wav")
        writeBytes(
            WAV.header(rate: 8000, dataBytes: 64_000) + WAV.s16le(WAV.int16([Float](repeating: 0.1, count: 1000))),
            to: path)
        var reader = try AudioFileReader(path: path)
        #expect(reader.cutShort?.contains("64000") == true)
        let samples = try AudioFile.readAll(&reader)
        #expect(samples.count == 1000)
    }

    @Test func cutAIFFIsTruncated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.aiff")
        try AudioFile.write(TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.5), sampleRate: 8000, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        writeBytes(Array(bytes.dropLast(1000)), to: path)
        var reader = try AudioFileReader(path: path)
        #expect(reader.cutShort?.contains("SSND") == true)
        #expect(try AudioFile.readAll(&reader).count == 4000 - 500)
    }

    /// A FLAC cut short has no sizes to check up front: reading delivers what is there,
    /// or reports the decoder's complaint, and stops.
    @Test func cutFLACStopsCleanly() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.flac")
        let noise = Signal.noise(count: 8000, amplitude: 0.5)
        try AudioFile.write(noise, sampleRate: 8000, to: path)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        writeBytes(Array(bytes.prefix(bytes.count * 6 / 10)), to: path)
        do {
            var reader = try AudioFileReader(path: path)
            let samples = try readAll(&reader, blockSize: 4096)
            #expect(samples.count < noise.count)
        } catch {
            #expect(error is AudioIOError)
        }
    }

    @Test func unknownLengthStreamingHeaderIsNotTruncation() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("stream.wav")
        writeBytes(
            WAV.header(rate: 8000, dataBytes: 0xFFFF_FFFF, riffBytes: 0xFFFF_FFFF)
                + WAV.s16le(WAV.int16([Float](repeating: 0.1, count: 1000))), to: path)
        let reader = try AudioFileReader(path: path)
        #expect(reader.frameCount == 1000)
    }

    @Test func headerOnlyWav() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty-data.wav")
        writeBytes(WAV.header(rate: 8000, dataBytes: 0), to: path)
        #expect { _ = try AudioFileReader(path: path) } throws: { error in
            if case AudioIOError.truncated(path, _) = error { true } else { false }
        }
    }

    @Test func zeroLengthFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("zero.wav")
        writeBytes([], to: path)
        #expect(throws: AudioIOError.emptyFile(path: path)) { _ = try AudioFileReader(path: path) }
    }

    @Test func emptyAndTextPipes() throws {
        let directory = try TemporaryDirectory()
        let empty = directory.path("empty")
        writeBytes([], to: empty)
        let (emptyPipe, finishEmpty) = try catIntoPipe(empty)
        defer { finishEmpty() }
        #expect(throws: AudioIOError.emptyFile(path: "fd \(emptyPipe)")) {
            _ = try AudioFileReader(fileDescriptor: emptyPipe)
        }
        let text = directory.path("text")
        try String(repeating: "not audio at all ", count: 10_000).write(toFile: text, atomically: true, encoding: .utf8)
        let (textPipe, finishText) = try catIntoPipe(text)
        defer { finishText() }
        #expect { _ = try AudioFileReader(fileDescriptor: textPipe) } throws: { error in
            if case AudioIOError.notAudioFile = error { true } else { false }
        }
    }

    @Test func absurdSampleRateInHeader() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("rate5.wav")
        writeBytes(WAV.header(rate: 5, dataBytes: 200) + [UInt8](repeating: 0, count: 200), to: path)
        #expect(throws: AudioIOError.absurdSampleRate(path: path, sampleRate: 5)) {
            _ = try AudioFileReader(path: path)
        }
    }

    @Test func absurdChannelCountInHeader() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("ch100.wav")
        writeBytes(
            WAV.header(channels: 100, rate: 8000, dataBytes: 2000) + [UInt8](repeating: 0, count: 2000), to: path)
        #expect(throws: AudioIOError.absurdChannelCount(path: path, channels: 100)) {
            _ = try AudioFileReader(path: path)
        }
    }

    @Test func directoryIsNotAudio() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: AudioIOError.cannotOpen(path: directory.url.path, reason: "is a directory")) {
            _ = try AudioFileReader(path: directory.url.path)
        }
    }

    @Test func unwritablePath() {
        #expect { _ = try AudioFileWriter(path: "/nonexistent/dir/x.wav", sampleRate: 8000) } throws: { error in
            if case AudioIOError.cannotCreate("/nonexistent/dir/x.wav", _) = error { true } else { false }
        }
    }

    /// Every header byte of a WAV, AU and FLAC file set to 0x00 and to 0xFF in turn:
    /// opening and reading either works or throws, and never crashes or hangs.
    @Test(arguments: ["wav", "au", "flac"])
    func mutatedHeadersNeverCrash(ext: String) throws {
        let directory = try TemporaryDirectory()
        let good = directory.path("good.\(ext)")
        try AudioFile.write(TestAudio.sine(frequency: 1000, sampleRate: 8000, seconds: 0.1), sampleRate: 8000, to: good)
        let original = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))
        var opened = 0
        for position in 0..<min(64, original.count) {
            for value: UInt8 in [0x00, 0xFF, 0x7F] {
                var bytes = original
                bytes[position] = value
                let path = directory.path("bad-\(position)-\(value).\(ext)")
                writeBytes(bytes, to: path)
                do {
                    var reader = try AudioFileReader(path: path)
                    _ = try readAll(&reader, blockSize: 4096)
                    opened += 1
                } catch {
                    #expect(error is AudioIOError)
                    #expect(String(describing: error).hasPrefix(path))
                }
            }
        }
        #expect(opened > 0)
    }

    @Test func descriptionsNameThePath() {
        let errors: [AudioIOError] = [
            .fileNotFound(path: "a.wav"),
            .notAudioFile(path: "a.wav", reason: "Format not recognised."),
            .truncated(path: "a.wav", reason: "short"),
            .channelOutOfRange(path: "a.wav", index: 5, channelCount: 2),
            .unsupportedEncoding(path: "a.wav", container: .flac, encoding: .pcm32),
            .writeFailed(path: "a.wav", reason: "Broken pipe")
        ]
        for error in errors {
            #expect(error.description.hasPrefix("a.wav: "))
            #expect(!error.description.contains("\n"))
        }
        #expect(
            AudioIOError.channelOutOfRange(path: "s.wav", index: 5, channelCount: 2).description
                == "s.wav: channel 5 out of range (the file has 2 channels, 0...1)")
    }
}
