/// Why the audio server or one of its devices could not be used.
public enum AudioDeviceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No audio server answered (none running, or `PULSE_SERVER` names one that is not there).
    case serverUnavailable(reason: String)
    /// The server refused a stream on the device (no such device, or a format it cannot take).
    case openFailed(device: String, reason: String)
    /// Reading or writing a stream failed after it had opened.
    case streamFailed(device: String, reason: String)
    /// A request that cannot be made (a sample rate or block size out of range).
    case invalidRequest(String)
    /// The PulseAudio client library, loaded when a sound card is first used, is not there.
    case clientLibraryMissing(reason: String)

    public var description: String {
        switch self {
        case .serverUnavailable(let reason):
            "no audio server: \(reason) (is PulseAudio or PipeWire running? `pactl info` tells)"
        case .openFailed(let device, let reason):
            "cannot open audio device \(device): \(reason) (`soundstack devices` lists them)"
        case .streamFailed(let device, let reason): "audio device \(device): \(reason)"
        case .invalidRequest(let text): text
        case .clientLibraryMissing(let reason): "cannot use sound cards: \(reason)"
        }
    }
}
