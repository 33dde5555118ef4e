import SignalBasics
import Testing

@testable import L2DataLink

@Suite struct L2ReassemblerTests {
    /// A 10 kB message through real frames: emitted, parsed (so payloads carry padding),
    /// shuffled, with duplicates.
    @Test func tenKilobytesShuffledWithDuplicates() throws {
        var rng = SeededGenerator(seed: 7)
        let message = (0..<10_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
        var segmenter = L2Segmenter(firstMessageID: 9)
        let frames = try segmenter.segment(message).map {
            try EthernetFrame(destination: stationB, source: stationA, payload: $0).emit()
        }
        var arrivals = frames + [frames[3], frames[0], frames[6]]
        arrivals.shuffle(using: &rng)
        var reassembler = L2Reassembler()
        var completed: [[UInt8]] = []
        var duplicates = 0
        for bytes in arrivals {
            let frame = try EthernetFrame.parse(bytes)
            switch try reassembler.receive(frame.payload, from: frame.source) {
            case .completed(let key, let m):
                #expect(key == L2MessageKey(source: stationA, messageID: 9))
                completed.append(m)
            case .duplicate: duplicates += 1
            case .stored: break
            }
        }
        #expect(completed == [message])
        #expect(duplicates == 3)
        #expect(reassembler.messagesInFlight == 0)
        #expect(reassembler.bytesInFlight == 0)
        #expect(reassembler.finish().isEmpty)
    }

    @Test func missingFragmentsAreReportedExactly() throws {
        var segmenter = L2Segmenter(fragmentData: 100)
        let first = try segmenter.segment([UInt8](repeating: 1, count: 1000))  // id 0, 10 fragments
        let second = try segmenter.segment([UInt8](repeating: 2, count: 250))  // id 1, 3 fragments
        var reassembler = L2Reassembler()
        for (i, p) in first.enumerated() where i != 3 && i != 7 { _ = try reassembler.receive(p, from: stationA) }
        _ = try reassembler.receive(second[1], from: stationB)
        let gaps = reassembler.missingFragments()
        #expect(
            gaps == [
                L2MissingFragments(key: L2MessageKey(source: stationA, messageID: 0), count: 10, missing: [3, 7]),
                L2MissingFragments(key: L2MessageKey(source: stationB, messageID: 1), count: 3, missing: [0, 2])
            ])
        #expect(gaps[0].description == "message 0 from 02:53:53:00:00:01: missing 2 of 10 fragments: [3, 7]")
        #expect(reassembler.bytesInFlight == 800 + 100)
        // The late fragment completes the message; the report shrinks.
        guard case .stored(_, index: 3, received: 9, count: 10) = try reassembler.receive(first[3], from: stationA)
        else {
            Issue.record("expected .stored"); return
        }
        guard case .completed(_, let m) = try reassembler.receive(first[7], from: stationA) else {
            Issue.record("expected .completed"); return
        }
        #expect(m == [UInt8](repeating: 1, count: 1000))
        // A late duplicate of a completed message does not start it again.
        #expect(
            try reassembler.receive(first[0], from: stationA)
                == .duplicate(L2MessageKey(source: stationA, messageID: 0), index: 0))
        #expect(reassembler.finish().map(\.missing) == [[0, 2]])
        #expect(reassembler.messagesInFlight == 0 && reassembler.bytesInFlight == 0)
    }

    @Test func sameIDFromTwoSourcesDoesNotMix() throws {
        var a = L2Segmenter(), b = L2Segmenter()
        let pa = try a.segment([1, 1, 1]), pb = try b.segment([2, 2])
        var reassembler = L2Reassembler()
        #expect(
            try reassembler.receive(pa[0], from: stationA)
                == .completed(L2MessageKey(source: stationA, messageID: 0), message: [1, 1, 1]))
        #expect(
            try reassembler.receive(pb[0], from: stationB)
                == .completed(L2MessageKey(source: stationB, messageID: 0), message: [2, 2]))
    }

    @Test func bogusCountsAndLengthsAreRejectedWithoutAllocating() throws {
        var reassembler = L2Reassembler()
        // Count 65535: refused by the per-message limit, nothing held.
        let huge: [UInt8] = [0, 1, 0, 5, 0xFF, 0xFF, 0, 2, 9, 9]
        #expect(throws: DataLinkError.fragmentCountInvalid(count: 65535, limit: 1024)) { try reassembler.receive(huge) }
        // A length beyond the bytes present.
        let long: [UInt8] = [0, 1, 0, 0, 0, 2, 0x05, 0xDC, 9, 9]
        #expect(throws: DataLinkError.fragmentLengthInvalid(length: 1500, available: 2)) {
            try reassembler.receive(long)
        }
        // A count that changes within one message.
        _ = try reassembler.receive([0, 2, 0, 0, 0, 3, 0, 1, 7])
        #expect(throws: DataLinkError.fragmentCountChanged(messageID: 2, was: 3, now: 4)) {
            try reassembler.receive([0, 2, 0, 1, 0, 4, 0, 1, 7])
        }
        #expect(reassembler.messagesInFlight == 1 && reassembler.bytesInFlight == 1)
    }

    @Test func boundedMessagesAndBytesInFlight() throws {
        var reassembler = L2Reassembler(limits: .init(messagesInFlight: 2, bytesInFlight: 10, fragmentsPerMessage: 8))
        _ = try reassembler.receive([0, 1, 0, 0, 0, 2, 0, 4, 1, 2, 3, 4])
        _ = try reassembler.receive([0, 2, 0, 0, 0, 2, 0, 4, 1, 2, 3, 4])
        #expect(throws: DataLinkError.tooManyMessagesInFlight(limit: 2)) {
            try reassembler.receive([0, 3, 0, 0, 0, 2, 0, 1, 1])
        }
        #expect(throws: DataLinkError.reassemblyBufferFull(needed: 12, limit: 10)) {
            try reassembler.receive([0, 1, 0, 1, 0, 2, 0, 4, 5, 6, 7, 8])
        }
        #expect(reassembler.bytesInFlight == 8)
        reassembler.discard(L2MessageKey(messageID: 2))
        #expect(reassembler.bytesInFlight == 4 && reassembler.messagesInFlight == 1)
        guard case .completed(_, let m) = try reassembler.receive([0, 1, 0, 1, 0, 2, 0, 4, 5, 6, 7, 8]) else {
            Issue.record("expected .completed"); return
        }
        #expect(m == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func randomGarbageNeverTraps() {
        var rng = SeededGenerator(seed: 3)
        var reassembler = L2Reassembler(
            limits: .init(messagesInFlight: 4, bytesInFlight: 4096, fragmentsPerMessage: 64))
        for _ in 0..<2000 {
            let n = rng.nextInt(below: 40)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? reassembler.receive(bytes)
            #expect(reassembler.bytesInFlight <= 4096 && reassembler.messagesInFlight <= 4)
        }
    }
}
