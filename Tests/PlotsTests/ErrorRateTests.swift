import Foundation
import Testing

@testable import Plots

@Suite struct ErrorRateTests {
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
        #expect(throws: PlotError.noData("the CSV has no measurements")) {
            try ErrorRateTable(csv: "mode,ebn0_db,ber\n")
        }
    }
}
