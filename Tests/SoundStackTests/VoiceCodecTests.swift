import Foundation
import SignalBasics
import TestSupport
import Testing

/// The codec-safe modes through real speech codecs: sox's GSM 06.10 and AMR-NB encoders and
/// Debian's opus-tools, as a phone call or a VoIP app would code them. Each frame carries
/// 64 bytes; every one must come back exactly, and `voice` must carry ≥ 300 bit/s of payload.
/// (`scripts/bench-harsh.sh` runs 1000 frames of each.)
@Suite struct VoiceCodecTests {
    static let sox = NullSink.path("sox")
    static let opus = NullSink.path("opusenc") != nil && NullSink.path("opusdec") != nil

    struct Codec: CustomStringConvertible, Sendable {
        var name: String
        var mode: String
        var frames: Int
        var description: String { "\(mode) through \(name)" }
    }

    /// Sends `frames` 64-byte frames in `mode`, codes the audio with `codec` and decodes it:
    /// the frames delivered exactly, and the payload bit rate of the recording.
    static func roundTrip(_ c: Codec) throws -> (exact: Int, bitsPerSecond: Double) {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var rng = SeededGenerator(seed: 15)
        let payload = rng.bytes(64 * c.frames)
        let input = try dir.write("payload.bin", payload)
        let clean = dir.path("clean.wav"), coded = dir.path("coded.wav")
        let enc = try runCLI(["encode", "--raw", "--frame-size", "64", "--mode", c.mode, "-q", "-i", input, "-o", clean]
        )
        #expect(enc.status == 0, "\(enc.stderr)")
        let sox = try #require(Self.sox)
        switch c.name {
        case "gsm":
            let mid = dir.path("x.gsm")
            _ = try runProcess(sox, [clean, "-r", "8000", "-t", "gsm", mid])
            _ = try runProcess(sox, [mid, "-e", "signed", "-b", "16", coded])
        case "amr-nb 12.2":
            let mid = dir.path("x.amr")
            _ = try runProcess(sox, [clean, "-r", "8000", "-C", "7", "-t", "amr-nb", mid])
            _ = try runProcess(sox, [mid, "-e", "signed", "-b", "16", coded])
        default:  // "opus N"
            let rate = String(c.name.dropFirst(5))
            let mid = dir.path("x.opus")
            _ = try runProcess(try #require(NullSink.path("opusenc")), ["--quiet", "--bitrate", rate, clean, mid])
            _ = try runProcess(try #require(NullSink.path("opusdec")), ["--quiet", "--rate", "8000", mid, coded])
        }
        let seconds =
            Double(try runProcess(sox, ["--i", "-D", clean]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            ?? 0
        // Exit status 3 when no frame is good: counted below, not checked here.
        let dec = try runCLI(["decode", "--mode", c.mode, "--json", coded])
        // Each frame sent, found among those delivered.
        var sent = Set(
            (0..<c.frames).map { k in payload[(k * 64)..<((k + 1) * 64)].map { String(format: "%02x", $0) }.joined() })
        for line in dec.stdout.split(separator: "\n") {
            guard let data = line.data(using: .utf8),
                let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                json["status"] as? String == "ok", let hex = json["hex"] as? String
            else { continue }
            sent.remove(hex)
        }
        return (c.frames - sent.count, Double(8 * payload.count) / seconds)
    }

    @Test(
        .enabled(if: VoiceCodecTests.sox != nil),
        arguments: [
            Codec(name: "gsm", mode: "voice", frames: 25), Codec(name: "amr-nb 12.2", mode: "voice", frames: 25)
        ])
    func voiceThroughAPhoneCodec(codec: Codec) throws {
        let (exact, rate) = try Self.roundTrip(codec)
        #expect(exact == codec.frames, "\(exact) of \(codec.frames)")
        #expect(rate >= 300, "\(rate) bit/s")
    }

    @Test(
        .enabled(if: VoiceCodecTests.sox != nil && VoiceCodecTests.opus),
        arguments: [
            Codec(name: "opus 6", mode: "voice-slow", frames: 3), Codec(name: "opus 12", mode: "voice-slow", frames: 3)
        ])
    func voiceSlowThroughOpus(codec: Codec) throws {
        let (exact, rate) = try Self.roundTrip(codec)
        #expect(exact == codec.frames, "\(exact) of \(codec.frames)")
        #expect(rate >= 50, "\(rate) bit/s")
    }

    /// What voice-slow is for: voice itself does not survive Opus's speech coder.
    @Test(.enabled(if: VoiceCodecTests.sox != nil && VoiceCodecTests.opus))
    func voiceAloneDoesNotSurviveOpus() throws {
        let (exact, _) = try Self.roundTrip(Codec(name: "opus 12", mode: "voice", frames: 3))
        #expect(exact < 3)
    }
}
