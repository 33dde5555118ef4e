internal import CPseudoTerminal
import Foundation
import Framings

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `close(2)`, out of the way of ``PseudoTerminal/close()``.
private func closeFile(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
        Glibc.close(descriptor)
    #else
        Darwin.close(descriptor)
    #endif
}

/// KISS over a pseudo-terminal, for programs that talk to a TNC on a serial port (`kissattach`,
/// Xastir's "Serial KISS TNC"): the TNC holds the master side; the slave (`/dev/pts/N`) is the
/// "serial port", reached through a symbolic link at a path of the user's choosing.
///
/// The slave is put in raw mode (no echo, no line editing: KISS is binary) and kept open by the
/// TNC too, so a host can close and reopen it. Reads are non-blocking (`poll` with a short
/// timeout on a thread of its own); a write that the terminal cannot take at once is dropped
/// and logged, never waited for.
final class PseudoTerminal: KISSPeer, @unchecked Sendable {
    /// The slave's path, e.g. `/dev/pts/3`.
    let slavePath: String
    /// The symbolic link made to the slave, removed by ``close()``.
    let linkPath: String?
    let name: String
    private let master: Int32
    private let slave: Int32
    private let lock = NSLock()
    private var closed = false
    private var thread: Thread?
    private let finished = DispatchSemaphore(value: 0)

    /// Makes the pseudo-terminal and, when `linkPath` is given, a symbolic link to it there.
    ///
    /// An existing symbolic link at `linkPath` (left by an earlier run) is replaced; anything
    /// else there is refused.
    /// - Throws: ``TNCError/pseudoTerminal(step:reason:)`` or ``TNCError/cannotLink(path:reason:)``.
    init(linkPath: String?) throws(TNCError) {
        let master = soundstack_posix_openpt(O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw .pseudoTerminal(step: "posix_openpt", reason: Self.message()) }
        func fail(_ step: String) -> TNCError {
            let error = TNCError.pseudoTerminal(step: step, reason: Self.message())
            _ = closeFile(master)
            return error
        }
        guard soundstack_grantpt(master) == 0 else { throw fail("grantpt") }
        guard soundstack_unlockpt(master) == 0 else { throw fail("unlockpt") }
        var name = [CChar](repeating: 0, count: 256)
        let named = soundstack_ptsname(master, &name, name.count)
        guard named == 0 else {
            errno = named
            throw fail("ptsname")
        }
        let path = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let slave = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard slave >= 0 else { throw fail("open \(path)") }
        var settings = termios()
        if tcgetattr(slave, &settings) == 0 {
            cfmakeraw(&settings)
            _ = tcsetattr(slave, TCSANOW, &settings)
        }
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        _ = fcntl(master, F_SETFD, FD_CLOEXEC)
        if let linkPath {
            var status = stat()
            if lstat(linkPath, &status) == 0 {
                guard (status.st_mode & S_IFMT) == S_IFLNK else {
                    _ = closeFile(slave)
                    _ = closeFile(master)
                    throw .cannotLink(path: linkPath, reason: "it exists and is not a symbolic link")
                }
                unlink(linkPath)
            }
            guard symlink(path, linkPath) == 0 else {
                let reason = Self.message()
                _ = closeFile(slave)
                _ = closeFile(master)
                throw .cannotLink(path: linkPath, reason: reason)
            }
        }
        self.master = master
        self.slave = slave
        slavePath = path
        self.linkPath = linkPath
        self.name = "pty \(linkPath ?? path)"
    }

    /// Starts reading: the KISS frames the host writes go to `hub`.
    func start(hub: KISSHub) {
        let thread = Thread { [self] in
            readLoop(hub: hub)
            finished.signal()
        }
        thread.name = "soundstack tnc pty"
        self.thread = thread
        thread.start()
    }

    private var isClosed: Bool { lock.withLock { closed } }

    private func readLoop(hub: KISSHub) {
        var decoder = KISSDecoder()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !isClosed {
            var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 100)
            guard ready > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if count > 0 {
                let (frames, problems) = decoder.push(buffer[0..<count])
                hub.received(frames: frames, problems: problems, from: name)
            } else if count < 0, errno != EAGAIN, errno != EINTR {
                // EIO while no host has the slave open (we hold it, so rarely): wait and retry.
                usleep(50_000)
            }
        }
    }

    func send(_ bytes: [UInt8]) -> Bool {
        lock.withLock {
            guard !closed else { return false }
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { write(master, $0.baseAddress.map { $0 + offset }, $0.count - offset) }
                if n > 0 {
                    offset += n
                } else if n < 0, errno == EINTR {
                    continue
                } else {
                    // Full: the host is not reading. Finish the frame with FEND so the stream
                    // stays in step, if even that fits; the frame is lost either way.
                    if offset > 0 { _ = withUnsafeBytes(of: KISSFrame.fend) { write(master, $0.baseAddress, 1) } }
                    return false
                }
            }
            return true
        }
    }

    /// Stops reading, removes the link and closes the terminal.
    func close() {
        let wasClosed = lock.withLock {
            let was = closed
            closed = true
            return was
        }
        guard !wasClosed else { return }
        if thread != nil { finished.wait() }
        if let linkPath { unlink(linkPath) }
        _ = closeFile(slave)
        _ = closeFile(master)
    }

    deinit { close() }

    private static func message() -> String { String(cString: strerror(errno)) }
}
