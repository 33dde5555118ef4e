import AudioIO
import Foundation
import Framings
import L1Physical
import TestSupport
import Testing

/// AX.25 at 300 and 9600 Bd against Dire Wolf: our audio through `atest -B`, `gen_packets -B`
/// audio through us, and `--baud` on the command line.
@Suite struct AX25BaudInteropTests {
    static let lines = InteropTests.lines

    /// The count in atest's "N packets decoded in …" line.
    static func atestCount(_ output: String) -> Int? {
        for line in output.split(separator: "\n") where line.contains("packets decoded in") {
            return line.split(separator: " ").first.flatMap { Int($0) }
        }
        return nil
    }

    @Test(.enabled(if: InteropTests.tool("atest") != nil), arguments: [300, 9600])
    func atestDecodesOurFrames(baud: Int) throws {
        let atest = try #require(InteropTests.tool("atest"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let frames = try Self.lines.map { try AX25Frame(tnc2: $0) }
        let modem = try #require(AX25Modem(baud: baud))
        try AudioFile.write(
            ProtocolTransmitter.ax25(frames, modem: modem, sampleRate: 48000), sampleRate: 48000,
            to: "\(dir.path)/ours.wav")
        let run = try runProcess(atest, ["-B", "\(baud)", "\(dir.path)/ours.wav"], timeLimit: 60)
        let out = run.stdout + run.stderr
        #expect(Self.atestCount(out) == 3, "\(out)")
        for l in Self.lines { #expect(out.contains(l), "\(l)") }
    }

    /// Dire Wolf's ramp, `gen_packets -B baud -n 100 -r rate`, decoded by us (with `repair`, as
    /// `--fix-bits`) and counted by atest (with `repair`, `-F 1`, its single-bit fixing).
    static func ramp(baud: Int, rate sampleRate: Int, repair: Bool) throws -> (ours: [ProtocolMessage], theirs: Int) {
        let gen = try #require(InteropTests.tool("gen_packets"))
        let atest = try #require(InteropTests.tool("atest"))
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let wav = "\(dir.path)/gen\(baud).wav"
        _ = try runProcess(gen, ["-B", "\(baud)", "-n", "100", "-r", "\(sampleRate)", "-o", wav], timeLimit: 60)
        let fix = repair ? ["-F", "1"] : []
        let theirs = try #require(
            Self.atestCount(try runProcess(atest, ["-B", "\(baud)"] + fix + [wav], timeLimit: 120).stdout))
        let (samples, rate) = try AudioFile.read(path: wav)
        var options = ProtocolReceiverOptions()
        options.select(try #require(AX25Modem(baud: baud)))
        options.repairBits = repair
        return (
            ProtocolReceiver.decode(samples, sampleRate: Double(rate), protocols: [.ax25], options: options), theirs
        )
    }

    /// `gen_packets -B 300|9600 -n 100 -r 48000|44100`: 100 frames with rising noise. We decode at
    /// least as many as atest on the same file, and at least what the README cites (its AX.25 section).
    /// Some come from two slicers' failed copies combined, each a frame gen_packets sent.
    @Test(
        .enabled(if: InteropTests.tool("gen_packets") != nil && InteropTests.tool("atest") != nil),
        arguments: [(300, 48000, 82), (9600, 48000, 75), (300, 44100, 81), (9600, 44100, 66)])
    func genPacketsHundredFramesWithRisingNoise(baud: Int, rate sampleRate: Int, atLeast: Int) throws {
        let (got, theirs) = try Self.ramp(baud: baud, rate: sampleRate, repair: false)
        Self.expectGoodOrCombined(got)
        #expect(got.count >= theirs, "\(baud) Bd, \(sampleRate) Hz: we decode \(got.count) of 100, atest \(theirs)")
        #expect(got.count >= atLeast, "\(baud) Bd, \(sampleRate) Hz: we decode \(got.count) of 100")
    }

    /// Frames of a gen_packets ramp: each as received or combined from slicers' failed copies
    /// (some are), every combined one a frame gen_packets sent, none twice.
    static func expectGoodOrCombined(_ got: [ProtocolMessage]) {
        #expect(got.allSatisfy { $0.status == .ok || $0.status == .combined })
        #expect(got.contains { $0.status == .combined })
        for message in got where message.status == .combined {
            let text = String(decoding: message.bytes, as: UTF8.self)
            #expect(text.contains("The quick brown fox jumps over the lazy dog!"), "\(text)")
        }
        #expect(Set(got.map(\.bytes)).count == got.count)
    }

    /// The same ramp at 9600 Bd with `--fix-bits` (line-bit repair through the descrambler),
    /// against atest's own `-F 1` (single-bit fixing): more frames than it, at least what the
    /// README cites, and each repaired one a frame gen_packets sent.
    @Test(
        .enabled(if: InteropTests.tool("gen_packets") != nil && InteropTests.tool("atest") != nil),
        arguments: [(48000, 75), (44100, 67)])
    func nineSixHundredWithRepair(rate sampleRate: Int, atLeast: Int) throws {
        let (got, theirs) = try Self.ramp(baud: 9600, rate: sampleRate, repair: true)
        #expect(got.contains { $0.status == .repaired })
        for message in got {
            let text = String(decoding: message.bytes, as: UTF8.self)
            #expect(text.contains("The quick brown fox jumps over the lazy dog!"), "\(text)")
        }
        #expect(Set(got.map(\.bytes)).count == got.count)
        #expect(got.count > theirs, "\(sampleRate) Hz: we decode \(got.count) of 100, atest -F 1 \(theirs)")
        #expect(got.count >= atLeast, "\(sampleRate) Hz: we decode \(got.count) of 100")
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable)) func baudOnTheCommandLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = "N0CALL>APRS,WIDE1-1:hello"
        for baud in ["300", "1200", "9600"] {
            let wav = dir.path("b\(baud).wav")
            let enc = try runCLI(["encode", "--protocol", "ax25", "--baud", baud, "--text", text, "-o", wav])
            #expect(enc.status == 0, "\(enc.stderr)")
            let dec = try runCLI(["decode", "--protocol", "ax25", "--baud", baud, wav])
            #expect(dec.status == 0 && dec.stdout == text + "\n", "\(baud): \(dec.stderr)")
        }
        let low = try runCLI(
            [
                "encode", "--protocol", "ax25", "--baud", "9600", "--rate", "44100", "--text", text, "-o",
                dir.path("l.wav")
            ])
        #expect(low.status != 0 && low.stderr.contains("48000"), "\(low.stderr)")
        let odd = try runCLI(["encode", "--protocol", "ax25", "--baud", "2400", "--text", text, "-o", dir.path("o.wav")]
        )
        #expect(odd.status != 0 && odd.stderr.contains("300"), "\(odd.stderr)")
        // A 9600 Bd signal is not heard by the default 1200 Bd receiver.
        #expect(try runCLI(["decode", "--protocol", "ax25", dir.path("b9600.wav")]).status == 2)
    }
}
