/// Mono audio to a sound card through the audio server: blocks while the server's buffer is
/// full, and ``drain()`` returns once everything written has been played.
///
///     let out = try AudioPlayback(device: "alsa_output.pci-0000_00_1f.3.analog-stereo", sampleRate: 48000)
///     try out.write(samples)
///     try out.drain()
/// One thread at a time may use it (it may move between threads).
public final class AudioPlayback: @unchecked Sendable {
    /// The device's name, or "(default output)".
    public var device: String { stream.device }
    /// Samples per second sent.
    public let sampleRate: Int
    private let stream: SimpleStream

    /// Opens a playback stream.
    /// - Parameters:
    ///   - device: A sink name; `nil` for the server's default.
    ///   - sampleRate: Samples per second (8000…192000); the server converts to the device's.
    ///   - streamName: The name the server shows for the stream.
    /// - Throws: ``AudioDeviceError`` when no server answers or it refuses the stream.
    public init(device: String? = nil, sampleRate: Int, streamName: String = "soundstack play") throws(AudioDeviceError)
    {
        self.sampleRate = sampleRate
        stream = try SimpleStream(
            playback: true, device: device, sampleRate: sampleRate, format: .float32, streamName: streamName,
            fragmentBytes: nil)
    }

    /// Queues `samples` (full scale ±1) for playing; returns once the server has taken them.
    public func write(_ samples: UnsafeBufferPointer<Float>) throws(AudioDeviceError) {
        try stream.write(UnsafeRawBufferPointer(samples))
    }

    /// Queues `samples` (full scale ±1) for playing.
    public func write(_ samples: [Float]) throws(AudioDeviceError) {
        try samples.withUnsafeBufferPointer { (b: UnsafeBufferPointer<Float>) throws(AudioDeviceError) in
            try write(b)
        }
    }

    /// Waits until every sample written has been played.
    public func drain() throws(AudioDeviceError) { try stream.drain() }

    /// Seconds between a sample written now and its playing, if the server says.
    public var latency: Double? { stream.latency }
}
