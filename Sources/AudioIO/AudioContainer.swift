internal import CSndFile

/// The file format that wraps the samples.
///
///     AudioContainer(pathExtension: "flac")  // .flac
///     AudioContainer(path: "take1.aif")      // .aiff
public enum AudioContainer: String, Sendable, CaseIterable, CustomStringConvertible {
    /// RIFF/WAVE (Microsoft): the default.
    case wav
    /// FLAC, lossless.
    case flac
    /// Ogg (with Vorbis inside).
    case ogg
    /// AIFF (Apple).
    case aiff
    /// Sun/NeXT AU.
    case au

    public var description: String { rawValue.uppercased() }

    /// The container an extension names, case-insensitively (`"aif"` too), or `nil`.
    ///
    /// - Parameter pathExtension: The extension without its dot.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "wav", "wave": self = .wav
        case "flac": self = .flac
        case "ogg", "oga": self = .ogg
        case "aiff", "aif": self = .aiff
        case "au", "snd": self = .au
        default: return nil
        }
    }

    /// The container `path` asks for: its extension's, or `.wav` when it has none (and for `"-"`).
    ///
    /// - Returns: The container, or `nil` when the extension is one we do not write.
    /// - Complexity: O(*n*) in the length of `path`.
    public init?(path: String) {
        let ext = AudioContainer.pathExtension(of: path)
        if ext.isEmpty {
            self = .wav
        } else if let container = AudioContainer(pathExtension: ext) {
            self = container
        } else {
            return nil
        }
    }

    /// The encoding a writer uses when none is given.
    public var defaultEncoding: AudioEncoding { self == .ogg ? .vorbis : .pcm16 }

    /// The libsndfile major format.
    var majorFormat: Int32 {
        switch self {
        case .wav: Int32(SF_FORMAT_WAV)
        case .flac: Int32(SF_FORMAT_FLAC)
        case .ogg: Int32(SF_FORMAT_OGG)
        case .aiff: Int32(SF_FORMAT_AIFF)
        case .au: Int32(SF_FORMAT_AU)
        }
    }

    /// The text after the last dot of the last path component, or `""`.
    static func pathExtension(of path: String) -> String {
        let name = path.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }
}
