import Foundation
import Testing
@testable import Plots

@Suite struct ErrorRateTests {
    @Test func theoryValues() {
        #expect(abs(ErrorRateTheory.nonCoherentBFSK(ebn0dB: 10) - 0.5 * exp(-5)) < 1e-15)
        #expect(abs(ErrorRateTheory.coherentBFSK(ebn0dB: 0) - 0.158655) < 1e-6)
        // The exact M-ary formula with M = 2 is the binary one.
        for db in stride(from: 0.0, through: 12, by: 2) {
            #expect(abs(ErrorRateTheory.nonCoherentMFSK(tones: 2, ebn0dB: db) - ErrorRateTheory.nonCoherentBFSK(ebn0dB: db)) < 1e-12)
        }
        // More tones need less Eb/N0 for the same BER (orthogonal FSK).
        #expect(ErrorRateTheory.nonCoherentMFSK(tones: 16, ebn0dB: 8) < ErrorRateTheory.nonCoherentMFSK(tones: 4, ebn0dB: 8))
        #expect(abs(ErrorRateTheory.frameErrorRate(ber: 0.01, bits: 100) - (1 - pow(0.99, 100))) < 1e-12)
    }

    @Test func csvParses() throws {
        let t = try ErrorRateTable(csv: "# sweep\nmode, ebn0_db, ber, fer\r\nfsk1200,4,0.1,0.9\n\nmfsk4,6,0.01,\n")
        #expect(t.modes == ["fsk1200", "mfsk4"])
        #expect(t.rows[1].fer == nil && t.rows[1].ber == 0.01)
    }

    @Test func csvErrorsNameTheLine() {
        #expect(throws: PlotError.badCSV(line: 1, reason: "header needs a 'ber' column (mode,ebn0_db,ber,fer)")) {
            try ErrorRateTable(csv: "mode,ebn0_db\n")
        }
        #expect(throws: PlotError.badCSV(line: 3, reason: "ber must be a number in 0…1")) {
            try ErrorRateTable(csv: "mode,ebn0_db,ber\nfsk1200,1,0.1\nfsk1200,2,abc\n")
        }
        #expect(throws: PlotError.noData("the CSV has no measurements")) { try ErrorRateTable(csv: "mode,ebn0_db,ber\n") }
    }
}
