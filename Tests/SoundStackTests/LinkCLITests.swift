import ARQLink
import Foundation
import TestSupport
import Testing

/// `soundstack link` through the built executable, and `soundstack decode` of what it saved.
@Suite struct LinkCLITests {
    @Test(.enabled(if: SoundStackBinary.isAvailable)) func linkCarriesAPostAndItsSavedAudioDecodes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try runCLI([
            "link", "--size", "1500", "--mss", "256", "--window", "4",
            "--channel", "ebn0=10,seed=3", "--save-audio", dir.path, "--json"
        ])
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(json["exact"] as? Bool == true)
        let report = try #require(json["report"] as? [String: Any])
        #expect((report["framesLost"] as? Int ?? 0) > 0)
        let data = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasSuffix("-request-data.wav")
        }.sorted()
        #expect(!data.isEmpty)
        // The origin's recordings together: the request, byte for byte (exit 3: some frames in them failed).
        let decoded = try runCLI(["decode", "--ip", "10.0.0.2"] + data.map { "\(dir.path)/\($0)" })
        #expect(decoded.stdout == String(decoding: try AcousticLink.samplePost(bodyBytes: 1500), as: UTF8.self))
        #expect(decoded.stderr.contains("every layer's checks passed"))
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable)) func sweepPrintsOneRowPerLevelAndBadInputFailsClearly() throws {
        let sweep = try runCLI(["link", "--size", "800", "--mss", "256", "--sweep", "30,-10", "--max-audio", "20"])
        #expect(sweep.status == 3)  // -10 dB gives up
        #expect(sweep.stdout.contains("goodput B/s"))
        #expect(sweep.stdout.split(separator: "\n").contains { $0.contains("30") && $0.contains("yes") })
        #expect(sweep.stdout.split(separator: "\n").contains { $0.contains("-10") && $0.contains("gave up") })
        for bad in [
            ["--window", "0"], ["--mss", "9000"], ["--channel", "ebn0=x"], ["--sweep", "a,b"], ["--rto", "-1"],
            ["--mode", "nosuch"], ["--size", "3"]
        ] {
            let r = try runCLI(["link"] + bad)
            #expect(r.status != 0 && r.status != 3, "\(bad)")
            #expect(r.stderr.contains("Error") || r.stderr.contains("error"), "\(bad)")
        }
    }
}
