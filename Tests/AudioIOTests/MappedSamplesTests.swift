import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import AudioIO

/// Mono 16-bit little-endian files are read in place from a mapping of the file; these check
/// that the mapped samples are exactly what libsndfile reads, where the mapping is used and
/// where it is not, and that a long file's pages are handed back as reading goes on.
@Suite struct MappedSamplesTests {
    /// A WAV written byte by byte: 16-bit mono `samples`, then a LIST chunk after the data
    /// (which must not be read as audio).
    static func wav(_ samples: [Int16], rate: Int = 8000, trailingChunk: Bool) -> Data {
        func le32(_ v: Int) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        func le16(_ v: Int) -> [UInt8] { (0..<2).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let data = samples.flatMap { le16(Int(UInt16(bitPattern: $0))) }
        let list: [UInt8] = trailingChunk ? Array("LIST".utf8) + le32(12) + Array("INFOISFT".utf8) + [1, 2, 3, 4] : []
        var fmt = Array("fmt ".utf8) + le32(16) + le16(1) + le16(1) + le32(rate) + le32(rate * 2)
        fmt += le16(2) + le16(16)
        let body = Array("WAVE".utf8) + fmt + Array("data".utf8) + le32(data.count) + data + list
        return Data(Array("RIFF".utf8) + le32(body.count) + body)
    }

    @Test func samplesAreExactlyThoseOfTheDataChunk() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("list.wav")
        var rng = SeededGenerator(seed: 7)
        let samples = (0..<10_001).map { _ in Int16(truncatingIfNeeded: rng.next()) } + [Int16.min, Int16.max, 0]
        try Self.wav(samples, trailingChunk: true).write(to: URL(fileURLWithPath: path))
        var reader = try AudioFileReader(path: path)
        let inPlace = reader.readsInPlace, frames = reader.frameCount
        #expect(inPlace)
        #expect(frames == samples.count)
        let read = try readAll(&reader, blockSize: 999)
        #expect(read == samples.map { Float($0) / 32768 })
        // The same bytes through a pipe go through libsndfile.
        let (descriptor, finish) = try catIntoPipe(path)
        defer { finish() }
        var piped = try AudioFileReader(fileDescriptor: descriptor)
        let pipedInPlace = piped.readsInPlace
        #expect(!pipedInPlace)
        #expect(try readAll(&piped, blockSize: 4096) == read)
    }

    @Test func otherEncodingsAndStereoAreReadThroughLibsndfile() throws {
        let directory = try TemporaryDirectory()
        let float = directory.path("float.wav"), stereo = directory.path("stereo.wav")
        try AudioFile.write([0.1, -0.2, 0.3], sampleRate: 8000, to: float, encoding: .float32)
        var writer = try AudioFileWriter(path: stereo, sampleRate: 8000, channels: 2)
        try writer.write([0.1, 0.2, 0.3, 0.4])
        try writer.close()
        let floatInPlace = try AudioFileReader(path: float).readsInPlace
        let stereoInPlace = try AudioFileReader(path: stereo).readsInPlace
        let leftInPlace = try AudioFileReader(path: stereo, channel: .index(0)).readsInPlace
        #expect(!floatInPlace)
        #expect(!stereoInPlace)
        #expect(!leftInPlace)
    }

    /// 100 s at 48 kHz (9.6 MB): the pages behind the reading position are handed back in
    /// steps, so what stays mapped is bounded however long the file.
    @Test func pagesAreHandedBackAsReadingGoesOn() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("long.wav")
        let second = TestAudio.sine(frequency: 1200, sampleRate: 48000, seconds: 1)
        var writer = try AudioFileWriter(path: path, sampleRate: 48000, channels: 1)
        for _ in 0..<100 { try writer.write(second) }
        try writer.close()
        var reader = try AudioFileReader(path: path)
        let inPlace = reader.readsInPlace
        #expect(inPlace)
        let total = try readAll(&reader, blockSize: 1 << 16).count
        let released = reader.releasedMappedBytes
        #expect(total == 4_800_000)
        #expect(released >= 2 * total - 2 * MappedSamples.releaseStep)
    }

    /// A header that promises more than the file holds: what is there is read, in place.
    @Test func cutShortFileReadsWhatIsThere() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("cut.wav")
        let whole = Self.wav((0..<4000).map { Int16($0) }, trailingChunk: false)
        try whole.prefix(whole.count - 2000).write(to: URL(fileURLWithPath: path))
        var reader = try AudioFileReader(path: path)
        let cutShort = reader.cutShort
        #expect(cutShort != nil)
        let read = try readAll(&reader, blockSize: 512)
        #expect(read.count == 3000)
        #expect(read == (0..<3000).map { Float($0) / 32768 })
    }
}
