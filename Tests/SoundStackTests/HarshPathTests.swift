import Foundation
import TestSupport
import Testing

/// A few of the harsh paths of `scripts/bench-harsh.sh`, minimodem beside us on the same message:
/// a tape 3 % fast and 3 % slow (sox `speed`) and MP3 at 16 kbit/s. Wherever minimodem gets the
/// message through exactly, so must we; through the speed errors we must in any case.
@Suite struct HarshPathTests {
    static let tools = ["sox", "minimodem"].allSatisfy { NullSink.path($0) != nil }
    static let message = "Harsh paths: a tape at the wrong speed, and MP3 at 16 kbit/s. 0123"

    struct Case: CustomStringConvertible, Sendable {
        var mode: String
        var minimodemBaud: String
        var path: String
        var description: String { "\(mode) through \(path)" }
    }

    static let cases: [Case] = ["bell202": "1200", "bell103": "300"].sorted { $0.key < $1.key }.flatMap { mode, baud in
        ["speed 1.03", "speed 0.97", "mp3 16"].map { Case(mode: mode, minimodemBaud: baud, path: $0) }
    }

    /// `input` through the path into `output`.
    static func apply(_ path: String, _ input: String, _ output: String, dir: TemporaryDirectory) throws {
        let sox = try #require(NullSink.path("sox"))
        let parts = path.split(separator: " ").map(String.init)
        switch parts[0] {
        case "speed":
            #expect(try runProcess(sox, [input, output, "speed", parts[1]]).status == 0)
        default:  // mp3
            let mid = dir.path("coded.mp3")
            #expect(try runProcess(sox, [input, "-C", parts[1], mid]).status == 0)
            #expect(try runProcess(sox, [mid, output]).status == 0)
        }
    }

    @Test(.enabled(if: HarshPathTests.tools), arguments: HarshPathTests.cases)
    func weDecodeWhereMinimodemDoes(c: Case) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sox = try #require(NullSink.path("sox"))
        let minimodem = try #require(NullSink.path("minimodem"))
        let text = try dir.write("message.txt", Array(Self.message.utf8))

        // Ours: one raw frame, half a second of silence after it (room for the codec's delay).
        let ours = dir.path("ours.wav"), oursPadded = dir.path("ours-pad.wav"), oursOut = dir.path("ours-path.wav")
        #expect(try runCLI(["encode", "--raw", "--mode", c.mode, "-q", "-i", text, "-o", ours]).status == 0)
        #expect(try runProcess(sox, [ours, oursPadded, "pad", "0", "0.5"]).status == 0)
        try Self.apply(c.path, oursPadded, oursOut, dir: dir)
        let decoded = try runCLI(["decode", "--mode", c.mode, "-q", oursOut])
        let weDid = decoded.stdout == Self.message

        // minimodem's: its 8-N-1 bytes, the same silence around them.
        let theirs = dir.path("theirs.wav"), theirsPadded = dir.path("theirs-pad.wav")
        let theirsOut = dir.path("theirs-path.wav")
        #expect(
            try runProcess(minimodem, ["--tx", c.minimodemBaud, "-R", "48000", "-f", theirs], stdin: .file(text))
                .status == 0)
        #expect(try runProcess(sox, [theirs, theirsPadded, "pad", "0.3", "0.5"]).status == 0)
        try Self.apply(c.path, theirsPadded, theirsOut, dir: dir)
        let heard = try runProcess(minimodem, ["--rx", c.minimodemBaud, "-q", "-f", theirsOut])
        let theyDid = heard.stdout.contains(Self.message)

        if theyDid { #expect(weDid, "minimodem got \(c) through and we did not: \(decoded.stderr)") }
        if c.path.hasPrefix("speed") { #expect(weDid, "\(c): \(decoded.stderr)") }
    }
}
