import ArgumentParser

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The check every command with files in and files out makes before it opens anything:
/// no output may be one of the inputs, and no two outputs may be the same file.
///
/// Files are compared by device and inode (`stat`, links followed), so `rec.wav`,
/// `./rec.wav`, an absolute path, a hard link and a symbolic link to it are all the same file.
/// An output that does not exist yet cannot be an input. `-` (stdin/stdout) and files that are
/// not regular files or directories (`/dev/null`, FIFOs, terminals) are never refused.
///
///     try OutputPaths.refuseOverlap(outputs: [output, pcap], inputs: inputs)
enum OutputPaths {
    /// Throws a `ValidationError` (exit 64) when an output names an input or another output.
    /// - Parameters:
    ///   - outputs: Output paths, `nil` for an option not given.
    ///   - inputs: Input paths.
    static func refuseOverlap(outputs: [String?], inputs: [String?]) throws {
        let inputFiles = inputs.compactMap { $0 }.compactMap { path in identity(path).map { (path, $0) } }
        var seen: [(String, FileIdentity)] = []
        for output in outputs.compactMap({ $0 }) {
            guard let id = identity(output) else { continue }
            if let input = inputFiles.first(where: { $0.1 == id })?.0 {
                let same = input == output ? "" : " ('\(input)')"
                throw ValidationError("output '\(output)' is the input\(same): refusing to overwrite it")
            }
            if let other = seen.first(where: { $0.1 == id })?.0 {
                throw ValidationError("outputs '\(other)' and '\(output)' are the same file")
            }
            seen.append((output, id))
        }
    }

    /// Device and inode of a regular file or directory at `path`, else `nil`.
    static func identity(_ path: String) -> FileIdentity? {
        guard path != "-", !path.isEmpty else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFDIR else { return nil }
        return FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}

/// One file, whatever path names it.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
}
