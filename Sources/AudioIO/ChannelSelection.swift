/// Which channel of a multichannel file a reader delivers.
///
///     var reader = try AudioFileReader(path: "stereo.wav", channel: .index(1))
public enum ChannelSelection: Sendable, Equatable, Hashable {
    /// The channel that carries the most tonal (narrowband) signal in the first seconds;
    /// channel 0 when all channels look alike.
    case auto
    /// One channel, 0-based.
    case index(Int)
    /// The average of all channels.
    case mix
}
