// Fuzz target `audiofile`: the audio file reader (AudioFileReader over libsndfile) on any bytes.
// Input: a control byte (channel selection: auto, mix, index 0 or 1; read block size), then the
// file's bytes, written to a temporary file that the reader opens by path (as WAV, AIFF, FLAC
// or whatever libsndfile finds in it).
// Properties: opening and reading never trap and fail only with an AudioIOError; an opened file
// has a rate within 1000…768000, 1…64 channels, a frame count > 0 (nil when the container does
// not say, never Int.max) and a chosen channel that exists; reading to the end delivers exactly
// the frame count or throws (at most the count when the reader says the file was cut short),
// every sample finite within ±1; the same file read again with another block size gives the
// same samples, or the same error, and so does AudioFile.read.
import AudioIO

#if canImport(Glibc)
    import Glibc
#endif

/// One temporary file per process, rewritten for every input.
private let fuzzPath: String = {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(dir)/soundstack-fuzz-audiofile-\(getpid())"
}()

private func writeFile(_ bytes: ArraySlice<UInt8>) -> Bool {
    let fd = open(fuzzPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    return bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n <= 0 { return false }
            done += n
        }
        return true
    }
}

/// Frames read before a harness stops (a few kB of FLAC or ADPCM may promise millions).
private let frameCap = 1 << 20

/// The delivered samples, or the error; nil when the frame cap stopped the read.
private func readAll(_ channel: ChannelSelection, block: Int) -> Result<[Float], AudioIOError>? {
    var reader: AudioFileReader
    do {
        reader = try AudioFileReader(path: fuzzPath, channel: channel)
    } catch {
        return .failure(error)
    }
    fuzzCheck((1000...768_000).contains(reader.sampleRate), "sample rate \(reader.sampleRate)")
    fuzzCheck((1...64).contains(reader.channelCount), "\(reader.channelCount) channels")
    let frames = reader.frameCount
    fuzzCheck(frames.map { $0 > 0 && $0 < Int.max } ?? true, "frame count \(frames!)")
    if let chosen = reader.channelChoice.channel {
        fuzzCheck(chosen >= 0 && chosen < reader.channelCount, "channel \(chosen) of \(reader.channelCount) chosen")
    }
    _ = reader.formatDescription
    var samples: [Float] = []
    var buffer = [Float](repeating: 0, count: block)
    do {
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
            fuzzCheck(n >= 0 && n <= block, "read \(n) frames into \(block)")
            if n == 0 { break }
            samples += buffer[0..<n]
            if samples.count > frameCap { return nil }
        }
    } catch let error as AudioIOError {
        return .failure(error)
    } catch {
        fuzzCheck(false, "read threw \(error), not an AudioIOError")
        return nil
    }
    fuzzCheck(
        reader.framesDelivered == samples.count, "framesDelivered \(reader.framesDelivered), read \(samples.count)")
    if let frames, reader.cutShort == nil {
        fuzzCheck(samples.count == frames, "read \(samples.count) frames of \(frames) (\(reader.formatDescription))")
    } else if let frames {
        fuzzCheck(samples.count <= frames, "read \(samples.count) frames of \(frames), cut short")
    }
    if let bad = samples.firstIndex(where: { !($0.isFinite && abs($0) <= 1) }) {
        fuzzCheck(false, "sample \(bad) is \(samples[bad]) (\(reader.formatDescription))")
    }
    return .success(samples)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAudioFile(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let channel: ChannelSelection = [.auto, .mix, .index(0), .index(1)][Int(control & 3)]
    let blocks = [1, 7, 256, 4096, 1 << 16]
    let block = blocks[Int(control >> 2) % blocks.count]
    guard writeFile(input.bytes[min(1, size)...]) else { return 0 }
    defer { unlink(fuzzPath) }
    guard let first = readAll(channel, block: block) else { return 0 }
    // Once more with another block size: the same samples, or the same error.
    guard let second = readAll(channel, block: block == 4096 ? 1000 : 4096) else { return 0 }
    switch (first, second) {
    case let (.success(a), .success(b)):
        fuzzCheck(a == b, "block sizes \(block) and 4096 read different samples")
    case let (.failure(a), .failure(b)):
        fuzzCheck(a == b, "two reads failed differently: \(a) / \(b)")
    default:
        fuzzCheck(false, "one read failed, the other did not: \(first) / \(second)")
    }
    // The whole-file helper reads the same (it reserves memory from the header's frame count).
    let whole = Result { () throws(AudioIOError) in try AudioFile.read(path: fuzzPath, channel: channel).samples }
    switch (first, whole) {
    case let (.success(a), .success(b)):
        fuzzCheck(a == b, "AudioFile.read read \(b.count) frames, the reader \(a.count)")
    case let (.failure(a), .failure(b)):
        fuzzCheck(a == b, "the reader and AudioFile.read failed differently: \(a) / \(b)")
    default:
        fuzzCheck(false, "the reader and AudioFile.read disagree: \(first) / \(whole)")
    }
    return 0
}
