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
