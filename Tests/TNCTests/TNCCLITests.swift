import AudioIO
import Foundation
import Framings
import TNC
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soundstack tnc` as a program: it says where it listens, serves a client, and on SIGTERM
/// finishes its output file and exits 0.
final class TNCProcess {
    let process = Process()
    let stderrPath: String
    private let stderrHandle: FileHandle

    /// With `stdin`, the process reads from a pipe this end writes; with `stdout`, its output
    /// goes to that file.
    init(_ arguments: [String], in dir: TemporaryDirectory, stdin: Pipe? = nil, stdout: String? = nil) throws {
        guard let binary = SoundStackBinary.path else { throw SoundStackBinary.NotFound() }
        stderrPath = dir.path("tnc.stderr")
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        stderrHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["tnc"] + arguments
        process.standardError = stderrHandle
        if let stdout {
            _ = FileManager.default.createFile(atPath: stdout, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdout))
        } else {
            process.standardOutput = FileHandle.nullDevice
        }
        process.standardInput = stdin ?? FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning { killProcessTree(process.processIdentifier) }
        try? stderrHandle.close()
    }

    var stderr: String {
        String(decoding: FileManager.default.contents(atPath: stderrPath) ?? Data(), as: UTF8.self)
    }

    /// The port from "KISS TCP on HOST:PORT".
    func kissPort(timeLimit: Double = 60) -> Int? {
        var port: Int?
        eventually(timeLimit: timeLimit) {
            for line in stderr.split(separator: "\n") where line.contains("KISS TCP on ") {
                port = line.split(separator: ":").last.flatMap { Int($0) }
            }
            return port != nil || !process.isRunning
        }
        return port
    }

    /// Sends `signal` and waits (up to `timeLimit`) for the exit status.
    func stop(_ signal: Int32 = SIGTERM, timeLimit: Double = 60) -> Int32? {
        kill(process.processIdentifier, signal)
        guard eventually(timeLimit: timeLimit, { !process.isRunning }) else { return nil }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

@Suite struct TNCCLITests {
    @Test(
        .enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"),
        .enabled(if: Corpus.exists(SoftwareTNCTests.recording), "needs ../shared/corpus"),
        arguments: [SIGTERM, SIGINT, SIGHUP])
    func servesAClientThenFinishesTheOutputOnASignalAndExitsZero(signal: Int32) throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out.wav")
        let tnc = try TNCProcess(
            [
                "--kiss-port", "0", "--record", Corpus.path(SoftwareTNCTests.recording), "--play", out,
                "--wait-for-clients", "1"
            ], in: dir)
        let port = try #require(tnc.kissPort(), "no port in: \(tnc.stderr)")
        let client = try KISSTestClient(port: port)
        let expected = try Corpus.frames(SoftwareTNCTests.recording)
        #expect(client.frames(expected.count).map(\.payload) == expected)
        let frame = try AX25Frame(tnc2: SoftwareTNCTests.line)
        try client.send(KISSFrame(command: .data, payload: frame.bytes))
        #expect(eventually { tnc.stderr.contains("tx: \(SoftwareTNCTests.line)") }, "\(tnc.stderr)")
        #expect(eventually { tnc.stderr.contains("end of the input audio") }, "\(tnc.stderr)")
        #expect(client.isOpen, "the end of the input does not end the TNC")
        #expect(tnc.stop(signal) == 0, "\(tnc.stderr)")
        let (samples, rate) = try AudioFile.read(path: out)
        let decoded = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25])
        #expect(decoded.map(\.bytes) == [frame.bytes])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty, "temporaries left: \(leftovers)")
    }

    /// `--record -` decodes stdin as it arrives (the pipe stays open: no end of input needed),
    /// `--play -` writes the WAV to stdout. The input is a WAV with a streaming header (sizes
    /// 0xFFFFFFFF), as `arecord` and `sox` write to a pipe.
    @Test(
        .enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"),
        .enabled(if: Corpus.exists(SoftwareTNCTests.recording), "needs ../shared/corpus"))
    func recordsFromStdinAsItArrivesAndPlaysToStdout() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("stdout.wav")
        let input = Pipe()
        let tnc = try TNCProcess(
            ["--kiss-port", "0", "--record", "-", "--play", "-"], in: dir, stdin: input, stdout: out)
        defer { try? input.fileHandleForWriting.close() }
        let port = try #require(tnc.kissPort(), "no port in: \(tnc.stderr)")
        let client = try KISSTestClient(port: port)
        #expect(eventually { tnc.stderr.contains("connected") })
        var wav = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Corpus.path(SoftwareTNCTests.recording))))
        let data = try #require((12..<wav.count - 8).first { wav[$0..<$0 + 4] == Array("data".utf8)[...] })
        for k in 0..<4 {
            wav[4 + k] = 0xFF
            wav[data + 4 + k] = 0xFF
        }
        input.fileHandleForWriting.write(Data(wav))
        let expected = try Corpus.frames(SoftwareTNCTests.recording)
        #expect(client.frames(expected.count).map(\.payload) == expected, "\(tnc.stderr)")
        let frame = try AX25Frame(tnc2: SoftwareTNCTests.line)
        try client.send(KISSFrame(command: .data, payload: frame.bytes))
        #expect(eventually { tnc.stderr.contains("tx: ") }, "\(tnc.stderr)")
        #expect(tnc.stop() == 0, "\(tnc.stderr)")
        let (samples, rate) = try AudioFile.read(path: out)
        let decoded = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25])
        #expect(decoded.map(\.bytes) == [frame.bytes])
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func anOutputNamingTheInputIsRefused() throws {
        let dir = try TemporaryDirectory()
        let wav = try dir.write("in.wav", [])
        let run = try runCLI(["tnc", "--record", wav, "--play", wav])
        #expect(run.status == 64, "\(run.stderr)")
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func aMissingRecordingIsOneLineAndExitOne() throws {
        let run = try runCLI(["tnc", "--kiss-port", "0", "--record", "/nonexistent/in.wav"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("/nonexistent/in.wav"))
    }
}
