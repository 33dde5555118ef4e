// Fuzz target `wavstream`: the streaming WAV paths. AudioFileReader on a pipe (PipeSource: the
// header bytes kept for libsndfile to seek back over, length unknown), AudioFileWriter's
// WAVStreamEncoder on a pipe, and StreamingWAV.read on a WAV whose sizes promise more than there is.
// Input: a control byte; in raw mode the rest is the stream, else a RIFF/WAVE header is built
// from fuzzed fields (channels, rate, bits, fmt tag and size, sizes 0xFFFFFFFF or fuzzed, an
// optional chunk before `data`) and the rest is the data; then chunk sizes for the second feed.
// Properties: the stream written to the pipe at once and the stream written in fuzzed chunks
// by another thread read the same (same samples, or the same error); an opened stream has no
// frame count, a rate and channel count within the limits (those of a built header: exactly
// its fields), samples finite within ±1, for a built PCM header no more frames than its data
// bytes hold; StreamingWAV's samples are finite within ±1, no more than the bytes, and for a
// built 16-bit PCM header with a data size other than 0 and no `data` marker in its audio,
// equal to the pipe reader's first channel. WAVStreamEncoder's pipe output reads back to the
// samples written, within two quantisation steps. Opening never hangs (libFuzzer's timeout).
import AudioIO

#if canImport(Glibc)
    import Glibc
#endif

private let tempPath: String = {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    return "\(dir)/soundstack-fuzz-wavstream-\(getpid()).wav"
}()

private func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>) {
    bytes.withUnsafeBytes { raw in
        var done = 0
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n < 0, errno == EINTR { continue }
            if n <= 0 { return }
            done += n
        }
    }
}

/// What a pipe reader delivered: rate, channels and samples, or the error.
private struct PipeRead: Equatable {
    var sampleRate = 0
    var channels = 0
    var samples: [Float] = []
    var error: AudioIOError?
}

/// Frames read before a harness stops (bounded work: a few kB of FLAC may decode to millions).
/// It also stopped the endless G.721 decode the reader now ends itself (AudioFileRobustnessTests).
private let frameCap = 1 << 18

private func readPipe(_ fd: Int32, channel: ChannelSelection, block: Int) -> PipeRead {
    var result = PipeRead()
    do {
        var reader = try AudioFileReader(fileDescriptor: fd, channel: channel)
        fuzzCheck(reader.frameCount == nil, "a pipe with a frame count \(reader.frameCount!)")
        fuzzCheck((1000...768_000).contains(reader.sampleRate), "sample rate \(reader.sampleRate)")
        fuzzCheck((1...64).contains(reader.channelCount), "\(reader.channelCount) channels")
        result.sampleRate = reader.sampleRate
        result.channels = reader.channelCount
        var buffer = [Float](repeating: 0, count: block)
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
            if n == 0 { break }
            result.samples += buffer[0..<n]
            if result.samples.count >= frameCap {
                // Both feeds stop at the same frame, whatever their block sizes.
                result.samples.removeLast(result.samples.count - frameCap)
                break
            }
        }
    } catch let error as AudioIOError {
        result.error = error
    } catch {
        fuzzCheck(false, "the pipe reader threw \(error), not an AudioIOError")
    }
    if let bad = result.samples.firstIndex(where: { !($0.isFinite && abs($0) <= 1) }) {
        fuzzCheck(false, "pipe sample \(bad) is \(result.samples[bad])")
    }
    return result
}

/// Writes `stream` into a pipe all at once (it fits the pipe's buffer), then reads it.
private func oneShot(_ stream: [UInt8], channel: ChannelSelection, block: Int) -> PipeRead {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return PipeRead() }
    writeAll(fds[1], stream[...])
    close(fds[1])
    defer { close(fds[0]) }
    return readPipe(fds[0], channel: channel, block: block)
}

/// Writes `stream` from another thread in chunks of the given sizes while the reader reads.
private func chunked(_ stream: [UInt8], chunks: [Int], channel: ChannelSelection, block: Int) -> PipeRead {
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return PipeRead() }
    final class Job {
        let fd: Int32
        let stream: [UInt8]
        let chunks: [Int]
        init(fd: Int32, stream: [UInt8], chunks: [Int]) { (self.fd, self.stream, self.chunks) = (fd, stream, chunks) }
    }
    let job = Unmanaged.passRetained(Job(fd: fds[1], stream: stream, chunks: chunks)).toOpaque()
    var thread = pthread_t()
    let started = pthread_create(
        &thread, nil,
        { raw in
            let job = Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue()
            // A reader that gives up early closes its end: writing then must not kill us.
            var start = 0, k = 0
            while start < job.stream.count {
                let size = job.chunks.isEmpty ? job.stream.count : max(1, job.chunks[k % job.chunks.count])
                let end = min(job.stream.count, start + size)
                writeAll(job.fd, job.stream[start..<end])
                start = end
                k += 1
                sched_yield()
            }
            close(job.fd)
            return nil
        }, job)
    guard started == 0 else {
        Unmanaged<AnyObject>.fromOpaque(job).release()
        close(fds[0])
        close(fds[1])
        return PipeRead()
    }
    let result = readPipe(fds[0], channel: channel, block: block)
    // Drain what the reader left so the writer finishes, then join it.
    var sink = [UInt8](repeating: 0, count: 4096)
    while sink.withUnsafeMutableBytes({ read(fds[0], $0.baseAddress, 4096) }) > 0 {}
    pthread_join(thread, nil)
    close(fds[0])
    return result
}

private func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
private func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }

/// A built header's fields.
private struct Header {
    var channels = 1
    var rate = 8000
    var bits = 16
    var format = 1
    var dataSize: UInt32 = 0
}

private let rates = [8000, 11025, 44100, 48000, 999, 768_001, 0]

private func buildHeader(_ input: inout FuzzInput) -> (bytes: [UInt8], header: Header) {
    var h = Header()
    let shape = input.byte()
    h.channels = [1, 2, 3, 1, 1, 0, 65, 2][Int(shape & 7)]
    h.rate = rates[Int(shape >> 3) % rates.count]
    let kind = input.byte()
    h.bits = [16, 8, 16, 24, 32, 12, 0, 16][Int(kind & 7)]
    h.format = kind & 0x38 == 0x38 ? 3 : (kind & 0x38 == 0x30 ? Int(input.u16()) : 1)
    let fmtSize = kind & 0x40 != 0 ? 18 : 16
    let blockAlign = h.channels * h.bits / 8
    var bytes = Array("RIFF".utf8) + le32(input.bool() ? 0xFFFF_FFFF : input.u32()) + Array("WAVE".utf8)
    bytes += Array("fmt ".utf8) + le32(UInt32(fmtSize)) + le16(h.format) + le16(h.channels)
    bytes += le32(UInt32(h.rate)) + le32(UInt32(h.rate * blockAlign)) + le16(blockAlign) + le16(h.bits)
    if fmtSize == 18 { bytes += le16(0) }
    if kind & 0x80 != 0 {
        let extra = input.take(Int(input.byte() % 16))
        bytes += Array("LIST".utf8) + le32(UInt32(extra.count)) + extra
        if extra.count % 2 == 1 { bytes.append(0) }
    }
    h.dataSize = [0xFFFF_FFFF, 0, 0x8000_0000, input.u32()][Int(input.byte() & 3)]
    bytes += Array("data".utf8) + le32(h.dataSize)
    return (bytes, h)
}

/// WAVStreamEncoder through AudioFileWriter on a pipe, read back by AudioFileReader on the pipe.
private func encoderRoundTrip(_ input: inout FuzzInput) {
    let encodings: [AudioEncoding] = [.pcm8, .pcm16, .pcm24, .pcm32, .float32]
    let encoding = encodings[input.below(encodings.count)]
    let channels = 1 + input.below(3)
    let rate = [8000, 44100, 48000][input.below(3)]
    let frames = min(input.below(600), 16_000 / channels)
    var samples = [Float](repeating: 0, count: frames * channels)
    for i in samples.indices {
        let raw = input.u16()
        samples[i] = raw == 0xFFFF ? .nan : (raw == 0xFFFE ? .infinity : Float(Int16(bitPattern: raw)) / 30_000)
    }
    var fds: [Int32] = [-1, -1]
    guard pipe(&fds) == 0 else { return }
    defer { close(fds[0]) }
    do {
        var writer = try AudioFileWriter(
            fileDescriptor: fds[1], sampleRate: rate, channels: channels, encoding: encoding)
        try writer.write(samples)
        try writer.close()
    } catch {
        close(fds[1])
        fuzzCheck(false, "streaming \(encoding) to a pipe failed: \(error)")
        return
    }
    close(fds[1])
    let back = readPipe(fds[0], channel: .index(channels - 1), block: 512)
    if frames == 0 {
        fuzzCheck(back.samples.isEmpty, "\(back.samples.count) frames read of none written")
        return
    }
    fuzzCheck(back.error == nil, "streamed \(encoding) does not read back: \(back.error!)")
    fuzzCheck(back.sampleRate == rate && back.channels == channels, "header \(back.sampleRate) Hz × \(back.channels)")
    fuzzCheck(back.samples.count == frames, "\(back.samples.count) frames read of \(frames) written (\(encoding))")
    // Written ×(2ⁿ⁻¹ − 1) and rounded, read ÷2ⁿ⁻¹ (libsndfile's convention): within two steps.
    let step: Float = [.pcm8: 2.0 / 128, .pcm16: 2.0 / 32768, .pcm24: 2.0 / 8_388_608, .pcm32: 1e-6, .float32: 0][
        encoding]!
    for f in 0..<min(frames, back.samples.count) {
        let x = samples[f * channels + channels - 1]
        let want = x.isFinite ? min(max(x, -1), 1) : 0
        fuzzCheck(abs(back.samples[f] - want) <= step, "frame \(f): wrote \(x), read \(back.samples[f]) (\(encoding))")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWAVStream(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    if control & 0xC0 == 0xC0 {
        encoderRoundTrip(&input)
        return 0
    }
    let channel: ChannelSelection = [.index(0), .mix, .auto, .index(1)][Int(control & 3)]
    let block = [64, 4096, 1, 333][Int(control >> 2) & 3]
    var stream: [UInt8]
    var header: Header?
    if control & 0x10 != 0 {
        let built = buildHeader(&input)
        header = built.header
        stream = built.bytes
    } else {
        stream = []
    }
    let headerLength = stream.count
    let chunkBytes = input.take(Int(input.byte() % 16))
    let chunks = chunkBytes.map { Int($0) * (control & 0x20 != 0 ? 64 : 1) }
    stream += input.rest()

    let whole = oneShot(stream, channel: channel, block: block)
    let pieces = chunked(stream, chunks: chunks, channel: channel, block: block == 4096 ? 64 : 4096)
    fuzzCheck(
        whole == pieces,
        "one-shot \(whole.error.map { "\($0)" } ?? "\(whole.samples.count) frames") ≠ chunked \(pieces.error.map { "\($0)" } ?? "\(pieces.samples.count) frames")"
    )
    if whole.error == nil, let h = header {
        fuzzCheck(
            whole.sampleRate == h.rate && whole.channels == h.channels,
            "header says \(h.rate) Hz × \(h.channels), read \(whole.sampleRate) Hz × \(whole.channels)")
        // PCM: no more frames than the data bytes hold (compressed encodings may give more).
        if h.format == 1, h.bits >= 8 {
            let dataBytes = stream.count - headerLength
            fuzzCheck(
                whole.samples.count * h.channels * (h.bits / 8) <= dataBytes,
                "\(whole.samples.count) frames of \(h.channels) × \(h.bits) bits from \(dataBytes) bytes")
        }
    }

    // StreamingWAV on the same bytes as a file.
    let fd = open(tempPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { return 0 }
    writeAll(fd, stream[...])
    close(fd)
    defer { unlink(tempPath) }
    guard let streaming = StreamingWAV.read(path: tempPath) else { return 0 }
    fuzzCheck(streaming.samples.count <= stream.count, "\(streaming.samples.count) samples from \(stream.count) bytes")
    if let bad = streaming.samples.firstIndex(where: { !($0.isFinite && abs($0) <= 1) }) {
        fuzzCheck(false, "StreamingWAV sample \(bad) is \(streaming.samples[bad])")
    }
    // libsndfile, unable to seek past the audio of a pipe, parses on through it as chunks: a
    // `data` marker in it is taken for the audio chunk. With a data size of 0 it reads nothing,
    // StreamingWAV (a file's fallback) the rest of the file. Otherwise the two agree.
    let audio = stream[headerLength...]
    let dataInAudio = audio.indices.contains { audio[$0...].starts(with: "data".utf8) }
    if let h = header, h.format == 1, h.bits == 16, channel == .index(0), whole.error == nil, h.dataSize != 0,
        !dataInAudio
    {
        fuzzCheck(streaming.sampleRate == h.rate, "StreamingWAV rate \(streaming.sampleRate), header \(h.rate)")
        fuzzCheck(
            streaming.samples == whole.samples,
            "StreamingWAV read \(streaming.samples.count) frames, the pipe reader \(whole.samples.count)")
    }
    return 0
}
