#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file that replaces its target only when finished: written to a temporary beside it,
/// renamed into place by ``commit()``.
///
/// The temporary is `.NAME.XXXXXX` (mkstemp) in the target's folder, so the rename is atomic.
/// Until ``commit()`` the old file (or none) stays as it was; a file that is never committed —
/// an error, a thrown write, the value going away — has its temporary removed. While open the
/// temporary is listed in ``TemporaryFiles`` so a signal handler can remove it. The old file's
/// permission bits are kept (else 0644 less the umask). A target that exists but is not a
/// regular file (`/dev/null`, a FIFO, a terminal), and any path under `/dev/` or `/proc/`
/// (`/dev/stdout`), is written directly, as before: there is nothing to replace.
///
///     let file = try AtomicFile(path: "out.bin")
///     try file.write(bytes)
///     try file.commit()          // out.bin now holds bytes; before this it held what it did
///
/// - Complexity: O(1) besides the bytes written.
public final class AtomicFile {
    /// The file this replaces (after following a symbolic link, so the link survives).
    public let path: String
    /// Where the bytes go until ``commit()``; equal to ``path`` when written directly.
    public let temporaryPath: String
    /// The open descriptor of ``temporaryPath``, -1 once committed or discarded.
    public private(set) var descriptor: Int32
    /// Whether the bytes go straight to ``path`` (not a regular file: a device, a FIFO).
    public let isDirect: Bool
    private let mode: mode_t
    private var slot: Int?

    /// Creates the temporary beside `path`.
    ///
    /// - Parameter path: The file to replace, or create.
    /// - Throws: ``AudioIOError/cannotCreate(path:reason:)`` when the folder cannot take a
    ///   new file, or `path` is a directory.
    public init(path: String) throws(AudioIOError) {
        let target = Self.resolvingLink(path)
        var status = stat()
        let exists = stat(target, &status) == 0
        if exists, (status.st_mode & S_IFMT) == S_IFDIR {
            throw .cannotCreate(path: path, reason: "is a directory")
        }
        let special = path.hasPrefix("/dev/") || path.hasPrefix("/proc/")  // /dev/stdout, /proc/self/fd/N
        if special || (exists && (status.st_mode & S_IFMT) != S_IFREG) {
            let direct = special ? path : target
            let fd = open(direct, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw .cannotCreate(path: path, reason: SystemError.message(errno)) }
            self.path = direct
            temporaryPath = direct
            descriptor = fd
            isDirect = true
            mode = 0
            return
        }
        mode = exists ? status.st_mode & 0o7777 : 0o666 & ~Self.umaskValue
        let slash = target.lastIndex(of: "/")
        let folder = slash.map { String(target[...$0]) } ?? ""
        let name = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array((folder + "." + name + ".XXXXXX").utf8CString)
        // The cleanup signals wait while the temporary is created and listed: one arriving in
        // between would otherwise leave a temporary the handler does not know of.
        var cleanup = sigset_t(), previous = sigset_t()
        sigemptyset(&cleanup)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&cleanup, sig) }
        pthread_sigmask(SIG_BLOCK, &cleanup, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let fd = template.withUnsafeMutableBufferPointer { $0.baseAddress.map { mkstemp($0) } ?? -1 }
        guard fd >= 0 else { throw .cannotCreate(path: path, reason: SystemError.message(errno)) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.path = target
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        descriptor = fd
        isDirect = false
        slot = TemporaryFiles.register(temporaryPath)
    }

    /// Appends `bytes`.
    /// - Throws: ``AudioIOError/writeFailed(path:reason:)`` (a full disk, a file-size limit)
    ///   or ``AudioIOError/closed(path:)``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(AudioIOError) {
        guard descriptor >= 0 else { throw .closed(path: path) }
        var offset = 0
        while offset < bytes.count {
            guard let base = bytes.baseAddress else { return }
            let n = writeDescriptor(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw .writeFailed(path: path, reason: SystemError.message(errno))
            }
            offset += n
        }
    }

    /// Appends `bytes`; see ``write(_:)-(UnsafeRawBufferPointer)``.
    public func write(_ bytes: [UInt8]) throws(AudioIOError) {
        let failure: AudioIOError? = bytes.withUnsafeBytes { raw in
            do throws(AudioIOError) { try write(raw); return nil } catch { return error }
        }
        if let failure { throw failure }
    }

    /// Flushes, gives the temporary the old file's permissions and renames it over ``path``.
    ///
    /// Committing twice does nothing. On failure the temporary is removed and the old file kept.
    /// - Throws: ``AudioIOError/writeFailed(path:reason:)``.
    public func commit() throws(AudioIOError) {
        guard descriptor >= 0 else { return }
        let fd = descriptor
        descriptor = -1
        if isDirect {
            if closeDescriptor(fd) != 0 { throw .writeFailed(path: path, reason: SystemError.message(errno)) }
            return
        }
        var failure: String?
        if fchmod(fd, mode) != 0 { failure = SystemError.message(errno) }
        if failure == nil, fsync(fd) != 0, errno != EINVAL { failure = SystemError.message(errno) }
        if closeDescriptor(fd) != 0, failure == nil { failure = SystemError.message(errno) }
        if failure == nil, rename(temporaryPath, path) != 0 { failure = SystemError.message(errno) }
        if let failure {
            unlink(temporaryPath)
            unregister()
            throw .writeFailed(path: path, reason: failure)
        }
        unregister()
    }

    /// Closes and removes the temporary, leaving the old file (or none). Does nothing once committed.
    public func discard() {
        guard descriptor >= 0 else { return }
        closeDescriptor(descriptor)
        descriptor = -1
        if !isDirect { unlink(temporaryPath) }
        unregister()
    }

    deinit { discard() }

    /// Writes `bytes` to `path` in one go, atomically.
    /// - Throws: ``AudioIOError/cannotCreate(path:reason:)`` or ``AudioIOError/writeFailed(path:reason:)``.
    public static func write(_ bytes: [UInt8], to path: String) throws(AudioIOError) {
        let file = try AtomicFile(path: path)
        do throws(AudioIOError) {
            try file.write(bytes)
            try file.commit()
        } catch {
            file.discard()
            throw error
        }
    }

    private func unregister() {
        if let slot { TemporaryFiles.unregister(slot) }
        slot = nil
    }

    /// `path` with its symbolic links followed, when it names one that resolves; else `path`.
    static func resolvingLink(_ path: String) -> String {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFLNK,
            let resolved = realpath(path, nil)
        else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The process's umask, read without changing it where the system allows.
    static let umaskValue: mode_t = {
        #if os(Linux)
            if let f = fopen("/proc/self/status", "r") {
                defer { fclose(f) }
                var line = [CChar](repeating: 0, count: 256)
                while fgets(&line, Int32(line.count), f) != nil {
                    let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                    if text.hasPrefix("Umask:"),
                        let value = mode_t(text.dropFirst(6).trimmingSpaces, radix: 8)
                    {
                        return value
                    }
                }
            }
        #endif
        let old = umask(0o022)
        umask(old)
        return old
    }()
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" { s = s.dropLast() }
        return s
    }
}

// One owner at a time; the descriptor is not shared between threads.
extension AtomicFile: @unchecked Sendable {}
