import Foundation

/// A fresh directory under the system's temporary directory, removed by ``remove()`` or when
/// the value goes away.
///
///     let dir = try TemporaryDirectory()
///     defer { dir.remove() }            // or let it go at the end of the test
///     let wav = dir.path("a.wav")
///
/// The directory lives as long as the value: keep the value (not just its `path`) for as long
/// as the files are needed.
public final class TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates `<tmp>/<prefix>-<UUID>`.
    public init(prefix: String = "soundstack-tests") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The directory's path.
    public var path: String { url.path }

    /// The path of `name` inside the directory.
    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The URL of `name` inside the directory.
    public func url(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `bytes` to `name` inside the directory and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Removes the directory and everything in it (again on deinit, harmlessly).
    public func remove() { try? FileManager.default.removeItem(at: url) }

    deinit { remove() }
}
