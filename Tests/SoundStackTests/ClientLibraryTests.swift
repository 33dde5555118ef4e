import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

// The PulseAudio client library is loaded when a sound card is first used (dlopen), not at
// start: hidden from a run (in a mount namespace of its own, /dev/null bound over the file),
// the sound-card commands say what is missing and fail, and the rest of the tool runs.

@Suite("Sound cards without the PulseAudio client library")
struct ClientLibraryTests {
    /// Where the loader finds libpulse-simple.so.0 (`ldconfig -p`), if it does.
    static let library: String? = {
        guard let run = try? runProcess("/sbin/ldconfig", ["-p"], timeLimit: 30), run.status == 0 else { return nil }
        for line in run.stdout.split(separator: "\n") where line.contains("libpulse-simple.so.0 ") {
            if let arrow = line.range(of: "=> ") { return String(line[arrow.upperBound...]) }
        }
        return nil
    }()

    /// Whether a run can be given a mount namespace of its own (root, and `unshare` allowed).
    static let canHide: Bool =
        geteuid() == 0 && library != nil
        && (try? runProcess("/usr/bin/unshare", ["-m", "true"], timeLimit: 30))?.status == 0

    /// `arguments` to the built `soundstack`, with the library hidden.
    func runWithoutLibrary(_ arguments: [String]) throws -> CLIRun {
        let binary = try #require(SoundStackBinary.path)
        let library = try #require(Self.library)
        let script = #"mount --bind /dev/null "$1" && shift && exec "$@""#
        return try runProcess(
            "/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, "sh", library, binary] + arguments, timeLimit: 60)
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable && canHide, "needs the binary, root, unshare and libpulse"))
    func soundCardCommandsSaySoAndTheRestRuns() throws {
        let devices = try runWithoutLibrary(["devices"])
        #expect(devices.status == 1)
        #expect(
            devices.stderr.contains("cannot use sound cards: the PulseAudio client library"), "\(devices.stderr)")
        let played = try runWithoutLibrary(["encode", "--text", "no sound card", "--play", "default"])
        #expect(played.status == 1)
        #expect(played.stderr.contains("cannot use sound cards"), "\(played.stderr)")

        let dir = try TemporaryDirectory(prefix: "soundstack-nolib")
        defer { dir.remove() }
        let wav = dir.path("message.wav")
        let encoded = try runWithoutLibrary(["encode", "--text", "files need no sound card", "-o", wav])
        #expect(encoded.status == 0, "\(encoded.stderr)")
        let decoded = try runWithoutLibrary(["decode", wav])
        #expect(decoded.status == 0, "\(decoded.stderr)")
        #expect(decoded.stdout.contains("files need no sound card"))
    }
}
