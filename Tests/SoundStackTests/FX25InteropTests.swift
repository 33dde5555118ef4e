import AudioIO
import Foundation
import Framings
import L1Physical
import TestSupport
import Testing

/// FX.25 against Dire Wolf: its audio through our receiver, ours through atest.
@Suite struct FX25InteropTests {
    static let lines = InteropTests.lines

    /// atest recognises our blocks as FX.25 (`-d x` reports each FEC decode) and decodes every frame.
    @Test(.enabled(if: InteropTests.tool("atest") != nil), arguments: [16, 32, 64])
    func atestDecodesOurFX25(parity: Int) throws {
        let atest = try #require(InteropTests.tool("atest"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        try AudioFile.write(
            ProtocolTransmitter.fx25(frames, parityCount: parity, sampleRate: 44100), sampleRate: 44100,
            to: "\(dir.path)/ours.wav")
        let run = try runProcess(atest, ["-d", "x", "\(dir.path)/ours.wav"])
        let out = run.stdout + run.stderr
        #expect(out.contains("3 packets decoded"), "\(out)")
        #expect(out.components(separatedBy: "FEC complete").count - 1 == 3, "\(out)")
        #expect(out.contains("Expecting") && out.contains("\(parity) check bytes"), "\(out)")
        for l in Self.lines { #expect(out.contains(l), "\(l)") }
    }

    /// gen_packets' FX.25 frames come out of `ProtocolReceiver` (without any FX.25 option).
    @Test(.enabled(if: InteropTests.tool("gen_packets") != nil), arguments: [16, 32, 64])
    func weDecodeGenPacketsFX25(parity: Int) throws {
        let gen = try #require(InteropTests.tool("gen_packets"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try (Self.lines.joined(separator: "\n") + "\n").write(
            toFile: "\(dir.path)/in.txt", atomically: true, encoding: .utf8)
        _ = try runProcess(gen, ["-X", "\(parity)", "-r", "48000", "-o", "\(dir.path)/gen.wav", "\(dir.path)/in.txt"])
        let (samples, rate) = try AudioFile.read(path: "\(dir.path)/gen.wav")
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25]).map(\.text)
        #expect(got == Self.lines.map { $0 + "<0x0a>" })
    }

    /// Dire Wolf's noise ramp sent as FX.25 (`gen_packets -X 32 -n 100 -r 48000`): the frames only
    /// the Reed–Solomon code recovered come on top of those plain AX.25 decodes (here 100 of 100:
    /// 82 plain, 18 only by FX.25; atest: 83; the goal of issue 19: ≥ 95). By hand, -X 16: 97
    /// (atest 78), -X 64: 100 (atest 83).
    @Test(.enabled(if: InteropTests.tool("gen_packets") != nil)) func noiseRampFX25() throws {
        let gen = try #require(InteropTests.tool("gen_packets"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try runProcess(gen, ["-X", "32", "-n", "100", "-r", "48000", "-o", "\(dir.path)/ramp.wav"])
        let (samples, rate) = try AudioFile.read(path: "\(dir.path)/ramp.wav")
        let got = ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25])
        let plain = got.filter { $0.status == .ok }.count, fx = got.filter { $0.status == .fx25 }.count
        print("gen_packets -X 32 -n 100 ramp: \(got.count) decoded, \(plain) as plain AX.25, \(fx) only by FX.25")
        #expect(Set(got.map(\.bytes)).count == got.count)
        #expect(got.count >= 95, "decoded \(got.count) of 100 (plain \(plain), FX.25 \(fx))")
    }
}
