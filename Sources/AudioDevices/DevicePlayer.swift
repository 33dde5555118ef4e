import AudioIO

/// Audio files onto a sound card: the one call behind `soundstack play` and `encode --play`.
public enum DevicePlayer {
    /// Plays `file` ('-' for standard input) on `device` at the file's own sample rate and
    /// returns once it has been heard.
    /// - Parameters:
    ///   - file: An audio file libsndfile reads, or '-'.
    ///   - device: A sink name; `nil` for the server's default.
    ///   - channel: Which channel of a multi-channel file to play.
    ///   - blockFrames: Samples read and handed to the server at a time.
    /// - Returns: The seconds of audio played.
    /// - Throws: `AudioIOError` for the file, ``AudioDeviceError`` for the device.
    public static func play(
        file: String, device: String?, channel: ChannelSelection = .auto, blockFrames: Int = 8192
    ) throws -> Double {
        var reader = try AudioFileReader(path: file, channel: channel)
        let output = try AudioPlayback(device: device, sampleRate: reader.sampleRate)
        var frames = 0
        try reader.forEachBlock(size: blockFrames) { block in
            try output.write(block)
            frames += block.count
        }
        try output.drain()
        return Double(frames) / Double(reader.sampleRate)
    }
}
