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
