/// The `AudioIO` module: audio files in and out through libsndfile.
///
/// ``AudioFileReader`` streams one channel of a file, stdin or raw s16le as mono floats;
/// ``AudioFileWriter`` writes floats as WAV, FLAC, Ogg, AIFF or AU (to stdout too);
/// ``AudioFile`` reads and writes whole files at once.
public enum AudioIOModule {
    /// The module's name, "AudioIO".
    public static let name = "AudioIO"
}
