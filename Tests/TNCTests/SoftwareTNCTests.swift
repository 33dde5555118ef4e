import AudioIO
import Foundation
import Framings
import L1Physical
import TNC
import TestSupport
import Testing

/// The TNC in this process, KISS over TCP on 127.0.0.1 with a port the system picks.
@Suite(.serialized) struct SoftwareTNCTests {
    static let recording = "aprs/satrec_ao27.wav"

    static func configuration(record: String? = nil, play: String? = nil) -> TNCConfiguration {
        var c = TNCConfiguration()
        c.kissPort = 0
        c.record = record
        c.play = play
        c.seed = 7
        return c
    }

    static let line = "N0CALL-7>APRS,WIDE1-1:>hello from a KISS client 0123456789"

    @Test(.enabled(if: Corpus.exists(recording), "needs ../shared/corpus"))
    func twoClientsBothReceiveEveryFrameOfARecording() throws {
        var c = Self.configuration(record: Corpus.path(Self.recording))
        c.waitForClients = 2
        let tnc = try SoftwareTNC.start(c)
        defer { try? tnc.stop() }
        let a = try KISSTestClient(port: tnc.kissPort)
        let b = try KISSTestClient(port: tnc.kissPort)
        let expected = try Corpus.frames(Self.recording)
        #expect(expected.count == 3)
        for client in [a, b] {
            let frames = client.frames(expected.count)
            #expect(frames.map(\.payload) == expected)
            #expect(frames.allSatisfy { $0.port == 0 && $0.command == .data })
        }
        #expect(eventually { tnc.inputFinished })
        #expect(tnc.framesReceived == expected.count)
        // The end of the input does not end the TNC: a third client is still served.
        let late = try KISSTestClient(port: tnc.kissPort)
        #expect(eventually { tnc.clientCount == 3 })
        #expect(late.isOpen)
    }

    @Test func aClientsFrameComesOutInTheAudioAndDecodesBackByteExact() throws {
        let dir = try TemporaryDirectory()
        let out = dir.path("out.wav")
        let tnc = try SoftwareTNC.start(Self.configuration(play: out))
        let frame = try AX25Frame(tnc2: Self.line)
        let client = try KISSTestClient(port: tnc.kissPort)
        try client.send(KISSFrame(command: .data, payload: frame.bytes))
        #expect(eventually { tnc.framesSent == 1 })
        #expect(!FileManager.default.fileExists(atPath: out), "renamed into place only at the end")
        try tnc.stop()
        let (samples, rate) = try AudioFile.read(path: out)
        #expect(rate == 48000)
        let decoded = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25])
        #expect(decoded.map(\.bytes) == [frame.bytes])
        #expect(decoded.first?.text == Self.line)
    }

    /// FX.25 passes through the TNC like any other frame: a recording of FX.25 transmissions
    /// whose plain AX.25 reading is broken (bytes of each block flipped, which the Reed–Solomon
    /// code repairs) reaches the client as the AX.25 frames that were sent.
    @Test func fx25FramesReachTheClient() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("fx25.wav")
        let frames = try (0..<3).map { try AX25Frame(tnc2: "N0CALL-\($0 + 1)>APRS:>FX.25 through the TNC \($0)") }
        var samples = [Float](repeating: 0, count: 4800)
        for frame in frames {
            var bits = try FX25.lineBits([frame.bytes], parityCount: 32, preambleFlags: 40, postambleFlags: 3)
            // Flip a run of line levels inside the block: the frame's FCS fails, RS still corrects it.
            let start = 40 * 8 + 64 + 120
            for i in start..<(start + 24) { bits[i].toggle() }
            samples += FSKBitModulator.render(bits, signalling: .bell202, sampleRate: 48000, amplitude: 0.5)
            samples += [Float](repeating: 0, count: 12000)
        }
        try AudioFile.write(samples, sampleRate: 48000, to: path)
        // Only the FX.25 path can read these frames.
        let direct = ProtocolReceiver.decode(samples, sampleRate: 48000, protocols: [.ax25])
        #expect(direct.map(\.bytes) == frames.map(\.bytes))
        #expect(direct.allSatisfy { $0.status == .fx25 }, "\(direct.map(\.status))")
        var c = Self.configuration(record: path)
        c.waitForClients = 1
        let tnc = try SoftwareTNC.start(c)
        defer { try? tnc.stop() }
        let client = try KISSTestClient(port: tnc.kissPort)
        let received = client.frames(frames.count)
        #expect(received.map(\.payload) == frames.map(\.bytes))
    }

    @Test func malformedKISSIsLoggedAndTheClientStaysConnected() throws {
        let dir = try TemporaryDirectory()
        let lines = LogLines()
        let tnc = try SoftwareTNC.start(Self.configuration(play: dir.path("out.wav")), log: lines.log)
        defer { try? tnc.stop() }
        let client = try KISSTestClient(port: tnc.kissPort)
        let frame = try AX25Frame(tnc2: Self.line)
        // Bytes before any FEND, a bad escape, a data frame that is not AX.25, then a good frame.
        try client.send([0x41, 0x42, 0xC0, 0x00, 0x01, 0xDB, 0x99, 0x02, 0xC0])
        try client.send(KISSFrame(command: .data, payload: [0x01, 0x02, 0x03]))
        try client.send(KISSFrame(command: .data, payload: frame.bytes))
        #expect(eventually { tnc.framesSent == 1 })
        #expect(lines.contains("outside any frame"), "\(lines.all)")
        #expect(lines.contains("FESC followed by 0x99"), "\(lines.all)")
        #expect(lines.contains("is not AX.25"), "\(lines.all)")
        #expect(client.isOpen)
        #expect(tnc.clientCount == 1)
    }

    /// TXDELAY 100 (1 s of flags) instead of the default 30 makes the transmission 0.7 s longer;
    /// the other parameters are stored per port; SETHARDWARE and exit KISS change nothing.
    @Test func parameterCommandsAreStoredPerPortAndTXDELAYLengthensTheOutput() throws {
        let dir = try TemporaryDirectory()
        let frame = try AX25Frame(tnc2: Self.line)
        func transmit(_ commands: [KISSFrame], to path: String) throws -> (Int, SoftwareTNC) {
            let tnc = try SoftwareTNC.start(Self.configuration(play: path))
            let client = try KISSTestClient(port: tnc.kissPort)
            for c in commands { try client.send(c) }
            try client.send(KISSFrame(command: .data, payload: frame.bytes))
            #expect(eventually { tnc.framesSent == 1 })
            try tnc.stop()
            let (samples, rate) = try AudioFile.read(path: path)
            #expect(ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25]).count == 1)
            return (samples.count, tnc)
        }
        let (plain, _) = try transmit([], to: dir.path("plain.wav"))
        let (longer, tnc) = try transmit(
            [
                KISSFrame(command: .txDelay, payload: [100]), KISSFrame(command: .persistence, payload: [255]),
                KISSFrame(command: .slotTime, payload: [5]), KISSFrame(command: .txTail, payload: [10]),
                KISSFrame(command: .fullDuplex, payload: [0]), KISSFrame(port: 1, command: .txDelay, payload: [7]),
                KISSFrame(command: .setHardware, payload: Array("TNC:".utf8)), KISSFrame(command: .exitKISS)
            ], to: dir.path("long.wav"))
        // 0.7 s more of flags: 105 flags of 8 bits at 1200 bit/s, 48000 samples/s.
        let extra = Double(longer - plain) / 48000
        #expect(abs(extra - 0.7) < 0.01, "\(extra) s longer")
        let port0 = tnc.parameters(port: 0)
        #expect(port0.txDelay == 100 && port0.persistence == 255 && port0.slotTime == 5)
        #expect(port0.txTail == 10 && !port0.fullDuplex)
        #expect(tnc.parameters(port: 1).txDelay == 7)
        #expect(tnc.parameters(port: 2).txDelay == KISSPortParameters().txDelay)
    }

    @Test func oneClientOverTheMaximumIsRefused() throws {
        var c = Self.configuration()
        c.maxClients = 1
        let lines = LogLines()
        let tnc = try SoftwareTNC.start(c, log: lines.log)
        defer { try? tnc.stop() }
        let first = try KISSTestClient(port: tnc.kissPort)
        #expect(eventually { tnc.clientCount == 1 })
        let second = try KISSTestClient(port: tnc.kissPort)
        #expect(eventually { !second.isOpen })
        #expect(first.isOpen)
        #expect(lines.contains("refused"))
    }

    @Test func aPortInUseIsAnError() throws {
        let first = try SoftwareTNC.start(Self.configuration())
        defer { try? first.stop() }
        var c = Self.configuration()
        c.kissPort = first.kissPort
        #expect(throws: TNCError.self) { try SoftwareTNC.start(c) }
    }
}
