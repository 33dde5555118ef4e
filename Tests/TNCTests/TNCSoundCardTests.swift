import Foundation
import Framings
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `soundstack tnc --record pulse:DEVICE --play pulse:DEVICE` on a real audio server: the "radio"
/// is two null sinks, one the TNC hears (its monitor) and one it transmits into (heard by
/// `soundstack listen` on that sink's monitor).
@Suite(
    "The TNC on sound cards",
    .enabled(if: NullSink.serverAnswers && SoundStackBinary.isAvailable, "needs an audio server and the binary"))
struct TNCSoundCardTests {
    @Test(.enabled(if: Corpus.exists(SoftwareTNCTests.recording), "needs ../shared/corpus"))
    func framesHeardGoToTheClientAndFramesSentArePlayed() throws {
        let radio = try NullSink(label: "tnc_in")
        defer { radio.remove() }
        let air = try NullSink(label: "tnc_out")
        defer { air.remove() }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let tnc = try TNCProcess(
            ["--kiss-port", "0", "--record", "pulse:\(radio.monitor)", "--play", "pulse:\(air.name)"], in: dir)
        let port = try #require(tnc.kissPort(), "no port in: \(tnc.stderr)")
        let client = try KISSTestClient(port: port)
        #expect(eventually { tnc.stderr.contains("connected") }, "\(tnc.stderr)")

        // A recording played into the TNC's input reaches the client, frame for frame.
        let played = try runCLI(["play", Corpus.path(SoftwareTNCTests.recording), "--device", radio.name])
        #expect(played.status == 0, "\(played.stderr)")
        let expected = try Corpus.frames(SoftwareTNCTests.recording)
        #expect(client.frames(expected.count, timeLimit: 20).map(\.payload) == expected, "\(tnc.stderr)")

        // A frame the client sends is played on the air, where a receiver decodes it.
        let binary = try #require(SoundStackBinary.path)
        let listener = try BackgroundRun(binary, ["listen", "--device", air.monitor, "--protocol", "ax25", "-q"])
        Thread.sleep(forTimeInterval: 1)
        let frame = try AX25Frame(tnc2: SoftwareTNCTests.line)
        try client.send(KISSFrame(command: .data, payload: frame.bytes))
        #expect(eventually(timeLimit: 20) { tnc.stderr.contains("tx: ") }, "\(tnc.stderr)")
        #expect(listener.wait(for: "hello from a KISS client", seconds: 10) != nil, "\(listener.stdout)")
        listener.signal(SIGINT)
        _ = listener.finish(timeLimit: 10)
        #expect(listener.stdout.contains(SoftwareTNCTests.line), "\(listener.stdout)")
        #expect(tnc.stop() == 0, "\(tnc.stderr)")
    }

    @Test func aDeviceThatDoesNotExistIsOneLineAndExitOne() throws {
        let run = try runCLI(["tnc", "--kiss-port", "0", "--play", "pulse:soundstack_no_such_sink"], timeLimit: 30)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("soundstack_no_such_sink"), "\(run.stderr)")
    }
}
