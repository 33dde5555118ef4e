import AudioIO
import Foundation
import Framings
import L1Physical
import L2DataLink
import TestSupport
import Testing

@testable import SoundStack

/// Our audio through the real peers (Dire Wolf's atest, multimon-ng, minimodem) and theirs through us.
@Suite struct InteropTests {
    static func tool(_ name: String) -> String? {
        ["/usr/bin/\(name)", "/usr/local/bin/\(name)"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let lines = [
        "N0CALL>APRS,WIDE1-1,WIDE2-1:!4903.50N/07201.75W-Test 1",
        "N0CALL-7>APZ001:>status with 0123456789",
        "K1ABC-15>CQ,RELAY*,WIDE2-1::N0CALL   :hello{42"
    ]

    @Test(.enabled(if: InteropTests.tool("atest") != nil)) func atestDecodesOurAX25() throws {
        let atest = try #require(Self.tool("atest"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        try AudioFile.write(
            ProtocolTransmitter.ax25(frames, sampleRate: 44100), sampleRate: 44100, to: "\(dir.path)/ours.wav")
        let run = try runProcess(atest, ["\(dir.path)/ours.wav"])
        let out = run.stdout + run.stderr
        #expect(out.contains("3 packets decoded"), "\(out)")
        for l in Self.lines { #expect(out.contains(l), "\(l)") }
    }

    @Test(.enabled(if: InteropTests.tool("multimon-ng") != nil && InteropTests.tool("sox") != nil))
    func multimonDecodesOurAX25() throws {
        let mm = try #require(Self.tool("multimon-ng"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        try AudioFile.write(
            ProtocolTransmitter.ax25(frames, sampleRate: 22050), sampleRate: 22050, to: "\(dir.path)/ours.wav")
        let out = try runProcess(mm, ["-q", "-a", "AFSK1200", "-A", "-t", "wav", "\(dir.path)/ours.wav"]).stdout
        let got = out.split(separator: "\n").filter { $0.hasPrefix("APRS: ") }.map { String($0.dropFirst(6)) }
        #expect(got.count == 3, "\(out)")
        #expect(got.contains { $0.hasPrefix("N0CALL>APRS,WIDE1-1,WIDE2-1:!4903.50N") }, "\(out)")
    }

    @Test(.enabled(if: InteropTests.tool("gen_packets") != nil)) func weDecodeGenPackets() throws {
        let gen = try #require(Self.tool("gen_packets"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try (Self.lines.joined(separator: "\n") + "\n").write(
            toFile: "\(dir.path)/in.txt", atomically: true, encoding: .utf8)
        _ = try runProcess(gen, ["-r", "48000", "-o", "\(dir.path)/gen.wav", "\(dir.path)/in.txt"])
        let (samples, rate) = try AudioFile.read(path: "\(dir.path)/gen.wav")
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25]).map(\.text)
        // gen_packets keeps each input line's newline in the information field.
        #expect(got == Self.lines.map { $0 + "<0x0a>" })
    }

    /// Dire Wolf's regression signal: 100 frames with rising noise. atest (no bit fixing) gets 66–72.
    @Test(.enabled(if: InteropTests.tool("gen_packets") != nil)) func test12HundredFramesWithRisingNoise() throws {
        let gen = try #require(Self.tool("gen_packets"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try runProcess(gen, ["-n", "100", "-o", "\(dir.path)/test12.wav"])
        let (samples, rate) = try AudioFile.read(path: "\(dir.path)/test12.wav")
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25])
        AX25BaudInteropTests.expectGoodOrCombined(got)
        #expect(got.count >= 82, "decoded \(got.count) of 100 (atest: 66–72, goal ≥ 78)")
    }

    static let text = "The quick brown fox jumps over the lazy dog 0123456789!\n"

    @Test(.enabled(if: InteropTests.tool("minimodem") != nil), arguments: [1200.0, 300.0])
    func minimodemDecodesOurUART(baud: Double) throws {
        let mm = try #require(Self.tool("minimodem"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sig: FSKSignalling = baud == 300 ? .bell103 : .bell202
        try AudioFile.write(
            ProtocolTransmitter.uart(Array(Self.text.utf8), signalling: sig, sampleRate: 48000),
            sampleRate: 48000, to: "\(dir.path)/ours.wav")
        let out = try runProcess(mm, ["--rx", "-q", "-f", "\(dir.path)/ours.wav", String(Int(baud))]).stdout
        #expect(out == Self.text)
    }

    @Test(.enabled(if: InteropTests.tool("minimodem") != nil), arguments: [1200.0, 300.0])
    func weDecodeMinimodemUART(baud: Double) throws {
        let mm = try #require(Self.tool("minimodem"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try runProcess(
            mm, ["--tx", "-q", "-f", "\(dir.path)/mm.wav", String(Int(baud))], stdin: .bytes(Array(Self.text.utf8)))
        let (samples, rate) = try AudioFile.read(path: "\(dir.path)/mm.wav")
        let sig: FSKSignalling = baud == 300 ? .bell103 : .bell202
        let got = ProtocolReceiver.decode(
            samples, sampleRate: Double(rate), protocols: [.uart],
            options: ProtocolReceiverOptions(signalling: sig))
        #expect(got.flatMap(\.bytes) == Array(Self.text.utf8))
    }
}
