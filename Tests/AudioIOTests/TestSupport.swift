import Foundation
import SignalBasics
import TestSupport
import Testing

@testable import AudioIO

enum Signal {
    /// A linear chirp from 300 Hz to 0.4 × the sample rate.
    static func chirp(sampleRate: Int, seconds: Double, amplitude: Double = 0.5) -> [Float] {
        let count = Int(seconds * Double(sampleRate))
        let f0 = 300.0, f1 = 0.4 * Double(sampleRate)
        return (0..<count).map { i in
            let t = Double(i) / Double(sampleRate)
            let phase = 2 * .pi * (f0 * t + (f1 - f0) * t * t / (2 * seconds))
            return Float(amplitude * sin(phase))
        }
    }

    /// Deterministic white noise in [-amplitude, amplitude).
    static func noise(count: Int, amplitude: Float, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in amplitude * Float(rng.nextUniform() * 2 - 1) }
    }

    /// Interleaves equal-length channels.
    static func interleave(_ channels: [[Float]]) -> [Float] {
        let frames = channels.map(\.count).min() ?? 0
        var out: [Float] = []
        out.reserveCapacity(frames * channels.count)
        for i in 0..<frames { for channel in channels { out.append(channel[i]) } }
        return out
    }

    /// Power of `samples` at `frequency` (Goertzel), normalised so a full-length sine of
    /// amplitude A gives A²/4 × 2 = A²/2 … i.e. comparable with the mean square.
    static func tonePower(_ samples: ArraySlice<Float>, frequency: Double, sampleRate: Int) -> Double {
        let w = 2 * Double.pi * frequency / Double(sampleRate)
        let coefficient = 2 * cos(w)
        var s1 = 0.0, s2 = 0.0
        for x in samples {
            let s0 = Double(x) + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = s1 * s1 + s2 * s2 - coefficient * s1 * s2
        let n = Double(samples.count)
        return 2 * power / (n * n)
    }

    static func meanSquare(_ samples: ArraySlice<Float>) -> Double {
        samples.reduce(0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))
    }
}

/// Runs a program (bounded by TestSupport's time limit), returning its exit status and its
/// standard output followed by its standard error, or `nil` when it is not installed.
@discardableResult
func run(_ program: String, _ arguments: [String]) -> (status: Int32, output: String)? {
    guard FileManager.default.isExecutableFile(atPath: program),
        let result = try? runProcess(program, arguments)
    else { return nil }
    return (result.status, result.stdout + result.stderr)
}

/// Starts `cat path` writing into a new pipe and returns the pipe's read end.
///
/// The caller reads from the descriptor, then calls `finish` to close it and reap `cat`.
func catIntoPipe(_ path: String) throws -> (descriptor: Int32, finish: () -> Void) {
    // A Foundation Pipe: Process closes the write end in this process once `cat` has it, and
    // nothing here closes it again (closing a descriptor twice can close another test's file
    // that reused the number).
    let pipe = Pipe()
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/cat")
    process.arguments = [path]
    process.standardOutput = pipe
    try process.run()
    let reading = pipe.fileHandleForReading
    return (
        reading.fileDescriptor,
        {
            try? reading.close()  // first, so a `cat` blocked on a full pipe gets EPIPE and exits
            process.waitUntilExit()
        }
    )
}

/// Writes bytes to a file.
func writeBytes(_ bytes: [UInt8], to path: String) {
    // Plain open/write/close: the file is whole before this returns.
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { Issue.record("cannot create \(path): errno \(errno)"); return }
    defer { close(fd) }
    var done = 0
    bytes.withUnsafeBytes { raw in
        while done < raw.count {
            let n = write(fd, raw.baseAddress! + done, raw.count - done)
            if n <= 0 { break }
            done += n
        }
    }
    if done != bytes.count { Issue.record("short write to \(path): \(done) of \(bytes.count)") }
}

/// Reads a reader to its end in blocks of `blockSize`.
func readAll(_ reader: inout AudioFileReader, blockSize: Int) throws -> [Float] {
    var out: [Float] = []
    var block = [Float](repeating: 0, count: blockSize)
    while true {
        let n = try block.withUnsafeMutableBufferPointer { try reader.read(into: $0) }
        if n == 0 { return out }
        out.append(contentsOf: block[0..<n])
    }
}

/// The error `body` throws, or `nil`.
func thrown(_ body: () throws(AudioIOError) -> Void) -> AudioIOError? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
