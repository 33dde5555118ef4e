#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The unfinished ``AtomicFile`` temporaries of this process, removable from a signal handler.
///
/// Paths live in a fixed block of C strings allocated once, so the handler that
/// ``installSignalCleanup(message:)`` installs only reads memory and calls `unlink`, `write`
/// and `_exit` — all async-signal-safe. A slot is marked used only after its path is complete.
///
///     TemporaryFiles.installSignalCleanup(message: "soundstack: interrupted; unfinished output removed\n")
public enum TemporaryFiles {
    /// How many temporaries can be open at once; more are written but not removed on a signal.
    public static let capacity = 64
    /// Longest path kept, terminator included.
    static let pathBytes = 4096

    /// `capacity` × `pathBytes` bytes of C strings, and one used flag per slot. Zeroed by
    /// `calloc`, which maps fresh pages rather than writing 256 KiB: every run installs the
    /// cleanup, and few ever list a path.
    nonisolated(unsafe) private static let paths: UnsafeMutablePointer<CChar> = {
        guard let raw = calloc(capacity * pathBytes, 1) else { fatalError("TemporaryFiles: out of memory") }
        return raw.bindMemory(to: CChar.self, capacity: capacity * pathBytes)
    }()
    nonisolated(unsafe) private static let used: UnsafeMutablePointer<sig_atomic_t> = {
        let p = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: capacity)
        p.initialize(repeating: 0, count: capacity)
        return p
    }()
    /// The handler's message to stderr.
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var messageLength = 0
    nonisolated(unsafe) private static var lock = pthread_mutex_t()
    private static let lockReady: Bool = {
        pthread_mutex_init(&lock, nil)
        return true
    }()

    /// Lists `path`; returns its slot, or `nil` when every slot is taken or the path is too long.
    static func register(_ path: String) -> Int? {
        let bytes = Array(path.utf8CString)
        guard bytes.count <= pathBytes, lockReady else { return nil }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for slot in 0..<capacity where used[slot] == 0 {
            let start = paths + slot * pathBytes
            for (i, b) in bytes.enumerated() { start[i] = b }
            used[slot] = 1
            return slot
        }
        return nil
    }

    /// Takes `slot` off the list (its file was renamed or removed).
    static func unregister(_ slot: Int) {
        guard lockReady else { return }
        pthread_mutex_lock(&lock)
        used[slot] = 0
        pthread_mutex_unlock(&lock)
    }

    /// The paths listed now (for tests and diagnostics).
    public static var listed: [String] {
        guard lockReady else { return [] }
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        return (0..<capacity).filter { used[$0] != 0 }.map { String(cString: paths + $0 * pathBytes) }
    }

    /// Removes every listed temporary (async-signal-safe: no locks, no allocation).
    public static func removeAll() {
        for slot in 0..<capacity where used[slot] != 0 {
            unlink(paths + slot * pathBytes)
        }
    }

    /// On SIGINT, SIGTERM and SIGHUP: remove the listed temporaries, write `message` to
    /// stderr and exit 128 + the signal (130, 143, 129). SIGXFSZ is ignored, so a write over
    /// the file-size limit fails with `EFBIG` (an error the writer reports) instead of killing
    /// the process with the temporary left behind.
    public static func installSignalCleanup(message text: String) {
        _ = paths
        _ = used
        _ = lockReady
        let bytes = Array(text.utf8)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
        for (i, b) in bytes.enumerated() { buffer[i] = CChar(bitPattern: b) }
        buffer[bytes.count] = 0
        message = buffer
        messageLength = bytes.count
        signal(SIGXFSZ, SIG_IGN)
        // A parent may have started us with these blocked (inherited mask): unblock them.
        var set = sigset_t()
        sigemptyset(&set)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&set, sig) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            #if canImport(Glibc)
                action.__sigaction_handler.sa_handler = { signalNumber in TemporaryFiles.handle(signalNumber) }
            #else
                action.__sigaction_u.__sa_handler = { signalNumber in TemporaryFiles.handle(signalNumber) }
            #endif
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }

    private static func handle(_ signalNumber: Int32) {
        removeAll()
        if let message, messageLength > 0 { _ = writeDescriptor(2, message, messageLength) }
        _exit(128 + signalNumber)
    }
}
