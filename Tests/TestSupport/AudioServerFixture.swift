import Foundation

/// A null sink of its own on the running audio server, for one test: what is played to
/// ``name`` is heard on ``monitor``. Unloaded by ``remove()``.
///
///     let sink = try NullSink()
///     defer { sink.remove() }
///     // play to sink.name, record from sink.monitor
public final class NullSink: @unchecked Sendable {
    /// The sink's name (`--device` for playing).
    public let name: String
    /// Its monitor source (`--device` for listening).
    public var monitor: String { name + ".monitor" }
    private let module: String

    /// Whether `pactl` is installed and an audio server answers it.
    public static let serverAnswers: Bool = {
        guard let pactl = path("pactl"), let run = try? runProcess(pactl, ["info"], timeLimit: 10) else { return false }
        return run.status == 0
    }()

    /// Where `tool` is on PATH, if anywhere.
    public static func path(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public struct Failed: Error, CustomStringConvertible {
        public var description: String
    }

    /// Loads a 48 kHz mono null sink with a name no other test uses.
    public init(label: String = "test") throws {
        guard let pactl = Self.path("pactl") else { throw Failed(description: "pactl not found") }
        name = "soundstack_\(label)_\(getpid())_\(UInt32.random(in: 0...UInt32.max))"
        let run = try runProcess(
            pactl,
            ["load-module", "module-null-sink", "sink_name=\(name)", "rate=48000", "channels=1", "format=s16le"],
            timeLimit: 20)
        guard run.status == 0 else { throw Failed(description: "pactl load-module: \(run.stderr)") }
        module = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Unloads the sink.
    public func remove() {
        if let pactl = Self.path("pactl") { _ = try? runProcess(pactl, ["unload-module", module], timeLimit: 20) }
    }
}

/// A program running in the background whose standard output is read as it comes, each chunk
/// stamped with its arrival time; killed (with its children) if still running at its time limit.
public final class BackgroundRun: @unchecked Sendable {
    private let process = Process()
    private let lock = NSLock()
    private var chunks: [(time: Date, bytes: [UInt8])] = []
    private let errPath: String
    private let dir: TemporaryDirectory
    private let done = DispatchSemaphore(value: 0)

    /// Starts `executable` with `arguments` (`environment` added to this process's).
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        dir = try TemporaryDirectory(prefix: "soundstack-bg")
        errPath = dir.path("stderr")
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = FileHandle.nullDevice
        let reader = pipe.fileHandleForReading
        try process.run()
        try? pipe.fileHandleForWriting.close()
        Thread.detachNewThread { [self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                lock.lock()
                chunks.append((Date(), [UInt8](data)))
                lock.unlock()
            }
            done.signal()
        }
    }

    /// Standard output so far.
    public var stdout: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: chunks.flatMap(\.bytes), as: UTF8.self)
    }

    /// When standard output first contained `text`, if it has.
    public func firstTime(containing text: String) -> Date? {
        lock.lock()
        defer { lock.unlock() }
        var seen: [UInt8] = []
        for c in chunks {
            seen += c.bytes
            if String(decoding: seen, as: UTF8.self).contains(text) { return c.time }
        }
        return nil
    }

    /// Waits up to `seconds` for standard output to contain `text`; when it did.
    public func wait(for text: String, seconds: Double) -> Date? {
        let end = Date(timeIntervalSinceNow: seconds)
        while Date() < end {
            if let t = firstTime(containing: text) { return t }
            usleep(5_000)
        }
        return firstTime(containing: text)
    }

    /// Sends `signal` (SIGINT by default).
    public func signal(_ number: Int32 = SIGINT) { kill(process.processIdentifier, number) }

    /// Waits for the exit, killing the program after `timeLimit` seconds; its status and stderr.
    public func finish(timeLimit: Double = 30) -> (status: Int32, stderr: String) {
        let end = Date(timeIntervalSinceNow: timeLimit)
        while process.isRunning, Date() < end { usleep(10_000) }
        if process.isRunning { killProcessTree(process.processIdentifier) }
        process.waitUntilExit()
        _ = done.wait(timeout: .now() + 5)
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        dir.remove()
        return (process.terminationStatus, stderr)
    }
}
