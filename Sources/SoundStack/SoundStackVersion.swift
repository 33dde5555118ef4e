/// The package's version, defined once: `soundstack --version` prints it.
///
/// ```swift
/// print(SoundStackVersion.current)   // 0.2.0-dev
/// ```
public enum SoundStackVersion {
    /// The version of this build, in Semantic Versioning form (CHANGELOG.md lists the versions).
    public static let current = "0.2.0-dev"
}
