import Foundation
import TestSupport
import Testing

@testable import AudioIO

// Cases the fuzzer found (scripts/fuzz.sh audiofile), kept as tests: FLAC files whose
// STREAMINFO total sample count is unknown, absurd, or promises audio that is not there.

/// Little-endian bytes of header fields.
private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
private func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }

/// A 100-frame mono FLAC written by our writer, with its STREAMINFO total sample count
/// (36 bits at bytes 21…25 of the file) replaced by `total`, and cut to `keep` bytes.
private func flac(total: UInt64, keep: Int? = nil, in directory: TemporaryDirectory) throws -> String {
    let path = directory.path("damaged.flac")
    let tone = (0..<100).map { Float(0.5 * sin(Double($0) * 0.3)) }
    try AudioFile.write(tone, sampleRate: 8000, to: path)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    // "fLaC", a 4-byte block header, then STREAMINFO: the total is the low 36 bits of its
    // bytes 13…17.
    let at = 4 + 4 + 13
    bytes[at] = bytes[at] & 0xF0 | UInt8(truncatingIfNeeded: total >> 32) & 0x0F
    for i in 0..<4 { bytes[at + 1 + i] = UInt8(truncatingIfNeeded: total >> (24 - 8 * i)) }
    if let keep { bytes.removeLast(bytes.count - keep) }
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Where a FLAC file's metadata blocks end (its first audio frame).
private func audioStart(_ path: String) throws -> Int {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var at = 4
    while true {
        let last = bytes[at] & 0x80 != 0
        let length = Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
        at += 4 + length
        if last { return at }
    }
}

/// A total of 0 means "unknown": libsndfile says SF_COUNT_MAX frames, which the reader
/// reported as the frame count (Int.max), and AudioFile.read reserved memory for.
@Test func aFLACWithoutItsTotalHasNoFrameCount() throws {
    let directory = try TemporaryDirectory()
    let path = try flac(total: 0, in: directory)
    let reader = try AudioFileReader(path: path)
    #expect(reader.frameCount == nil)
    #expect(try AudioFile.read(path: path).samples.count == 100)
}

/// A header promising 2³⁶ − 1 frames made AudioFile.read reserve 256 GB before reading; the
/// 100 frames there are read, then the missing rest is reported as truncation.
@Test func aFLACPromisingBillionsOfFramesIsTruncatedNotAnAllocation() throws {
    let directory = try TemporaryDirectory()
    let path = try flac(total: 1 << 36 - 1, in: directory)
    let reader = try AudioFileReader(path: path)
    #expect(reader.frameCount == 1 << 36 - 1)
    #expect {
        _ = try AudioFile.read(path: path)
    } throws: { error in
        guard case AudioIOError.truncated(_, let reason)? = error as? AudioIOError else { return false }
        return reason.contains("100 of the 68719476735 frames")
    }
}

/// Metadata without a single audio frame read as an empty stream, no error: 0 of the
/// 100 frames the header promises.
@Test func aFLACWithNoAudioFramesIsTruncated() throws {
    let directory = try TemporaryDirectory()
    let whole = try flac(total: 100, in: directory)
    let path = try flac(total: 100, keep: try audioStart(whole), in: directory)
    var reader = try AudioFileReader(path: path)
    #expect(reader.frameCount == 100)
    var buffer = [Float](repeating: 0, count: 256)
    var failure: AudioIOError?
    do {
        _ = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
    } catch let error as AudioIOError {
        failure = error
    }
    guard case .truncated? = failure else {
        Issue.record("read gave \(failure.map { "\($0)" } ?? "no error") for a FLAC without audio")
        return
    }
    #expect(throws: AudioIOError.self) { try AudioFile.read(path: path) }
}

/// The intact file still reads whole, its count exact.
@Test func anIntactFLACReadsItsFrameCount() throws {
    let directory = try TemporaryDirectory()
    let path = try flac(total: 100, in: directory)
    let reader = try AudioFileReader(path: path)
    #expect(reader.frameCount == 100)
    #expect(try AudioFile.read(path: path).samples.count == 100)
}

/// From scripts/fuzz.sh wavstream: a G.721 ADPCM WAV with the streaming data size 0x80000000,
/// read from a pipe, never ended: libsndfile's decoder kept asking past the end of the stream
/// and kept making audio, 4 294 967 400 frames from 144 bytes. The reader ends it.
@Test func aG721StreamOnAPipeEndsWithTheStream() throws {
    var bytes = Array("RIFF".utf8) + le32(0xFFFF_FFFF) + Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16)
    bytes += le16(0x40) + le16(1) + le32(8000) + le32(4000) + le16(0) + le16(4)
    bytes += Array("data".utf8) + le32(0x8000_0000) + (0..<100).map { UInt8($0) }
    let directory = try TemporaryDirectory()
    let path = directory.path("g721.wav")
    writeBytes(bytes, to: path)
    let (descriptor, finish) = try catIntoPipe(path)
    defer { finish() }
    var reader = try AudioFileReader(fileDescriptor: descriptor)
    #expect(reader.frameCount == nil)
    var total = 0
    var buffer = [Float](repeating: 0, count: 4096)
    while total < 1 << 22 {
        let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
        if n == 0 { break }
        total += n
    }
    // 100 bytes of 4-bit ADPCM are 200 frames; what the decoder makes up before the reader
    // notices is a few thousand more, not billions.
    #expect(total >= 200 && total < 20_000, "\(total) frames")
}

/// Reads every frame of `path` piped through `cat`, `block` frames at a time.
private func pipedFrames(_ path: String, block: Int) throws -> [Float] {
    let (descriptor, finish) = try catIntoPipe(path)
    defer { finish() }
    var reader = try AudioFileReader(fileDescriptor: descriptor)
    var frames: [Float] = []
    var buffer = [Float](repeating: 0, count: block)
    while frames.count < 1 << 20 {
        let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
        if n == 0 { break }
        frames += buffer[0..<n]
    }
    return frames
}

/// From scripts/fuzz.sh wavstream: the G.721 stream above read one frame at a time gave one
/// frame, read 4096 at a time gave 4096. The end of an invented stream was noticed before
/// the frames already decoded were handed out; now they all are, whatever the block size.
@Test func aG721StreamGivesTheSameFramesWhateverTheBlockSize() throws {
    var bytes = Array("RIFF".utf8) + le32(0xFFFF_FFFF) + Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16)
    bytes += le16(0x40) + le16(1) + le32(8000) + le32(4000) + le16(0) + le16(4)
    bytes += Array("data".utf8) + le32(0x8000_0000) + (0..<100).map { UInt8($0) }
    let directory = try TemporaryDirectory()
    let path = directory.path("g721.wav")
    writeBytes(bytes, to: path)
    let whole = try pipedFrames(path, block: 4096)
    #expect(whole.count >= 200)
    for block in [1, 333] {
        let pieces = try pipedFrames(path, block: block)
        #expect(pieces == whole, "block \(block): \(pieces.count) frames, 4096 at a time \(whole.count)")
    }
}

/// From scripts/fuzz.sh wavstream: a WAV on a pipe whose data (its size the streaming
/// 0xFFFFFFFF) is the bytes `INFOa`. libsndfile, parsing on past `data`, read `INFO` as a
/// chunk, could not read its size, stepped back four bytes and read it again, storing
/// each, until memory ran out (the length of a pipe is unknown). It opens now, with the
/// two frames the five bytes hold at most.
@Test func aWAVOnAPipeEndingInACutShortINFOChunkOpens() throws {
    var bytes = Array("RIFF".utf8) + le32(0xFFFF_FFFF) + Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16)
    bytes += le16(1) + le16(1) + le32(8000) + le32(16000) + le16(2) + le16(16)
    bytes += Array("data".utf8) + le32(0xFFFF_FFFF) + Array("INFOa".utf8)
    let directory = try TemporaryDirectory()
    let path = directory.path("info.wav")
    writeBytes(bytes, to: path)
    let frames = try pipedFrames(path, block: 64)
    #expect(frames.count <= 2)
}

/// A 16-bit mono 8 kHz WAV: `before` between `fmt ` and `data`, the data chunk's size
/// field `dataSize` (its real length when `nil`), eight frames, then `after`.
private func wav(before: [UInt8] = [], dataSize: UInt32? = nil, after: [UInt8] = []) -> [UInt8] {
    let audio = (0..<8).flatMap { le16(UInt16(bitPattern: Int16($0 * 1000))) }
    var bytes = Array("RIFF".utf8) + le32(0xFFFF_FFFF) + Array("WAVE".utf8) + Array("fmt ".utf8) + le32(16)
    bytes += le16(1) + le16(1) + le32(8000) + le32(16000) + le16(2) + le16(16)
    bytes += before + Array("data".utf8) + le32(dataSize ?? UInt32(audio.count)) + audio + after
    return bytes
}

/// A `LIST` chunk whose one entry claims 0xFFFFFFF7 bytes (from scripts/fuzz.sh wavstream).
private let loopingLIST: [UInt8] =
    Array("LIST".utf8) + [10, 0, 0, 0] + [0x00, 0x24, 0x00, 0xFF, 0xF7, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]

/// Opens `path` as a file and through a pipe; the two errors (or `nil` where it opened).
private func openErrors(_ path: String) throws -> (file: AudioIOError?, pipe: AudioIOError?) {
    var fileError: AudioIOError?
    do { _ = try AudioFileReader(path: path) } catch { fileError = error }
    let (descriptor, finish) = try catIntoPipe(path)
    defer { finish() }
    var pipeError: AudioIOError?
    do { _ = try AudioFileReader(fileDescriptor: descriptor) } catch { pipeError = error }
    return (fileError, pipeError)
}

/// From scripts/fuzz.sh wavstream: a 90-byte WAV whose `LIST` chunk has an entry claiming
/// nearly 4 GB. libsndfile adds that to what it has read in 32 bits, the sum wraps, and it
/// skips back to the same entry for ever: opening the file or the pipe never returned. Both
/// are refused now, naming the chunk.
@Test func aLISTEntryClaimingNearlyFourGigabytesIsRefusedNotALoop() throws {
    let directory = try TemporaryDirectory()
    for (name, bytes) in [("before", wav(before: loopingLIST)), ("after", wav(after: loopingLIST))] {
        let path = directory.path("\(name).wav")
        writeBytes(bytes, to: path)
        let (file, pipe) = try openErrors(path)
        for error in [file, pipe] {
            guard case .notAudioFile(_, let reason)? = error else {
                Issue.record("LIST \(name) the audio: \(String(describing: error))")
                continue
            }
            #expect(reason.contains("'LIST' chunk at byte"), "\(reason)")
        }
    }
}

/// The same check leaves good metadata alone: an `INFO` list before or after the audio reads.
@Test func aWellFormedLISTBeforeOrAfterTheAudioReads() throws {
    let info: [UInt8] =
        Array("LIST".utf8) + [18, 0, 0, 0] + Array("INFO".utf8) + Array("ISFT".utf8) + [5, 0, 0, 0]
        + Array("sound".utf8) + [0]
    let directory = try TemporaryDirectory()
    for (name, bytes) in [("before", wav(before: info)), ("after", wav(after: info))] {
        let path = directory.path("\(name).wav")
        writeBytes(bytes, to: path)
        let (file, pipe) = try openErrors(path)
        #expect(file == nil && pipe == nil, "\(name): \(String(describing: file)), \(String(describing: pipe))")
        #expect(try pipedFrames(path, block: 64).count == 8, "\(name)")
    }
}

/// A WAV whose data size is 0 (a recorder that never wrote it back) with audio after it.
/// libsndfile reads none of it (on a pipe; a file is "truncated": no audio frames), and
/// StreamingWAV, the fallback for such files, read none either. It reads to the end now.
@Test func aZeroDataSizeWithAudioAfterItReadsToTheEndAsAStreamingWAV() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path("zero.wav")
    writeBytes(wav(dataSize: 0), to: path)
    let streaming = try #require(StreamingWAV.read(path: path))
    #expect(streaming.samples == (0..<8).map { Float($0 * 1000) / 32768 })
    #expect(streaming.sampleRate == 8000)
    #expect(throws: AudioIOError.self) { _ = try AudioFileReader(path: path) }
}
