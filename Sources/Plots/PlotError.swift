/// Everything that can go wrong while building or writing a picture.
public enum PlotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The output path's extension is neither `.svg` nor `.png`.
    case unsupportedFormat(path: String)
    /// Width or height outside 64…8000 pixels.
    case invalidSize(width: Int, height: Int)
    /// There is nothing to draw (no samples, no points, no bits).
    case noData(String)
    /// A time or frequency range is empty or inverted.
    case invalidRange(from: Double, to: Double)
    /// A time span (seconds) that misses the recording, which lasts `duration` seconds.
    case outsideRecording(from: Double, to: Double, duration: Double)
    /// zlib refused to compress the image (its return code).
    case compressionFailed(code: Int32)
    /// The file could not be written.
    case writeFailed(path: String, reason: String)
    /// A CSV line that could not be read, 1-based.
    case badCSV(line: Int, reason: String)

    public var description: String {
        switch self {
        case let .unsupportedFormat(path): return "cannot tell the picture format of '\(path)': use .svg or .png"
        case let .invalidSize(w, h): return "picture size \(w)×\(h) is outside 64…8000 pixels"
        case let .noData(what): return "nothing to plot: \(what)"
        case let .invalidRange(from, to): return "empty range \(from)…\(to)"
        case let .outsideRecording(from, to, duration):
            func s(_ v: Double) -> String { String((v * 1000).rounded() / 1000) }
            return "the span \(s(from))…\(s(to)) s holds no samples: the recording lasts \(s(duration)) s"
        case let .compressionFailed(code): return "zlib failed to compress the image (code \(code))"
        case let .writeFailed(path, reason): return "cannot write '\(path)': \(reason)"
        case let .badCSV(line, reason): return "CSV line \(line): \(reason)"
        }
    }
}
