internal import CSndFile

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes float samples to an audio file, or to stdout for `"-"`.
///
/// The container comes from the extension (`.wav` when there is none, `.flac`, `.ogg`,
/// `.aiff`/`.aif`, `.au`) unless given; the encoding defaults to 16-bit PCM (Vorbis for
/// Ogg). Samples are clipped to [-1, 1] on the way to integers. WAV to a pipe or stdout is
/// streamed with a "length unknown" header (sizes 0xFFFFFFFF); AU and Ogg stream through
/// libsndfile; FLAC and AIFF cannot go to a pipe. A process writing to a pipe should
/// ignore `SIGPIPE` to get ``AudioIOError/writeFailed(path:reason:)`` rather than being
/// killed when the reader goes away.
///
///     var writer = try AudioFileWriter(path: "tone.flac", sampleRate: 48000)
///     try samples.withUnsafeBufferPointer { try writer.write($0) }
///     try writer.close()
///
/// Call ``close()`` to finish the file: a file path is written to a temporary beside it and
/// renamed into place only then, so a failed or abandoned write leaves the old file (or none).
public struct AudioFileWriter: ~Copyable {
    /// The path, `"stdout"` or `"fd N"` as errors name it.
    public let name: String
    /// Frames per second.
    public let sampleRate: Int
    /// Interleaved channels per frame.
    public let channelCount: Int
    /// The file format.
    public let container: AudioContainer
    /// How samples are stored.
    public let encoding: AudioEncoding
    /// Frames written so far.
    public private(set) var framesWritten = 0

    private var handle: SndFileHandle?
    private var stream: WAVStreamEncoder?
    /// The descriptor to close with a ``stream``, or -1.
    private var streamDescriptor: Int32 = -1
    private var isClosed = false
    /// For a file path: the temporary that ``close()`` renames into place.
    private var atomicFile: AtomicFile?
    /// 16-bit output is converted here (clipped, ×32767 as libsndfile scales) and written as
    /// integers: cheaper than libsndfile's float conversion.
    private var shorts: [Int16] = []

    /// Creates (or replaces) a file, or writes to stdout for `"-"`.
    ///
    /// A file is written to a temporary beside it (``AtomicFile``) and renamed over `path` by
    /// ``close()``: until then, and if writing fails or the writer goes away unclosed, the old
    /// file (or none) is left as it was.
    ///
    /// - Parameters:
    ///   - path: The file to write, or `"-"` for standard output.
    ///   - sampleRate: Frames per second (1000...768000).
    ///   - channels: Interleaved channels (1...64), 1 by default.
    ///   - encoding: Sample encoding; `nil` for the container's default.
    ///   - container: File format; `nil` to take it from the extension (WAV when none).
    /// - Throws: ``AudioIOError`` for an unknown extension, an encoding the container cannot
    ///   hold, absurd parameters, or a file that cannot be created.
    public init(
        path: String, sampleRate: Int, channels: Int = 1,
        encoding: AudioEncoding? = nil, container: AudioContainer? = nil
    ) throws(AudioIOError) {
        let name = path == "-" ? "stdout" : path
        guard let container = container ?? (path == "-" ? .wav : AudioContainer(path: path)) else {
            throw .unknownContainer(path: path, pathExtension: AudioContainer.pathExtension(of: path))
        }
        let encoding = encoding ?? container.defaultEncoding
        try Self.validate(
            name: name, sampleRate: sampleRate, channels: channels, encoding: encoding, container: container)
        if path == "-" {
            try self.init(
                descriptor: 1, owned: false, name: name, sampleRate: sampleRate, channels: channels,
                encoding: encoding, container: container)
            return
        }
        let file = try AtomicFile(path: path)
        try self.init(
            descriptor: file.descriptor, owned: false, name: name, sampleRate: sampleRate, channels: channels,
            encoding: encoding, container: container)
        atomicFile = file
    }

    /// Writes to an open descriptor (a file, a pipe, a socket), which stays open afterwards.
    ///
    /// - Parameters:
    ///   - fileDescriptor: Where the bytes go.
    ///   - sampleRate: Frames per second (1000...768000).
    ///   - channels: Interleaved channels (1...64), 1 by default.
    ///   - encoding: Sample encoding; `nil` for the container's default.
    ///   - container: File format, WAV by default.
    /// - Throws: ``AudioIOError`` naming `"fd N"`.
    public init(
        fileDescriptor: Int32, sampleRate: Int, channels: Int = 1,
        encoding: AudioEncoding? = nil, container: AudioContainer = .wav
    ) throws(AudioIOError) {
        let name = "fd \(fileDescriptor)"
        let encoding = encoding ?? container.defaultEncoding
        try Self.validate(
            name: name, sampleRate: sampleRate, channels: channels, encoding: encoding, container: container)
        try self.init(
            descriptor: fileDescriptor, owned: false, name: name, sampleRate: sampleRate, channels: channels,
            encoding: encoding, container: container)
    }

    private init(
        descriptor: Int32, owned: Bool, name: String, sampleRate: Int, channels: Int,
        encoding: AudioEncoding, container: AudioContainer
    ) throws(AudioIOError) {
        self.name = name
        self.sampleRate = sampleRate
        channelCount = channels
        self.container = container
        self.encoding = encoding
        let isPipe = !DescriptorInfo(descriptor: descriptor).isRegularFile
        if isPipe, container == .flac || container == .aiff {
            // libsndfile refuses AIFF on a pipe and writes FLAC it cannot read back.
            if owned { closeDescriptor(descriptor) }
            throw .cannotCreate(path: name, reason: "\(container) cannot be streamed to a pipe; use WAV, AU or Ogg")
        }
        if isPipe, container == .wav {
            guard WAVStreamEncoder.encodings.contains(encoding) else {
                if owned { closeDescriptor(descriptor) }
                throw .cannotCreate(
                    path: name, reason: "\(encoding) WAV cannot be streamed to a pipe; use pcm16 or a file")
            }
            guard
                let encoder = WAVStreamEncoder(
                    descriptor: descriptor, sampleRate: sampleRate,
                    channels: channels, encoding: encoding)
            else {
                let reason = SystemError.message(errno)
                if owned { closeDescriptor(descriptor) }
                throw .cannotCreate(path: name, reason: reason)
            }
            stream = encoder
            streamDescriptor = owned ? descriptor : -1
            handle = nil
            return
        }
        var info = Self.info(sampleRate: sampleRate, channels: channels, encoding: encoding, container: container)
        guard let pointer = sf_open_fd(descriptor, Int32(SFM_WRITE), &info, 0) else {
            let reason = SystemError.sndfileMessage(nil)
            if owned { closeDescriptor(descriptor) }
            throw .cannotCreate(path: name, reason: reason)
        }
        sf_command(pointer, Int32(SFC_SET_CLIPPING), nil, Int32(SF_TRUE))
        handle = SndFileHandle(pointer: pointer, descriptor: descriptor, ownsDescriptor: owned)
        stream = nil
    }

    /// Appends samples: mono, or interleaved frames when ``channelCount`` > 1.
    ///
    /// - Parameter samples: Values in [-1, 1] (others are clipped for integer encodings).
    /// - Throws: ``AudioIOError/partialFrame(path:sampleCount:channels:)``,
    ///   ``AudioIOError/writeFailed(path:reason:)`` or ``AudioIOError/closed(path:)``.
    /// - Complexity: O(`samples.count`).
    public mutating func write(_ samples: UnsafeBufferPointer<Float>) throws(AudioIOError) {
        guard !isClosed else { throw .closed(path: name) }
        guard samples.count % channelCount == 0 else {
            throw .partialFrame(path: name, sampleCount: samples.count, channels: channelCount)
        }
        let frames = samples.count / channelCount
        guard frames > 0 else { return }
        if stream != nil {
            if let failure = stream?.write(samples) { throw .writeFailed(path: name, reason: failure) }
        } else if let pointer = handle?.pointer {
            let written: sf_count_t
            if encoding == .pcm16, container == .wav || container == .aiff || container == .au {
                if shorts.count < samples.count { shorts = [Int16](repeating: 0, count: samples.count) }
                written = shorts.withUnsafeMutableBufferPointer { out in
                    for i in 0..<samples.count {
                        let x = samples[i]
                        let v = x.isNaN ? 0 : min(max(x, -1), 1) * 32767
                        out[i] = Int16(v.rounded())
                    }
                    return sf_writef_short(pointer, out.baseAddress, sf_count_t(frames))
                }
            } else {
                written = sf_writef_float(pointer, samples.baseAddress, sf_count_t(frames))
            }
            guard written == frames else {
                throw .writeFailed(path: name, reason: SystemError.sndfileMessage(pointer))
            }
        }
        framesWritten += frames
    }

    /// Appends samples from an array; see ``write(_:)-(UnsafeBufferPointer<Float>)``.
    public mutating func write(_ samples: [Float]) throws(AudioIOError) {
        let failure: AudioIOError? = samples.withUnsafeBufferPointer { buffer in
            do throws(AudioIOError) {
                try write(buffer)
                return nil
            } catch {
                return error
            }
        }
        if let failure { throw failure }
    }

    /// Finishes the file (libsndfile writes the final sizes), closes it and, for a path,
    /// renames it into place.
    ///
    /// Closing twice does nothing; writing after closing throws. If never called, the
    /// writer closes when it goes away, silently, and a file path is left as it was.
    /// - Throws: ``AudioIOError/writeFailed(path:reason:)`` when finishing failed.
    public mutating func close() throws(AudioIOError) {
        guard !isClosed else { return }
        isClosed = true
        stream = nil
        if streamDescriptor >= 0 {
            let result = closeDescriptor(streamDescriptor)
            streamDescriptor = -1
            if result != 0 { throw .writeFailed(path: name, reason: SystemError.message(errno)) }
        }
        guard let open = handle.take() else {
            try atomicFile?.commit()
            return
        }
        let needsFix =
            container == .aiff && [.pcm8, .ulaw, .alaw].contains(encoding) && (framesWritten * channelCount) % 2 == 1
        let samples = framesWritten * channelCount
        let frames = framesWritten
        let failure = open.close { descriptor in
            needsFix ? AIFFOddLengthFix.apply(descriptor: descriptor, frames: frames, sampleBytes: samples) : nil
        }
        if let failure {
            atomicFile?.discard()
            throw .writeFailed(path: name, reason: failure)
        }
        try atomicFile?.commit()
    }

    deinit {
        if streamDescriptor >= 0 { closeDescriptor(streamDescriptor) }
        _ = handle?.close()
        atomicFile?.discard()
    }

    /// Throws unless the parameters make a file libsndfile can write.
    private static func validate(
        name: String, sampleRate: Int, channels: Int,
        encoding: AudioEncoding, container: AudioContainer
    ) throws(AudioIOError) {
        try AudioFileReader.check(sampleRate: sampleRate, channels: channels, name: name)
        var info = info(sampleRate: sampleRate, channels: channels, encoding: encoding, container: container)
        guard sf_format_check(&info) == Int32(SF_TRUE) else {
            throw .unsupportedEncoding(path: name, container: container, encoding: encoding)
        }
    }

    private static func info(
        sampleRate: Int, channels: Int, encoding: AudioEncoding,
        container: AudioContainer
    ) -> SF_INFO {
        var info = SF_INFO()
        info.samplerate = Int32(sampleRate)
        info.channels = Int32(channels)
        info.format = container.majorFormat | encoding.subtype(in: container)
        return info
    }
}

// Sole ownership (`~Copyable`) means a writer is only ever moved, never shared.
extension AudioFileWriter: @unchecked Sendable {}
