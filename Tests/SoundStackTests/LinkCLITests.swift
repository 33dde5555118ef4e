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
            "--channel", "ebn0=10,seed=3", "--fec", "none", "--save-audio", dir.path, "--json"
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

    /// At 6 dB uncoded frames do not cross; with `--fec auto` the link steps up its code and
    /// delivers, and says which schemes it used; the saved audio decodes with no flag.
    @Test(.enabled(if: SoundStackBinary.isAvailable)) func theLinkCodesItsFramesWhenTheChannelIsPoor() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let run = try runCLI([
            "link", "--size", "1500", "--mss", "256", "--window", "4", "--channel", "ebn0=6,seed=3",
            "--save-audio", dir.path
        ])
        #expect(run.status == 0)
        #expect(run.stdout.contains("delivered: byte for byte identical"))
        let line = try #require(run.stdout.split(separator: "\n").first { $0.hasPrefix("FEC of the data frames:") })
        #expect(line.contains("cc") || line.contains("turbo"))
        let data = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
            $0.hasSuffix("-request-data.wav")
        }.sorted()
        let decoded = try runCLI(["decode", "--ip", "10.0.0.2"] + data.map { "\(dir.path)/\($0)" })
        #expect(decoded.stdout == String(decoding: try AcousticLink.samplePost(bodyBytes: 1500), as: UTF8.self))
        #expect(decoded.stderr.contains("bits corrected]"))
        let uncoded = try runCLI([
            "link", "--size", "1500", "--mss", "256", "--window", "4", "--channel", "ebn0=6,seed=3",
            "--fec", "none", "--max-audio", "20"
        ])
        #expect(uncoded.status == 3)
        #expect(try runCLI(["link", "--fec", "cc9/10"]).status == 64)
    }

    /// `encode --fec` and a plain `decode`: exact bytes, the scheme named per frame; a wrong
    /// scheme name and `--fec` with `--protocol` are refused.
    @Test(.enabled(if: SoundStackBinary.isAvailable)) func encodeWithFECDecodesWithNoFlag() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        for scheme in ["rs", "cc2/3", "turbo1/2"] {
            let wav = dir.path + "/coded.wav"
            let enc = try runCLI(["encode", "--fec", scheme, "--raw", "--text", "coded \(scheme)", "-o", wav])
            #expect(enc.status == 0)
            #expect(enc.stderr.contains("FEC \(scheme)"))
            let dec = try runCLI(["decode", wav])
            #expect(dec.stdout == "coded \(scheme)")
            #expect(dec.stderr.contains("[\(scheme): 0 bits corrected]"))
            let json = try runCLI(["decode", "--json", wav])
            #expect(
                json.stdout.contains("\"fec\":\"\(scheme)\""))
        }
        #expect(
            try runCLI(["encode", "--fec", "cc5/6", "--raw", "--text", "x", "-o", dir.path + "/x.wav"]).status == 64)
        let proto = try runCLI([
            "encode", "--fec", "cc1/2", "--protocol", "ax25", "--text", "N0CALL>APRS:x", "-o", dir.path + "/y.wav"
        ])
        #expect(proto.status == 64)
        #expect(proto.stderr.contains("--fx25"))
        let unchecked = try runCLI([
            "encode", "--fec", "rs", "--raw", "--no-crc", "--text", "x", "-o", dir.path + "/x.wav"
        ])
        #expect(unchecked.status == 64)
        #expect(unchecked.stderr.contains("drop --no-crc"))
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
