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

/// Dire Wolf's own KISS client against our TNC by TCP: it receives the frames of a recording,
/// and a frame it sends comes out in our audio, where Dire Wolf's `atest` decodes it.
@Suite(.serialized) struct KissutilInteropTests {
    /// Two APRS frames with a WIDE1-1,WIDE2-1 path, off the air (SWIATOWID satellite).
    static let recording = "aprs/satrec_swiatowid-ax25.wav"

    /// kissutil running against `port`, its stdout in a file; killed when the value goes away.
    final class Kissutil {
        let process = Process()
        let stdoutPath: String
        private let handle: FileHandle
        /// kissutil reads stdin unless given -f, and exits at its end: it is kept open.
        private let input = Pipe()

        init(_ arguments: [String], in dir: TemporaryDirectory) throws {
            let path = try #require(DireWolf.tool("kissutil"))
            stdoutPath = dir.path("kissutil.stdout")
            _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
            process.standardOutput = handle
            process.standardError = handle
            process.standardInput = input
            try process.run()
        }

        var output: String {
            String(decoding: FileManager.default.contents(atPath: stdoutPath) ?? Data(), as: UTF8.self)
        }

        deinit {
            if process.isRunning { killProcessTree(process.processIdentifier) }
            process.waitUntilExit()
            try? input.fileHandleForWriting.close()
            try? handle.close()
        }
    }

    @Test(
        .enabled(if: DireWolf.tool("kissutil") != nil, "needs Dire Wolf's kissutil"),
        .enabled(if: Corpus.exists(recording), "needs ../shared/corpus"))
    func kissutilReceivesTheFramesOfARecording() throws {
        let dir = try TemporaryDirectory()
        let received = dir.path("received")
        try FileManager.default.createDirectory(atPath: received, withIntermediateDirectories: true)
        var c = SoftwareTNCTests.configuration(record: Corpus.path(Self.recording))
        c.waitForClients = 1
        let tnc = try SoftwareTNC.start(c)
        defer { try? tnc.stop() }
        let kissutil = try Kissutil(["-h", "127.0.0.1", "-p", "\(tnc.kissPort)", "-o", received], in: dir)
        let expected = try Corpus.lines(Self.recording)
        #expect(expected.count == 2)
        let lines = {
            kissutil.output.split(separator: "\n").filter { $0.hasPrefix("[0] ") }.map { String($0.dropFirst(4)) }
        }
        #expect(eventually { lines().count >= expected.count }, "kissutil printed: \(kissutil.output)")
        #expect(lines() == expected, "kissutil printed: \(kissutil.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: received)
        #expect(!files.isEmpty, "kissutil -o saved nothing")
        #expect(tnc.framesReceived == expected.count)
    }

    @Test(
        .enabled(if: DireWolf.tool("kissutil") != nil, "needs Dire Wolf's kissutil"),
        .enabled(if: DireWolf.tool("atest") != nil, "needs Dire Wolf's atest"))
    func aFrameKissutilSendsComesOutInOurAudioAndAtestDecodesIt() throws {
        let atest = try #require(DireWolf.tool("atest"))
        let dir = try TemporaryDirectory()
        let queue = dir.path("transmit")
        try FileManager.default.createDirectory(atPath: queue, withIntermediateDirectories: true)
        let out = dir.path("out.wav")
        let tnc = try SoftwareTNC.start(SoftwareTNCTests.configuration(play: out))
        let kissutil = try Kissutil(["-h", "127.0.0.1", "-p", "\(tnc.kissPort)", "-f", queue], in: dir)
        let sent = [
            "N0CALL>APRS,WIDE1-1,WIDE2-1:!4903.50N/07201.75W-sent by kissutil",
            "N0CALL-9>APZ001::N0CALL   :message{42"
        ]
        // kissutil reads the queue folder once a second: write the file whole, then move it in.
        let staged = try dir.write("frames.txt", Array((["d 20", "t 5"] + sent).joined(separator: "\n").utf8 + [10]))
        #expect(eventually { tnc.clientCount == 1 })
        try FileManager.default.moveItem(atPath: staged, toPath: "\(queue)/frames.txt")
        #expect(eventually { tnc.framesSent == sent.count }, "kissutil: \(kissutil.output)")
        #expect(tnc.parameters(port: 0).txDelay == 20)
        #expect(tnc.parameters(port: 0).txTail == 5)
        try tnc.stop()
        let run = try runProcess(atest, [out])
        let text = run.stdout + run.stderr
        #expect(text.contains("\(sent.count) packets decoded"), "\(text)")
        for line in sent { #expect(text.contains(line), "\(line) not in: \(text)") }
    }
}
