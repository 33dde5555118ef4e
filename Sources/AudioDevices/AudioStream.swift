internal import CPulse

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How samples travel to and from the audio server.
public enum AudioSampleFormat: Sendable, Hashable {
    /// 32-bit float, full scale ±1.
    case float32
    /// 16-bit signed little-endian integers.
    case int16

    /// Bytes per sample.
    public var bytes: Int {
        switch self {
        case .float32: 4
        case .int16: 2
        }
    }

    var pulse: pa_sample_format_t {
        switch self {
        case .float32: PA_SAMPLE_FLOAT32LE
        case .int16: PA_SAMPLE_S16LE
        }
    }
}

/// Sample rates a device stream may ask for.
public let audioDeviceSampleRates = 8000...192_000

/// Loads the PulseAudio client library (once; every later call gives the first answer).
func loadClientLibrary() throws(AudioDeviceError) {
    var reason: UnsafePointer<CChar>?
    guard cpulse_load(&reason) == 0 else {
        throw .clientLibraryMissing(reason: reason.map { String(cString: $0) } ?? "it could not be loaded")
    }
}

/// One blocking stream to or from the audio server (libpulse's simple API), mono.
final class SimpleStream {
    let pointer: OpaquePointer
    let device: String

    init(
        playback: Bool, device: String?, sampleRate: Int, format: AudioSampleFormat, streamName: String,
        fragmentBytes: Int?
    ) throws(AudioDeviceError) {
        guard audioDeviceSampleRates.contains(sampleRate) else {
            throw .invalidRequest("sample rate \(sampleRate) Hz is outside \(audioDeviceSampleRates)")
        }
        try loadClientLibrary()
        let shown = device ?? (playback ? "(default output)" : "(default input)")
        var spec = pa_sample_spec(format: format.pulse, rate: UInt32(sampleRate), channels: 1)
        let unset = UInt32.max
        // Capture: the server hands over `fragmentBytes` at a time, so a block arrives soon
        // after its last sample. Playback: the server's defaults.
        var attributes = pa_buffer_attr(
            maxlength: unset, tlength: unset, prebuf: unset, minreq: unset,
            fragsize: fragmentBytes.map { UInt32($0) } ?? unset)
        var error: Int32 = 0
        let opened = withUnsafePointer(to: &attributes) { attr in
            cpulse_simple_new(
                nil, "soundstack", playback ? PA_STREAM_PLAYBACK : PA_STREAM_RECORD, device, streamName, &spec,
                nil, fragmentBytes == nil ? nil : attr, &error)
        }
        guard let opened else {
            let reason = Self.message(error)
            if error == Int32(PA_ERR_CONNECTIONREFUSED.rawValue) || error == Int32(PA_ERR_INVALIDSERVER.rawValue) {
                throw .serverUnavailable(reason: reason)
            }
            throw .openFailed(device: shown, reason: reason)
        }
        pointer = opened
        self.device = shown
    }

    deinit { cpulse_simple_free(pointer) }

    static func message(_ error: Int32) -> String {
        cpulse_strerror(error).map { String(cString: $0) } ?? "error \(error)"
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(AudioDeviceError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var error: Int32 = 0
        if cpulse_simple_write(pointer, base, bytes.count, &error) < 0 {
            throw .streamFailed(device: device, reason: Self.message(error))
        }
    }

    func read(_ bytes: UnsafeMutableRawBufferPointer) throws(AudioDeviceError) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        var error: Int32 = 0
        if cpulse_simple_read(pointer, base, bytes.count, &error) < 0 {
            throw .streamFailed(device: device, reason: Self.message(error))
        }
    }

    func drain() throws(AudioDeviceError) {
        var error: Int32 = 0
        if cpulse_simple_drain(pointer, &error) < 0 {
            throw .streamFailed(device: device, reason: Self.message(error))
        }
    }

    /// The stream's latency in seconds, or `nil` if the server does not say.
    var latency: Double? {
        var error: Int32 = 0
        let usec = cpulse_simple_get_latency(pointer, &error)
        return usec == UInt64.max ? nil : Double(usec) / 1e6
    }
}
