internal import CSndFile

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams one channel of an audio file as mono `Float` blocks in [-1, 1].
///
/// Reads whatever libsndfile reads (WAV in PCM, float, µ-law, A-law or IMA ADPCM; FLAC;
/// Ogg Vorbis; AIFF; AU) from a path, from `"-"` (stdin; pipes work for all of these), from
/// a descriptor, or headerless signed 16-bit little-endian samples (``RawFormat``).
/// A regular file whose header promises more data than it holds is refused as truncated
/// (except the streaming "length unknown" sizes 0 and 0xFFFFFFFF).
/// Memory stays constant however long the input: one scratch block of ``blockFrames``
/// frames, plus the first seconds while ``ChannelSelection/auto`` decides (replayed, so
/// nothing is lost, then released).
///
///     var reader = try AudioFileReader(path: "recording.flac")
///     print(reader.formatDescription, reader.channelChoice)
///     var block = [Float](repeating: 0, count: 4096)
///     while true {
///         let n = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
///         if n == 0 { break }
///         demodulator.process(block[0..<n])
///     }
///
/// The reader is the sole owner of its libsndfile handle (`~Copyable`); it may be moved
/// to another task, not shared.
public struct AudioFileReader: ~Copyable {
    /// Frames libsndfile decodes per call.
    public static let blockFrames = 4096
    /// How long ``ChannelSelection/auto`` listens before choosing.
    public static let analysisSeconds = 3
    /// Reads past the end of a pipe after which the stream is over, whatever the decoder says.
    static let readsAtEndLimit = 16
    /// Cap on the samples (all channels) buffered for ``ChannelSelection/auto``.
    static let analysisSampleLimit = 1 << 21

    /// Frames per second.
    public let sampleRate: Int
    /// Channels in the file (the reader delivers one of them, or their mix).
    public let channelCount: Int
    /// Frames in the file, or `nil` when unknown (pipes, stdin).
    public let frameCount: Int?
    /// The container and encoding, e.g. "WAV, Signed 16 bit PCM".
    public let formatDescription: String
    /// The path, `"stdin"` or `"fd N"` as errors name it.
    public let name: String
    /// The delivered channel and why it was chosen.
    public let channelChoice: ChannelChoice
    /// NaN and infinite samples met so far among those delivered (each delivered as 0).
    public private(set) var nonFiniteSampleCount = 0
    /// Set when the file's header promised more audio than the file holds (a recording cut
    /// short): everything that is there is read, and this says what was missing.
    public let cutShort: String?
    /// Frames delivered so far.
    public private(set) var framesDelivered = 0

    private let handle: SndFileHandle
    /// Interleaved block from libsndfile, allocated once; frames `scratchStart..<scratchCount`
    /// of it are still to be delivered.
    private var scratch: [Float]
    private var scratchStart = 0
    private var scratchCount = 0
    /// The delivered channel of the frames read while choosing, not yet delivered.
    private var replay: [Float] = []
    private var replayPosition = 0
    private var finished = false
    /// 16-bit PCM: mono blocks are read as integers into `shorts` and scaled here.
    private let pcm16: Bool
    private var shorts: [Int16]
    /// The file's 16-bit data are little-endian, as this machine's: raw reads need no swap.
    private let rawLittleEndian: Bool
    /// How far into the mapped samples (``SndFileHandle/mapped``) reading has come.
    private var mappedPosition = 0

    /// Opens a file, or stdin for `"-"`.
    ///
    /// - Parameters:
    ///   - path: A file path, or `"-"` for standard input.
    ///   - channel: The channel to deliver; ``ChannelSelection/auto`` by default.
    ///   - raw: Treat the input as headerless s16le at this rate and channel count.
    /// - Throws: ``AudioIOError`` naming the path and what was wrong.
    public init(path: String, channel: ChannelSelection = .auto, raw: RawFormat? = nil) throws(AudioIOError) {
        if path == "-" {
            try self.init(fileDescriptor: 0, channel: channel, raw: raw, name: "stdin", owned: false)
            return
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            throw code == ENOENT || code == ENOTDIR
                ? .fileNotFound(path: path)
                : .cannotOpen(path: path, reason: SystemError.message(code))
        }
        try self.init(fileDescriptor: descriptor, channel: channel, raw: raw, name: path, owned: true)
    }

    /// Reads from an open descriptor (a file, a pipe, a socket), which stays open afterwards.
    ///
    /// - Parameters:
    ///   - fileDescriptor: Where the bytes come from; reading starts at its current offset.
    ///   - channel: The channel to deliver; ``ChannelSelection/auto`` by default.
    ///   - raw: Treat the input as headerless s16le at this rate and channel count.
    /// - Throws: ``AudioIOError`` naming `"fd N"`.
    public init(fileDescriptor: Int32, channel: ChannelSelection = .auto, raw: RawFormat? = nil) throws(AudioIOError) {
        try self.init(
            fileDescriptor: fileDescriptor, channel: channel, raw: raw,
            name: "fd \(fileDescriptor)", owned: false)
    }

    private init(
        fileDescriptor: Int32, channel: ChannelSelection, raw: RawFormat?,
        name: String, owned: Bool
    ) throws(AudioIOError) {
        let opened = try Self.openHandle(fileDescriptor, raw: raw, name: name, owned: owned)
        let channels = opened.channels
        var choice: ChannelChoice
        var replay: [Float] = []
        switch channel {
        case let .index(index):
            guard (0..<channels).contains(index) else {
                throw .channelOutOfRange(path: name, index: index, channelCount: channels)
            }
            choice = ChannelChoice(channel: index, reason: channels == 1 ? "mono" : "requested")
        case .mix:
            choice =
                channels == 1
                ? ChannelChoice(channel: 0, reason: "mono")
                : ChannelChoice(channel: nil, reason: "requested")
        case .auto where channels == 1:
            choice = ChannelChoice(channel: 0, reason: "mono")
        case .auto:
            let prefix = try Self.readPrefix(
                handle: opened.handle, channels: channels,
                sampleRate: opened.sampleRate, name: name)
            choice = ChannelAnalyzer.choose(interleaved: prefix, channels: channels, sampleRate: opened.sampleRate)
            let chosen = choice.channel ?? 0
            replay = stride(from: chosen, to: prefix.count, by: channels).map { prefix[$0] }
        }
        self.name = name
        sampleRate = opened.sampleRate
        channelCount = channels
        frameCount = opened.frameCount
        formatDescription = opened.description
        cutShort = opened.cutShort
        pcm16 = opened.pcm16
        rawLittleEndian = opened.pcm16 && opened.littleEndianData && 1.littleEndian == 1
        // Large raw reads: fewer system calls (64 k frames, 128 kB).
        shorts = opened.pcm16 && channels == 1 ? [Int16](repeating: 0, count: 1 << 16) : []
        channelChoice = choice
        self.replay = replay
        scratch = [Float](repeating: 0, count: Self.blockFrames * channels)
        handle = opened.handle
        // Held by the handle (a class): an optional reference stored in this noncopyable
        // struct was released twice by optimised builds.
        if channels == 1, rawLittleEndian, raw == nil {
            opened.handle.mapped = Self.map(opened.handle, frames: opened.frameCount)
        }
    }

    /// The samples of a mono 16-bit little-endian regular file, mapped, once libsndfile has
    /// opened it: its first samples as libsndfile reads them must match, and libsndfile is
    /// wound back to the start either way.
    private static func map(_ handle: SndFileHandle, frames: Int?) -> MappedSamples? {
        let kind = DescriptorInfo(descriptor: handle.descriptor)
        guard kind.isRegularFile, handle.source == nil, let frames,
            let mapping = MappedSamples(descriptor: handle.descriptor, fileSize: kind.size, frames: frames)
        else { return nil }
        let probe = min(mapping.count, 1024)
        var first = [Int16](repeating: 0, count: probe)
        let got = first.withUnsafeMutableBufferPointer {
            sf_read_raw(handle.pointer, $0.baseAddress, sf_count_t(2 * probe))
        }
        let same = got == 2 * probe && first.withUnsafeBufferPointer { mapping.starts(with: $0) }
        guard sf_seek(handle.pointer, 0, SEEK_SET) == 0, same else { return nil }
        return mapping
    }

    /// Reads the next block of the chosen channel.
    ///
    /// Delivers at most `buffer.count` frames (fewer is not the end), NaN and ±∞ as 0
    /// (counted in ``nonFiniteSampleCount``) and values clipped to [-1, 1].
    ///
    /// - Parameter buffer: Where to put the samples.
    /// - Returns: Frames written to `buffer`; 0 at the end of the input.
    /// - Throws: ``AudioIOError/readFailed(path:reason:)`` when libsndfile fails mid-stream,
    ///   ``AudioIOError/truncated(path:reason:)`` when the audio ends before ``frameCount``
    ///   frames (damaged or missing data the header did not reveal).
    /// - Complexity: O(`buffer.count` × channels); no allocation.
    public mutating func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioIOError) -> Int {
        guard let out = buffer.baseAddress, buffer.count > 0, !finished else { return 0 }
        if replayPosition < replay.count {
            let count = min(buffer.count, replay.count - replayPosition)
            var bad = 0
            replay.withUnsafeBufferPointer { source in
                for i in 0..<count { out[i] = Self.clean(source[replayPosition + i], &bad) }
            }
            replayPosition += count
            if replayPosition == replay.count {
                replay = []
                replayPosition = 0
            }
            nonFiniteSampleCount += bad
            framesDelivered += count
            return count
        }
        if let mapped = handle.mapped {
            let count = min(buffer.count, mapped.count - mappedPosition)
            guard count > 0 else { return try endOfMapped() }
            let scale: Float = 1.0 / 32768
            let source = mapped.samples + mappedPosition
            for i in 0..<count { out[i] = Float(Int16(littleEndian: source[i])) * scale }
            mappedPosition += count
            mapped.release(before: mappedPosition)
            framesDelivered += count
            return count
        }
        let channels = channelCount
        let pointer = handle.pointer
        if channels == 1, pcm16 {
            if inventsPastEnd() { return 0 }
            // Mono 16-bit PCM: straight into the caller's buffer through `shorts` (these
            // encodings have no decoding step that could fail part-way through a request).
            let wanted = min(buffer.count, shorts.count)
            // Little-endian 16-bit data are read raw (no conversion loop in libsndfile).
            let got = shorts.withUnsafeMutableBufferPointer { buf in
                rawLittleEndian
                    ? sf_read_raw(pointer, buf.baseAddress, sf_count_t(2 * wanted)) / 2
                    : sf_readf_short(pointer, buf.baseAddress, sf_count_t(wanted))
            }
            guard got > 0 else { return try end(pointer) }
            let scale: Float = 1.0 / 32768
            shorts.withUnsafeBufferPointer { s in
                for i in 0..<Int(got) { out[i] = Float(s[i]) * scale }
            }
            framesDelivered += Int(got)
            return Int(got)
        }
        // Everything else is decoded by libsndfile in blocks of `blockFrames` whatever the
        // caller's buffer, and handed out from `scratch`: a decoder that fails part-way through
        // a request returns nothing of it, so how much audio comes before such an error must
        // not depend on the size of the caller's reads.
        if scratchStart == scratchCount {
            if inventsPastEnd() { return 0 }
            let got = scratch.withUnsafeMutableBufferPointer {
                sf_readf_float(pointer, $0.baseAddress, sf_count_t(Self.blockFrames))
            }
            guard got > 0 else { return try end(pointer) }
            scratchStart = 0
            scratchCount = Int(got)
        }
        let frames = min(buffer.count, scratchCount - scratchStart)
        let first = scratchStart
        var bad = 0
        scratch.withUnsafeBufferPointer { source in
            if let chosen = channelChoice.channel {
                for i in 0..<frames { out[i] = Self.clean(source[(first + i) * channels + chosen], &bad) }
            } else {
                let scale = 1 / Float(channels)
                for i in 0..<frames {
                    var sum: Float = 0
                    for c in 0..<channels { sum += Self.clean(source[(first + i) * channels + c], &bad) }
                    out[i] = sum * scale
                }
            }
        }
        scratchStart += frames
        nonFiniteSampleCount += bad
        framesDelivered += frames
        return frames
    }

    /// Whether the decoder has asked so often past the end of a pipe that what it still
    /// returns is invented (see `PipeSource.readsAtEnd`): the stream has ended. Checked only
    /// before libsndfile is asked for more, so frames already decoded are all delivered
    /// whatever the size of the caller's reads.
    private mutating func inventsPastEnd() -> Bool {
        guard let source = handle.source, source.readsAtEnd > Self.readsAtEndLimit else { return false }
        finished = true
        return true
    }

    /// The end of the input: 0, or the error libsndfile met, or ``AudioIOError/truncated(path:reason:)``
    /// when the audio stopped short of the frame count the header promised (and the file was
    /// not already known to be cut short).
    private mutating func end(_ pointer: OpaquePointer) throws(AudioIOError) -> Int {
        finished = true
        if sf_error(pointer) != 0 { throw .readFailed(path: name, reason: SystemError.sndfileMessage(pointer)) }
        if let frameCount, cutShort == nil, framesDelivered < frameCount {
            throw .truncated(
                path: name,
                reason: "the audio ends after \(framesDelivered) of the \(frameCount) frames its header promises")
        }
        return 0
    }

    /// The end of mapped samples: as ``end(_:)``, without libsndfile (which read nothing).
    private mutating func endOfMapped() throws(AudioIOError) -> Int {
        finished = true
        if let frameCount, cutShort == nil, framesDelivered < frameCount {
            throw .truncated(
                path: name,
                reason: "the audio ends after \(framesDelivered) of the \(frameCount) frames its header promises")
        }
        return 0
    }

    /// Whether samples are read in place from the mapped file rather than through libsndfile.
    var readsInPlace: Bool { handle.mapped != nil }

    /// Bytes of the mapped file handed back to the system so far (0 when not mapped).
    var releasedMappedBytes: Int { handle.mapped?.releasedBytes ?? 0 }

    /// Samples (of all channels) the reader holds in memory now: its scratch block plus
    /// whatever of the analysed prefix is still to be replayed.
    var bufferedSampleCapacity: Int { scratch.capacity + replay.capacity }

    /// Bytes held from a pipe's start for libsndfile to seek back over (0 once streaming).
    var retainedByteCapacity: Int { handle.source?.retainedCapacity ?? 0 }

    /// A finite sample clipped to [-1, 1]; 0 (counted in `bad`) for NaN and ±∞.
    @inline(__always)
    private static func clean(_ value: Float, _ bad: inout Int) -> Float {
        guard value.isFinite else {
            bad += 1
            return 0
        }
        return min(max(value, -1), 1)
    }
}

// Sole ownership (`~Copyable`) means a reader is only ever moved, never shared, so moving
// one across isolation domains is safe; its libsndfile handle has no thread affinity.
extension AudioFileReader: @unchecked Sendable {}

extension AudioFileReader {
    /// Reads the rest of the audio in blocks of at most `size` samples and hands each to `body`:
    /// the one read loop every receiver uses.
    ///
    ///     try reader.forEachBlock { block in frames += receiver.process(block) }
    ///
    /// - Throws: A read error, or whatever `body` throws.
    /// - Complexity: O(*n*) in the samples read; one buffer of `size` samples.
    public mutating func forEachBlock(
        size: Int = 1 << 16,
        _ body: (UnsafeBufferPointer<Float>) throws -> Void
    ) throws {
        var buffer = [Float](repeating: 0, count: max(1, size))
        while true {
            let n = try buffer.withUnsafeMutableBufferPointer { try read(into: $0) }
            if n == 0 { break }
            try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}
