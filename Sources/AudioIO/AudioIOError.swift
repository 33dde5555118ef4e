/// Everything that can go wrong reading or writing an audio file.
///
/// Every case names the path (or `"-"`, `"stdin"`, `"fd 5"`) it is about, and
/// ``description`` turns it into one line fit for a CLI's error message:
///
///     do { _ = try AudioFileReader(path: "missing.wav") }
///     catch { print(error) }  // missing.wav: no such file
public enum AudioIOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No file exists at `path`.
    case fileNotFound(path: String)
    /// The file at `path` exists but could not be opened for reading; `reason` is the system's.
    case cannotOpen(path: String, reason: String)
    /// The bytes at `path` are no audio format libsndfile knows; `reason` is libsndfile's message.
    case notAudioFile(path: String, reason: String)
    /// The file at `path` holds zero bytes.
    case emptyFile(path: String)
    /// The file at `path` is cut short or holds no audio frames; `reason` says which chunk is short by how much.
    case truncated(path: String, reason: String)
    /// The sample rate `sampleRate` (Hz) of `path` is outside 1000...768000.
    case absurdSampleRate(path: String, sampleRate: Int)
    /// The channel count `channels` of `path` is outside 1...64.
    case absurdChannelCount(path: String, channels: Int)
    /// Channel `index` was asked of `path`, which has only `channelCount` channels.
    case channelOutOfRange(path: String, index: Int, channelCount: Int)
    /// libsndfile failed while decoding `path`; `reason` is its message.
    case readFailed(path: String, reason: String)
    /// The extension `pathExtension` of `path` names no container we write.
    case unknownContainer(path: String, pathExtension: String)
    /// The `container` chosen for `path` cannot hold samples in `encoding`.
    case unsupportedEncoding(path: String, container: AudioContainer, encoding: AudioEncoding)
    /// The file at `path` could not be created for writing; `reason` is the system's or libsndfile's.
    case cannotCreate(path: String, reason: String)
    /// `sampleCount` interleaved samples were given for `path`, not a whole number of `channels`-sample frames.
    case partialFrame(path: String, sampleCount: Int, channels: Int)
    /// Writing to `path` failed; `reason` is the system's or libsndfile's.
    case writeFailed(path: String, reason: String)
    /// `path` was used after its writer was closed.
    case closed(path: String)

    /// One line naming the path and what was wrong.
    public var description: String {
        switch self {
        case let .fileNotFound(path):
            "\(path): no such file"
        case let .cannotOpen(path, reason):
            "\(path): cannot open: \(reason)"
        case let .notAudioFile(path, reason):
            "\(path): not an audio file: \(reason)"
        case let .emptyFile(path):
            "\(path): empty file (0 bytes)"
        case let .truncated(path, reason):
            "\(path): truncated or corrupt: \(reason)"
        case let .absurdSampleRate(path, rate):
            "\(path): absurd sample rate \(rate) Hz (expected 1000...768000)"
        case let .absurdChannelCount(path, channels):
            "\(path): absurd channel count \(channels) (expected 1...64)"
        case let .channelOutOfRange(path, index, count):
            "\(path): channel \(index) out of range (the file has \(count) channel\(count == 1 ? "" : "s"), 0...\(count - 1))"
        case let .readFailed(path, reason):
            "\(path): read failed: \(reason)"
        case let .unknownContainer(path, ext):
            "\(path): unknown container extension '.\(ext)' (use .wav, .flac, .ogg, .aiff, .aif or .au)"
        case let .unsupportedEncoding(path, container, encoding):
            "\(path): the \(container) container cannot hold \(encoding) samples"
        case let .cannotCreate(path, reason):
            "\(path): cannot create: \(reason)"
        case let .partialFrame(path, count, channels):
            "\(path): \(count) samples is not a whole number of \(channels)-channel frames"
        case let .writeFailed(path, reason):
            "\(path): write failed: \(reason)"
        case let .closed(path):
            "\(path): writer already closed"
        }
    }
}

/// The limits every reader and writer checks.
enum AudioLimits {
    /// Sample rates outside this range are taken for a damaged header.
    static let sampleRates = 1000...768_000
    /// Channel counts outside this range are taken for a damaged header.
    static let channels = 1...64
}
