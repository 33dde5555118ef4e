import AudioIO
import Foundation
import Framings
import TNC
import TestSupport
import Testing

/// `soundstack tnc --baud 300|9600`: frames of a recording at that rate reach a KISS client, and
/// the frames it sends are written at that rate (and `atest -B` decodes them).
@Suite struct TNCBaudCLITests {
    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"), arguments: [300, 9600])
    func receivesAndSendsAtTheRate(baud: Int) throws {
        let modem = try #require(AX25Modem(baud: baud))
        let dir = try TemporaryDirectory()
        let heard = try AX25Frame(tnc2: "N0CALL>APRS,WIDE1-1:>heard at \(baud) Bd")
        let record = dir.path("in.wav"), out = dir.path("out.wav")
        try AudioFile.write(
            ProtocolTransmitter.ax25([heard], modem: modem, sampleRate: 48000), sampleRate: 48000, to: record)
        let tnc = try TNCProcess(
            [
                "--kiss-port", "0", "--baud", "\(baud)", "--record", record, "--play", out, "--wait-for-clients",
                "1"
            ], in: dir)
        let port = try #require(tnc.kissPort(), "no port in: \(tnc.stderr)")
        let client = try KISSTestClient(port: port)
        #expect(client.frames(1).map(\.payload) == [heard.bytes], "\(tnc.stderr)")
        let sent = try AX25Frame(tnc2: "N0CALL>APRS:>sent at \(baud) Bd")
        try client.send(KISSFrame(command: .data, payload: sent.bytes))
        #expect(eventually { tnc.stderr.contains("tx: ") }, "\(tnc.stderr)")
        #expect(tnc.stop() == 0, "\(tnc.stderr)")
        let (samples, rate) = try AudioFile.read(path: out)
        var options = ProtocolReceiverOptions()
        options.select(modem)
        let decoded = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25], options: options)
        #expect(decoded.map(\.bytes) == [sent.bytes])
        if let atest = InteropTestsTool.atest {
            let run = try runProcess(atest, ["-B", "\(baud)", out], timeLimit: 60)
            #expect(
                run.stdout.contains("1 packets decoded") || run.stdout.contains("1 packet decoded"), "\(run.stdout)")
        }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func otherRatesAndSlowPlayRatesAreRefused() throws {
        let odd = try runCLI(["tnc", "--baud", "2400"])
        #expect(odd.status == 64 && odd.stderr.contains("300, 1200 or 9600"), "\(odd.stderr)")
        let slow = try runCLI(["tnc", "--baud", "9600", "--rate", "44100", "--play", "/nonexistent/o.wav"])
        #expect(slow.status == 64 && slow.stderr.contains("48000"), "\(slow.stderr)")
    }
}

/// Dire Wolf's atest, when installed.
enum InteropTestsTool {
    static var atest: String? {
        ["/usr/bin/atest", "/usr/local/bin/atest"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
