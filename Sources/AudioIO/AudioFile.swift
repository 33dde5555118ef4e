/// Whole-file reading and writing, for tests and small jobs.
///
///     try AudioFile.write(tone, sampleRate: 8000, to: "tone.wav")
///     let (samples, rate) = try AudioFile.read(path: "tone.wav")
///
/// Both hold the whole signal in memory; stream long files with ``AudioFileReader`` and
/// ``AudioFileWriter``.
public enum AudioFile {
    /// Reads one channel of a file (or stdin for `"-"`) into memory.
    ///
    /// - Parameters:
    ///   - path: A file path, or `"-"` for standard input.
    ///   - channel: The channel to deliver; ``ChannelSelection/auto`` by default.
    /// - Returns: The samples in [-1, 1] and the sample rate.
    /// - Throws: ``AudioIOError``.
    /// - Complexity: O(*n*) time and memory for *n* frames.
    public static func read(path: String, channel: ChannelSelection = .auto) throws(AudioIOError)
        -> (samples: [Float], sampleRate: Int)
    {
        var reader = try AudioFileReader(path: path, channel: channel)
        return (try readAll(&reader), reader.sampleRate)
    }

    /// Frames ``readAll(_:)`` reserves at most before reading; beyond, the array grows as it reads.
    static let reserveLimit = 1 << 22

    /// Reads everything left in `reader`.
    ///
    /// - Complexity: O(*n*) time and memory for *n* frames.
    public static func readAll(_ reader: inout AudioFileReader) throws(AudioIOError) -> [Float] {
        var samples: [Float] = []
        // The header's count, up to 4 Mi frames (16 MB): a damaged header may promise billions.
        if let frames = reader.frameCount { samples.reserveCapacity(min(frames, reserveLimit)) }
        var block = [Float](repeating: 0, count: AudioFileReader.blockFrames)
        while true {
            let result: Result<Int, AudioIOError> = block.withUnsafeMutableBufferPointer { buffer in
                do throws(AudioIOError) { return .success(try reader.read(into: buffer)) } catch {
                    return .failure(error)
                }
            }
            let count = try result.get()
            if count == 0 { return samples }
            samples.append(contentsOf: block[0..<count])
        }
    }

    /// Writes mono samples to a file (or stdout for `"-"`) and closes it.
    ///
    /// - Parameters:
    ///   - samples: Values in [-1, 1] (others are clipped for integer encodings).
    ///   - sampleRate: Frames per second.
    ///   - path: Where to write; the extension picks the container (WAV when none).
    ///   - encoding: Sample encoding; `nil` for the container's default (16-bit PCM, Vorbis for Ogg).
    /// - Throws: ``AudioIOError``.
    /// - Complexity: O(*n*).
    public static func write(
        _ samples: [Float], sampleRate: Int, to path: String,
        encoding: AudioEncoding? = nil
    ) throws(AudioIOError) {
        var writer = try AudioFileWriter(path: path, sampleRate: sampleRate, encoding: encoding)
        try writer.write(samples)
        try writer.close()
    }
}
