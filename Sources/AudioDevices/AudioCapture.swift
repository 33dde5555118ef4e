/// Mono audio from a sound card (or a sink's `.monitor`) through the audio server, read in
/// blocks; the server hands over `fragmentFrames` at a time, so a block is ready soon after
/// its last sample reached the device.
///
///     let mic = try AudioCapture(device: "soundstack_a.monitor", sampleRate: 48000)
///     var block = [Float](repeating: 0, count: 1024)
///     try block.withUnsafeMutableBufferPointer { try mic.read(into: $0) }
/// One thread at a time may use it (it may move between threads).
public final class AudioCapture: @unchecked Sendable {
    /// The device's name, or "(default input)".
    public var device: String { stream.device }
    /// Samples per second received.
    public let sampleRate: Int
    /// How samples arrive.
    public let format: AudioSampleFormat
    private let stream: SimpleStream

    /// Opens a capture stream.
    /// - Parameters:
    ///   - device: A source name such as `NAME.monitor`; `nil` for the server's default source.
    ///   - sampleRate: Samples per second (8000…192000); the server converts from the device's.
    ///   - format: How samples are delivered.
    ///   - fragmentFrames: Samples the server gathers before handing them over (16…65536; 1024
    ///     is 21 ms at 48 kHz).
    ///   - streamName: The name the server shows for the stream.
    /// - Throws: ``AudioDeviceError`` when no server answers or it refuses the stream.
    public init(
        device: String? = nil, sampleRate: Int, format: AudioSampleFormat = .float32, fragmentFrames: Int = 1024,
        streamName: String = "soundstack listen"
    ) throws(AudioDeviceError) {
        guard (16...65536).contains(fragmentFrames) else {
            throw .invalidRequest("fragment of \(fragmentFrames) samples is outside 16…65536")
        }
        self.sampleRate = sampleRate
        self.format = format
        stream = try SimpleStream(
            playback: false, device: device, sampleRate: sampleRate, format: format, streamName: streamName,
            fragmentBytes: fragmentFrames * format.bytes)
    }

    /// Fills `buffer` with the next samples (format ``AudioSampleFormat/float32``); blocks until
    /// they have been recorded.
    public func read(into buffer: UnsafeMutableBufferPointer<Float>) throws(AudioDeviceError) {
        guard format == .float32 else { throw .invalidRequest("this capture delivers 16-bit samples") }
        try stream.read(UnsafeMutableRawBufferPointer(buffer))
    }

    /// Fills `bytes` with the next samples in ``format``, as the server sends them; blocks until
    /// they have been recorded.
    public func read(bytes: UnsafeMutableRawBufferPointer) throws(AudioDeviceError) {
        try stream.read(bytes)
    }

    /// Seconds between a sample reaching the device and its being read, if the server says.
    public var latency: Double? { stream.latency }
}
