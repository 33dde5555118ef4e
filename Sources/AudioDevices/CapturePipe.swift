import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A capture stream poured into a pipe as raw 16-bit little-endian mono, so that anything that
/// reads audio streams (the decoder, opening ``path``) can listen to a sound card.
///
///     let live = try CapturePipe(device: "soundstack_a.monitor", sampleRate: 48000)
///     live.start()
///     // … decode live.path as raw 16-bit audio at 48 kHz, until:
///     live.stop()   // the reader then sees the end of the stream
///
/// The pump runs on its own thread; ``stop()`` ends it after the block being recorded and
/// closes the pipe. A failure of the stream also ends it, and is kept in ``failure``.
public final class CapturePipe: @unchecked Sendable {
    /// `/dev/fd/N`: the pipe's reading end, to open as a file.
    public let path: String
    /// The capture's device, or "(default input)".
    public var device: String { capture.device }
    /// Samples per second.
    public var sampleRate: Int { capture.sampleRate }

    private let capture: AudioCapture
    private let blockFrames: Int
    private let readEnd: Int32
    private let writeEnd: Int32
    private let lock = NSLock()
    private var stopping = false
    private var captured = 0
    /// Audio missing now, in samples (see ``secondsLost``): the least shortfall of the last
    /// ``settleBlocks`` blocks, so a late block that the server then delivers in a burst is not
    /// counted, while samples it dropped stay missing for good.
    private var missing = 0
    /// The shortfalls of the last blocks, oldest first.
    private var recent: [Int] = []
    /// Blocks over which a delay must persist to count as loss (about 1 s at 1024 frames, 48 kHz).
    static let settleBlocks = 48
    private var error: AudioDeviceError?
    private let finished = DispatchSemaphore(value: 0)
    private var started = false
    private var observer: (@Sendable (UnsafeBufferPointer<Int16>) -> Void)?

    /// Opens the capture (see ``AudioCapture``) and the pipe.
    /// - Parameters:
    ///   - device: A source name; `nil` for the server's default source.
    ///   - sampleRate: Samples per second (8000…192000).
    ///   - blockFrames: Samples recorded and written at a time (16…65536).
    public init(device: String? = nil, sampleRate: Int, blockFrames: Int = 1024) throws(AudioDeviceError) {
        capture = try AudioCapture(
            device: device, sampleRate: sampleRate, format: .int16, fragmentFrames: blockFrames)
        self.blockFrames = blockFrames
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw .invalidRequest("cannot make a pipe: \(String(cString: strerror(errno)))")
        }
        readEnd = ends[0]
        writeEnd = ends[1]
        path = "/dev/fd/\(ends[0])"
    }

    deinit {
        stop()
        if started { finished.wait() } else { close(writeEnd) }
        close(readEnd)
    }

    /// Hands every block to `body` as it is recorded, on the recording thread, before it goes
    /// into the pipe. Call before ``start()``.
    public func observe(_ body: @escaping @Sendable (UnsafeBufferPointer<Int16>) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        observer = body
    }

    /// Starts pouring samples into the pipe.
    public func start() {
        lock.lock()
        defer { lock.unlock() }
        guard !started else { return }
        started = true
        let thread = Thread { [self] in pump() }
        thread.name = "soundstack capture"
        thread.start()
    }

    /// Asks the pump to end; the pipe closes after the block being recorded.
    public func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
    }

    /// Waits until the pump has ended and closed the pipe (after ``stop()``, a failure, or the
    /// reader going away).
    public func wait() {
        lock.lock()
        let wasStarted = started
        lock.unlock()
        if wasStarted {
            finished.wait()
            finished.signal()
        }
    }

    /// Samples written to the pipe so far.
    public var framesCaptured: Int {
        lock.lock()
        defer { lock.unlock() }
        return captured
    }

    /// Audio the server recorded but this stream never got (an overrun: it was not read in
    /// time and the server dropped it), in seconds: by how much the samples received have
    /// fallen behind the time listened, less three blocks of slack and 200 ppm for a sound
    /// card's clock. Dropped samples never come, so a loss persists; a block that was only late
    /// (the server then catches up) is not counted: the figure is the least shortfall over the
    /// last second of blocks. The simple API reports no overruns itself; a gap shows as this
    /// shortfall.
    public var secondsLost: Double {
        lock.lock()
        defer { lock.unlock() }
        return Double(missing) / Double(capture.sampleRate)
    }

    /// Why the pump ended early, if it did.
    public var failure: AudioDeviceError? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    private func pump() {
        var block = [UInt8](repeating: 0, count: blockFrames * 2)
        var firstBlockAt: UInt64?
        defer {
            close(writeEnd)
            finished.signal()
        }
        while true {
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { return }
            let failed: AudioDeviceError? = block.withUnsafeMutableBytes { b in
                do throws(AudioDeviceError) {
                    try capture.read(bytes: b)
                    return nil
                } catch {
                    return error
                }
            }
            if let failed {
                lock.lock()
                error = failed
                lock.unlock()
                return
            }
            if let observer { block.withUnsafeBytes { observer($0.bindMemory(to: Int16.self)) } }
            // A reader that has gone away ends the pump (EPIPE; SIGPIPE must be ignored).
            guard writeAll(block) else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            lock.lock()
            captured += blockFrames
            if let start = firstBlockAt {
                recent.append(
                    Self.shortfall(
                        seconds: Double(now - start) * 1e-9, received: captured - blockFrames,
                        sampleRate: capture.sampleRate, blockFrames: blockFrames))
                if recent.count > Self.settleBlocks { recent.removeFirst() }
                missing = recent.min() ?? 0
            } else {
                firstBlockAt = now
            }
            lock.unlock()
        }
    }

    /// Samples missing after `seconds` of listening (from the first block) in which `received`
    /// samples arrived: what should have come, less 200 ppm for the device's clock, less three
    /// blocks of slack (one being recorded, one in flight, one of jitter); 0 when none are.
    public static func shortfall(seconds: Double, received: Int, sampleRate: Int, blockFrames: Int) -> Int {
        let expected = seconds * Double(sampleRate) * (1 - 200e-6)
        return max(0, Int((expected - Double(received) - Double(3 * blockFrames)).rounded(.down)))
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { b in
            var done = 0
            while done < b.count {
                let n = write(writeEnd, b.baseAddress! + done, b.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                done += n
            }
            return true
        }
    }
}
