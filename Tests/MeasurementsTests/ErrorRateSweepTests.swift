import Foundation
import L1Physical
import Measurements
import Plots
import Testing

/// Tiny sweeps (debug builds run the DSP slowly): a few short frames per point, 16 kHz audio.
private func sweep(
    _ points: [Double], layer: ErrorRateLayer = .phy, bytes: Int = 8, frames: Int = 8,
    seed: UInt64 = 3, jobs: Int = 2
) throws -> ErrorRateSweepResult {
    let mode = try #require(Mode.named("fsk1200"))
    let config = try ErrorRateSweep.Config(
        mode: mode, ebn0Points: points, frameBytes: bytes, framesPerPoint: frames,
        layer: layer, seed: seed, sampleRate: 16000, jobs: jobs)
    return try ErrorRateSweep.run(config)
}

@Suite struct ErrorRateSweepTests {
    @Test func cleanAtHighNoisyAtLow() throws {
        let r = try sweep([2, 30])
        #expect(r.points.map(\.ebn0dB) == [2, 30])
        let low = r.points[0].counts, high = r.points[1].counts
        // 30 dB: everything arrives intact.
        #expect(high.framesSent == 8 && high.deliveredOK == 8)
        #expect(r.points[1].ber == 0 && r.points[1].fer == 0)
        // 2 dB: frames fail, and every failure is caught by something.
        #expect(low.framesSent == 8)
        #expect(r.points[0].fer > 0.5)
        #expect(r.points[0].ber > 0.05)
        #expect(low.caught > 0)
        #expect(low.isConsistent && high.isConsistent)
        #expect(
            low.framesSent == low.deliveredOK + low.notFound + low.phyHeaderError + low.payloadCRC + low.fcs
                + low.runt + low.tooLong + low.notForMe + low.truncated + low.wrongDelivered)
        #expect(r.totals.damagedDelivered == 0)
        #expect(r.totals.bits == 16 * 8 * 8)
    }

    @Test func ethernetFramesAreCaughtByTheFCS() throws {
        let r = try sweep([7], layer: .ethernet, bytes: 16)
        #expect(r.phyPayloadBytes == 64)
        #expect(r.checkedBits == 512)
        let c = r.points[0].counts
        #expect(c.fcs > 0)
        #expect(c.payloadCRC == 0)
        #expect(c.isConsistent)
        #expect(c.damagedDelivered == 0)
    }

    @Test func deterministicAndIndependentOfJobs() throws {
        let a = try sweep([6], frames: 4, jobs: 1)
        let b = try sweep([6], frames: 4, jobs: 2)
        #expect(a == b)
    }

    @Test func csvReadsBackWithPlots() throws {
        let r = try sweep([30], frames: 2)
        let text = ErrorRateReport.csv([r])
        let header = text.split(separator: "\n")[0].split(separator: ",").map(String.init)
        #expect(Array(header.prefix(4)) == ["mode", "ebn0_db", "ber", "fer"])
        for column in ["theory_ber", "not_found", "phy_header_error", "payload_crc", "fcs", "wrong_delivered"] {
            #expect(header.contains(column))
        }
        let table = try ErrorRateTable(csv: text)
        #expect(table.modes == ["fsk1200"])
        #expect(table.rows.count == 1 && table.rows[0].ber == 0 && table.rows[0].fer == 0)
        let printed = ErrorRateReport.table([r])
        #expect(printed.contains("Eb/N0") && printed.contains("WRONG"))
        #expect(printed.contains("Damaged frames delivered as good: 0"))
        let json = try ErrorRateReport.json([r])
        #expect(json.contains("\"damagedDelivered\" : 0"))
        _ = try ErrorRateReport.chart([r])
    }
}
