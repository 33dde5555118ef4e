/// The channel a reader settled on, and why (for the CLI to print).
///
///     print(reader.channelChoice)  // channel 1: most tonal (spectral flatness 0.01 vs 0.92)
public struct ChannelChoice: Sendable, Equatable, CustomStringConvertible {
    /// The delivered channel, or `nil` when all channels are mixed.
    public let channel: Int?
    /// Why this channel: "mono", "requested", "most tonal …", "channels alike …".
    public let reason: String

    /// A choice of `channel` (nil: all channels mixed) for `reason`.
    public init(channel: Int?, reason: String) {
        self.channel = channel
        self.reason = reason
    }

    public var description: String {
        if let channel { "channel \(channel): \(reason)" } else { "mix of all channels: \(reason)" }
    }
}
