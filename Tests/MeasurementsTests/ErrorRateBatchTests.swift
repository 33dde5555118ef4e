import Testing

@testable import L1Physical
@testable import Measurements

/// The bookkeeping of one batch, on hand-made decoder output: a damaged frame that passes
/// the checks must be counted as a wrong delivery, never as a good one.
@Suite struct ErrorRateBatchTests {
    private func found(_ payload: [UInt8], at start: Int, _ status: DecodedFrame.Status = .ok) -> DecodedFrame {
        DecodedFrame(
            startSample: start, endSample: start + 100, sampleRate: 48000, status: status, payload: payload,
            flags: 0, syncScore: 1, ebn0dB: 10, clockErrorPPM: 0)
    }

    @Test func everyFrameLandsInOneBucket() {
        let sent: [[UInt8]] = [[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]
        let starts = [1000, 2000, 3000, 4000, 5000]
        let decoded = [
            found([1, 2], at: 1003),  // intact
            found([3, 5], at: 1998, .payloadCRCMismatch(expected: 1, received: 2)),  // caught, 1 bit wrong
            found([], at: 3001, .headerError),  // header: all 16 bits count
            found([7, 9], at: 4000),  // passed, but wrong: LOUD
            found([0xAA], at: 9000)  // noise: spurious, never sent
            // 9, 10 not found
        ]
        let c = ErrorRateBatch.count(found: decoded, sent: sent, starts: starts, tolerance: 40, layer: .phy)
        #expect(c.framesSent == 5 && c.deliveredOK == 1 && c.payloadCRC == 1 && c.phyHeaderError == 1)
        #expect(c.wrongDelivered == 1 && c.notFound == 1)
        #expect(c.spurious == 1 && c.spuriousDelivered == 1)
        #expect(c.damagedDelivered == 2)
        #expect(c.isConsistent)
        #expect(c.bits == 80)
        #expect(c.bitErrors == 1 + 16 + 1 + 16)  // 4 → 5 and 8 → 9 are one bit each
        #expect(c.bitsInFound == 48 && c.bitErrorsInFound == 2)
    }

    @Test func duplicatesKeepTheBestFind() {
        let sent: [[UInt8]] = [[1, 2]]
        let decoded = [found([1, 3], at: 1000, .payloadCRCMismatch(expected: 1, received: 2)), found([1, 2], at: 1010)]
        let c = ErrorRateBatch.count(found: decoded, sent: sent, starts: [1005], tolerance: 40, layer: .phy)
        #expect(c.deliveredOK == 1 && c.payloadCRC == 0 && c.spurious == 1 && c.spuriousDelivered == 0)
    }

    @Test func ethernetChecksTheFCS() throws {
        let mode = try #require(Mode.named("fsk1200"))
        let config = try ErrorRateSweep.Config(
            mode: mode, ebn0Points: [10], frameBytes: 46, framesPerPoint: 2,
            layer: .ethernet)
        let batch = ErrorRateBatch(pointIndex: 0, ebn0dB: 10, batch: 0, frames: 2)
        let sent = try batch.payloads(config)
        #expect(sent.map(\.count) == [64, 64])
        var damaged = sent[1]
        damaged[20] ^= 0x10
        let decoded = [found(sent[0], at: 0), found(damaged, at: 5000)]
        let c = ErrorRateBatch.count(found: decoded, sent: sent, starts: [0, 5000], tolerance: 40, layer: .ethernet)
        #expect(c.deliveredOK == 1 && c.fcs == 1 && c.wrongDelivered == 0)
        // Same seed and point, same payloads.
        #expect(try batch.payloads(config) == sent)
    }
}
