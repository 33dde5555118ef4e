import ARQLink
import Foundation
import Testing

/// `soundstack link` through the built executable, and `soundstack decode` of what it saved.
@Suite struct LinkCLITests {
    @Test func linkCarriesAPostAndItsSavedAudioDecodes() throws {
        guard ProtocolCLITests.binary != nil else { return }
        let dir = try StackCLITests.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try StackCLITests.cli(["link", "--size", "1500", "--mss", "256", "--window", "4",
                                         "--channel", "ebn0=10,seed=3", "--save-audio", dir, "--json"])
        #expect(run.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        #expect(json["exact"] as? Bool == true)
        let report = try #require(json["report"] as? [String: Any])
        #expect((report["framesLost"] as? Int ?? 0) > 0)
        let data = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix("-request-data.wav") }.sorted()
        #expect(!data.isEmpty)
        // The origin's recordings together: the request, byte for byte (exit 3: some frames in them failed).
        let decoded = try StackCLITests.cli(["decode", "--ip", "10.0.0.2"] + data.map { "\(dir)/\($0)" })
        #expect(decoded.out == String(decoding: try AcousticLink.samplePost(bodyBytes: 1500), as: UTF8.self))
        #expect(decoded.err.contains("every layer's checks passed"))
    }

    @Test func sweepPrintsOneRowPerLevelAndBadInputFailsClearly() throws {
        guard ProtocolCLITests.binary != nil else { return }
        let sweep = try StackCLITests.cli(["link", "--size", "800", "--mss", "256", "--sweep", "30,-10", "--max-audio", "20"])
        #expect(sweep.status == 3)   // -10 dB gives up
        #expect(sweep.out.contains("goodput B/s"))
        #expect(sweep.out.split(separator: "\n").contains { $0.contains("30") && $0.contains("yes") })
        #expect(sweep.out.split(separator: "\n").contains { $0.contains("-10") && $0.contains("gave up") })
        for bad in [["--window", "0"], ["--mss", "9000"], ["--channel", "ebn0=x"], ["--sweep", "a,b"], ["--rto", "-1"],
                    ["--mode", "nosuch"], ["--size", "3"]] {
            let r = try StackCLITests.cli(["link"] + bad)
            #expect(r.status != 0 && r.status != 3, "\(bad)")
            #expect(r.err.contains("Error") || r.err.contains("error"), "\(bad)")
        }
    }
}
