import AudioIO
import Foundation
import SignalBasics
import TestSupport
import Testing

// `decode --keep-bad` through the built binary: exactly the message's bytes, damaged only where
// a frame was damaged, never a fragment header or padding.

@Suite("decode --keep-bad writes message bytes only", .serialized)
struct KeepBadTests {
    /// 2000 bytes in four Ethernet frames of 500 data bytes each (508-byte payloads).
    static let fragmentData = 500
    static let message: [UInt8] = {
        var rng = SeededGenerator(seed: 11)
        return (0..<2000).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }()

    /// Encodes ``message`` to `dir/clean.wav` and returns its path.
    static func encode(in dir: TemporaryDirectory) throws -> String {
        let input = try dir.write("message.bin", message)
        let wav = dir.path("clean.wav")
        let run = try CLI.run([
            "encode", "-q", "--mode", "mfsk4-6000", "--frame-size", "\(fragmentData + 8)", "--input", input,
            "--output", wav
        ])
        try #require(run.status == 0, "encode: \(run.stderr)")
        return wav
    }

    /// Each frame's start and end in seconds, from `decode --json`.
    static func frameTimes(_ wav: String) throws -> [(start: Double, end: Double)] {
        let run = try CLI.run(["decode", "-q", "--json", "--mode", "mfsk4-6000", wav])
        try #require(run.status == 0, "decode --json: \(run.stderr)")
        return try run.stdout.split(separator: "\n").map { line in
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (try #require(object["start"] as? Double), try #require(object["end"] as? Double))
        }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func cleanDecodeIsByteIdentical() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let wav = try Self.encode(in: dir)
        let plain = try CLI.run(["decode", "-q", "--mode", "mfsk4-6000", wav])
        let kept = try CLI.run(["decode", "-q", "--keep-bad", "--mode", "mfsk4-6000", wav])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(kept.stdoutBytes == Self.message)
        #expect(plain.stdoutBytes == Self.message)
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func damagedFrameIsInPlaceAndNothingElseDiffers() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let wav = try Self.encode(in: dir)
        let times = try Self.frameTimes(wav)
        try #require(times.count == 4)
        // Silence 2 ms in the middle of the second frame: well inside its message data.
        let (samples, rate) = try AudioFile.read(path: wav)
        var damaged = samples
        let middle = Int((times[1].start + times[1].end) / 2 * Double(rate))
        for i in middle..<(middle + rate / 500) { damaged[i] = 0 }
        let noisy = dir.path("damaged.wav")
        try AudioFile.write(damaged, sampleRate: rate, to: noisy)

        let plain = try CLI.run(["decode", "--mode", "mfsk4-6000", noisy])
        #expect(plain.status == 3, "\(plain.stderr)")
        #expect(plain.stdoutBytes.isEmpty, "an incomplete message is not written without --keep-bad")

        let kept = try CLI.run(["decode", "--keep-bad", "--mode", "mfsk4-6000", noisy])
        #expect(kept.status == 3, "\(kept.stderr)")
        #expect(kept.stderr.contains("kept damaged"), "\(kept.stderr)")
        let out = kept.stdoutBytes
        #expect(out.count == Self.message.count)
        let differ = zip(out, Self.message).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        let frame = Self.fragmentData..<(2 * Self.fragmentData)
        #expect(!differ.isEmpty)
        #expect(differ.allSatisfy { frame.contains($0) }, "differences outside frame 2: \(differ)")
    }
}
