import ArgumentParser
import Foundation
import TestSupport
import Testing

@testable import soundstack

/// `soundstack plot`: without `--kind` it draws the demodulator's view.
@Suite("soundstack plot")
struct PlotCLITests {
    @Test func kindDefaultsToTheDemodulatorView() throws {
        let plot = try SoundStackCommand.Plot.parse(["rec.wav", "-o", "x.png"])
        #expect(plot.kind == .demod)
        #expect(throws: (any Error).self) { try SoundStackCommand.Plot.parse(["-o", "x.png"]) }
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable, "needs the built soundstack"))
    func withoutKindTheSamePictureAsKindDemod() throws {
        let dir = try TemporaryDirectory()
        let wav = dir.path + "/rec.wav"
        let encoded = try CLI.run([
            "encode", "-q", "--mode", "fsk1200", "--rate", "16000", "--text", "plot me",
            "-o", wav
        ])
        try #require(encoded.status == 0, "encode: \(encoded.stderr)")
        let plain = try CLI.run(["plot", wav, "--mode", "fsk1200", "-o", dir.path + "/plain.png"])
        let demod = try CLI.run(["plot", wav, "--mode", "fsk1200", "--kind", "demod", "-o", dir.path + "/demod.png"])
        #expect(plain.status == 0 && demod.status == 0, "\(plain.stderr) / \(demod.stderr)")
        #expect(plain.stderr.contains("plain.png: demod,"), "stderr: \(plain.stderr)")
        let a = try #require(FileManager.default.contents(atPath: dir.path + "/plain.png"))
        let b = try #require(FileManager.default.contents(atPath: dir.path + "/demod.png"))
        #expect(a.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(a == b)
    }
}
