import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What one run of a program gave: its exit status and everything it wrote.
public struct CLIRun: Sendable {
    /// The exit status (or the signal number, if a signal ended it).
    public var status: Int32
    /// Standard output, as bytes.
    public var stdoutBytes: [UInt8]
    /// Standard error, as text.
    public var stderr: String
    /// Wall-clock time from start to exit.
    public var seconds: Double

    public init(status: Int32, stdoutBytes: [UInt8], stderr: String, seconds: Double) {
        self.status = status
        self.stdoutBytes = stdoutBytes
        self.stderr = stderr
        self.seconds = seconds
    }

    /// Standard output, as text.
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// The non-empty lines of standard error.
    public var stderrLines: [Substring] { stderr.split(separator: "\n") }
}

/// Where a run's standard input comes from.
public enum CLIInput: Sendable {
    /// Nothing: `/dev/null`.
    case none
    /// A regular file, opened for reading.
    case file(String)
    /// A file sent through a real pipe by `cat` (`cat file | program …`).
    case pipe(fromFile: String)
    /// These bytes (from a regular file holding them).
    case bytes([UInt8])
}

/// A run that was still going at its time limit: it and every process it started were killed.
public struct ProcessTimedOut: Error, CustomStringConvertible {
    public var command: [String]
    public var timeLimit: Double
    public var stderr: String
    public var description: String {
        "\(command.joined(separator: " ")) ran over \(timeLimit) s and was killed; stderr so far: \(stderr)"
    }
}

/// Runs the `soundstack` built next to the test bundle (``SoundStackBinary``) with `arguments`.
///
/// Output goes to files (no pipe can fill up or be held open by another test's child), and the
/// run is killed after `timeLimit` seconds, so a hang fails the test instead of blocking it.
/// - Throws: ``SoundStackBinary/NotFound`` without the binary; ``ProcessTimedOut`` after the limit.
/// `environment` is added to this process's environment.
public func runCLI(
    _ arguments: [String], stdin: CLIInput = .none, environment: [String: String] = [:],
    timeLimit: Double = 120
) throws -> CLIRun {
    guard let binary = SoundStackBinary.path else { throw SoundStackBinary.NotFound() }
    let merged = environment.isEmpty ? nil : ProcessInfo.processInfo.environment.merging(environment) { $1 }
    return try runProcess(binary, arguments, stdin: stdin, environment: merged, timeLimit: timeLimit)
}

/// Runs the program at `executable` with `arguments`, output into files, killed (with every
/// process it started) after `timeLimit` seconds.
/// - Throws: ``ProcessTimedOut`` after the limit, or the error of starting the program.
public func runProcess(
    _ executable: String, _ arguments: [String], stdin: CLIInput = .none,
    environment: [String: String]? = nil, timeLimit: Double = 120
) throws -> CLIRun {
    let dir = try TemporaryDirectory(prefix: "soundstack-run")
    defer { dir.remove() }
    var program = executable
    var programArguments = arguments
    let outPath = dir.path("stdout"), errPath = dir.path("stderr")
    _ = FileManager.default.createFile(atPath: outPath, contents: nil)
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    defer { try? out.close(); try? err.close() }
    var input: FileHandle?
    switch stdin {
    case .none:
        input = nil
    case .file(let path):
        input = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    case .bytes(let bytes):
        input = try FileHandle(forReadingFrom: URL(fileURLWithPath: dir.write("stdin", bytes)))
    case .pipe(let source):
        // The pipe is made by the shell, so no other test's child can inherit its write end.
        program = "/bin/sh"
        programArguments = ["-c", #"f=$1; b=$2; shift 2; cat "$f" | "$b" "$@""#, "sh", source, executable] + arguments
    }
    defer { try? input?.close() }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = programArguments
    if let environment { process.environment = environment }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input ?? FileHandle.nullDevice
    let start = Date()
    try process.run()
    var pause: useconds_t = 1_000
    while process.isRunning, Date().timeIntervalSince(start) < timeLimit {
        usleep(pause)
        pause = min(pause * 2, 20_000)
    }
    if process.isRunning {
        killProcessTree(process.processIdentifier)
        process.waitUntilExit()
        let stderr = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        throw ProcessTimedOut(command: [executable] + arguments, timeLimit: timeLimit, stderr: stderr)
    }
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    let stdout = FileManager.default.contents(atPath: outPath) ?? Data()
    let stderr = FileManager.default.contents(atPath: errPath) ?? Data()
    return CLIRun(
        status: process.terminationStatus, stdoutBytes: [UInt8](stdout),
        stderr: String(decoding: stderr, as: UTF8.self), seconds: seconds)
}

/// Sends SIGKILL to `pid` and every process under it (found through /proc on Linux; elsewhere
/// only `pid` itself).
public func killProcessTree(_ pid: Int32) {
    var all: [Int32] = []
    var pending = [pid]
    while let next = pending.popLast() {
        all.append(next)
        _ = kill(next, SIGSTOP)  // no new children while the tree is walked
        pending += childProcesses(of: next)
    }
    for p in all {
        _ = kill(p, SIGKILL)
        _ = kill(p, SIGCONT)
    }
}

/// The children of `pid`, from `/proc/<pid>/task/*/children` (Linux).
func childProcesses(of pid: Int32) -> [Int32] {
    #if os(Linux)
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    #else
        return []
    #endif
}
