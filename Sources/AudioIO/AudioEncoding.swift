internal import CSndFile

/// How samples are stored in a written file.
///
///     try AudioFile.write(samples, sampleRate: 48000, to: "out.wav", encoding: .pcm24)
///
/// Not every container holds every encoding: FLAC holds `.pcm8`, `.pcm16` and `.pcm24`,
/// Ogg holds only `.vorbis`; WAV, AIFF and AU hold all but `.vorbis`.
public enum AudioEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    /// 8-bit integer PCM (unsigned in WAV, signed elsewhere).
    case pcm8
    /// 16-bit signed integer PCM: the default.
    case pcm16
    /// 24-bit signed integer PCM.
    case pcm24
    /// 32-bit signed integer PCM.
    case pcm32
    /// 32-bit IEEE float.
    case float32
    /// G.711 µ-law, 8 bits a sample.
    case ulaw
    /// G.711 A-law, 8 bits a sample.
    case alaw
    /// Ogg Vorbis, lossy (the only encoding of the `.ogg` container).
    case vorbis

    public var description: String { rawValue }

    /// The libsndfile subtype for this encoding in `container`.
    func subtype(in container: AudioContainer) -> Int32 {
        switch self {
        case .pcm8: container == .wav ? Int32(SF_FORMAT_PCM_U8) : Int32(SF_FORMAT_PCM_S8)
        case .pcm16: Int32(SF_FORMAT_PCM_16)
        case .pcm24: Int32(SF_FORMAT_PCM_24)
        case .pcm32: Int32(SF_FORMAT_PCM_32)
        case .float32: Int32(SF_FORMAT_FLOAT)
        case .ulaw: Int32(SF_FORMAT_ULAW)
        case .alaw: Int32(SF_FORMAT_ALAW)
        case .vorbis: Int32(SF_FORMAT_VORBIS)
        }
    }
}

/// The file format that wraps the samples.
///
///     AudioContainer(pathExtension: "flac")  // .flac
///     AudioContainer(path: "take1.aif")      // .aiff
public enum AudioContainer: String, Sendable, CaseIterable, CustomStringConvertible {
    /// RIFF/WAVE (Microsoft): the default.
    case wav
    /// FLAC, lossless.
    case flac
    /// Ogg (with Vorbis inside).
    case ogg
    /// AIFF (Apple).
    case aiff
    /// Sun/NeXT AU.
    case au

    public var description: String { rawValue.uppercased() }

    /// The container an extension names, case-insensitively (`"aif"` too), or `nil`.
    ///
    /// - Parameter pathExtension: The extension without its dot.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "wav", "wave": self = .wav
        case "flac": self = .flac
        case "ogg", "oga": self = .ogg
        case "aiff", "aif": self = .aiff
        case "au", "snd": self = .au
        default: return nil
        }
    }

    /// The container `path` asks for: its extension's, or `.wav` when it has none (and for `"-"`).
    ///
    /// - Returns: The container, or `nil` when the extension is one we do not write.
    /// - Complexity: O(*n*) in the length of `path`.
    public init?(path: String) {
        let ext = AudioContainer.pathExtension(of: path)
        if ext.isEmpty {
            self = .wav
        } else if let container = AudioContainer(pathExtension: ext) {
            self = container
        } else {
            return nil
        }
    }

    /// The encoding a writer uses when none is given.
    public var defaultEncoding: AudioEncoding { self == .ogg ? .vorbis : .pcm16 }

    /// The libsndfile major format.
    var majorFormat: Int32 {
        switch self {
        case .wav: Int32(SF_FORMAT_WAV)
        case .flac: Int32(SF_FORMAT_FLAC)
        case .ogg: Int32(SF_FORMAT_OGG)
        case .aiff: Int32(SF_FORMAT_AIFF)
        case .au: Int32(SF_FORMAT_AU)
        }
    }

    /// The text after the last dot of the last path component, or `""`.
    static func pathExtension(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }
}

/// Headerless input: signed 16-bit little-endian samples, interleaved.
///
///     // arecord -t raw -f S16_LE -r 48000 -c 1 | soundstack decode --raw-rate 48000 -
///     var reader = try AudioFileReader(path: "-", raw: RawFormat(sampleRate: 48000))
public struct RawFormat: Sendable, Equatable, Hashable {
    /// Frames per second.
    public var sampleRate: Int
    /// Interleaved channels per frame.
    public var channels: Int

    /// - Parameters:
    ///   - sampleRate: Frames per second (1000...768000).
    ///   - channels: Channels per frame (1...64), 1 by default.
    public init(sampleRate: Int, channels: Int = 1) {
        self.sampleRate = sampleRate
        self.channels = channels
    }
}
