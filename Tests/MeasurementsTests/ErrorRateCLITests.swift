import Foundation
import Plots
import TestSupport
import Testing

@testable import soundstack

/// `soundstack ber` end to end, on a tiny sweep.
@Suite struct ErrorRateCLITests {
    @Test func writesCSVJSONAndPlot() throws {
        let dir = try TemporaryDirectory(prefix: "soundstack-ber")
        defer { dir.remove() }
        let csv = dir.path("t.csv"), json = dir.path("t.json"), svg = dir.path("t.svg")
        let command = try SoundStackCommand.Ber.parse([
            "--mode", "fsk1200", "--ebn0", "7,30", "--frames", "4", "--frame-bytes", "16", "--layer", "ethernet",
            "--sample-rate", "16000", "--jobs", "2", "--quiet", "--csv", csv, "--json", json, "--plot", svg
        ])
        try command.run()
        let table = try ErrorRateTable(csv: try String(contentsOfFile: csv, encoding: .utf8))
        #expect(table.rows.map(\.ebn0dB) == [7, 30])
        #expect(table.rows[1].fer == 0)
        #expect(try String(contentsOfFile: json, encoding: .utf8).contains("\"damagedDelivered\" : 0"))
        #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
    }

    @Test func rejectsBadArguments() {
        #expect(throws: (any Error).self) { try SoundStackCommand.Ber.parse(["--ebn0", "14:6:1"]) }
        #expect(throws: (any Error).self) { try SoundStackCommand.Ber.parse(["--mode", "nosuch"]) }
        #expect(throws: (any Error).self) { try SoundStackCommand.Ber.parse(["--layer", "ip"]) }
        #expect(throws: (any Error).self) { try SoundStackCommand.Ber.parse(["--plot", "x.gif"]) }
    }

    @Test func helpNamesTheChecks() {
        let help = SoundStackCommand.Ber.helpMessage()
        for word in ["--frame-bytes", "--layer", "phy-header-error", "WRONG", "theory"] {
            #expect(help.contains(word))
        }
    }
}
