import SignalBasics
import Testing

@testable import L4Transport

private func message(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) } }

@Test func segmenterProducesSynDataFin() throws {
    let tx = try TCPSegmenter(
        sourcePort: 49152, destinationPort: 80, initialSequenceNumber: 1000,
        acknowledgmentNumber: 5001, mss: 536)
    let segs = tx.connection(sending: message(1200))
    #expect(segs.count == 5)
    #expect(segs[0].header.flags == .syn && segs[0].header.sequenceNumber == 1000)
    #expect(segs[0].header.maximumSegmentSize == 536)
    #expect(
        segs[1].header.flags == [.ack, .psh] && segs[1].header.sequenceNumber == 1001 && segs[1].payload.count == 536)
    #expect(
        segs[2].header.sequenceNumber == 1537 && segs[3].header.sequenceNumber == 2073 && segs[3].payload.count == 128)
    #expect(segs[1...3].allSatisfy { $0.header.acknowledgmentNumber == 5001 })
    #expect(segs[4].header.flags == [.fin, .ack] && segs[4].header.sequenceNumber == 2201 && segs[4].payload.isEmpty)
    #expect(segs.map(\.sequenceLength).reduce(0, +) == 1202)
    #expect(throws: TransportError.badMSS(0)) {
        try TCPSegmenter(sourcePort: 1, destinationPort: 2, initialSequenceNumber: 0, mss: 0)
    }
}

/// 20 kB by MSS 536, shuffled, two segments lost: the receiver names exactly the lost ranges, its
/// ACK carries SACK blocks around them, and resending just those completes the stream.
@Test(arguments: [1000 as UInt32, 0xFFFF_F000])  // the second ISN wraps within the stream
func lostSegmentsAreReportedExactlyAndResent(isn: UInt32) throws {
    let data = message(20_000)
    let tx = try TCPSegmenter(
        sourcePort: 49152, destinationPort: 80, initialSequenceNumber: SequenceNumber(isn), mss: 536)
    var segs = tx.connection(sending: data)
    #expect(segs.count == 1 + 38 + 1)  // 37 × 536 + 168
    let lost = [segs[6], segs[21]]
    segs.removeAll { lost.contains($0) }
    var rng = SeededGenerator(seed: UInt64(isn))
    segs.shuffle(using: &rng)

    var rx = try TCPReassembler(localInitialSequenceNumber: 7000)
    for s in segs { rx.accept(s) }
    #expect(rx.synSeen && rx.finSeen && !rx.isComplete)
    let missing = rx.missing
    #expect(missing.map(\.offsets) == [2680..<3216, 10720..<11256])
    #expect(missing.map(\.start) == lost.map(\.header.sequenceNumber))
    #expect(missing.map(\.end) == lost.map { $0.header.sequenceNumber + $0.payload.count })
    #expect(rx.read() == Array(data[0..<2680]))

    // The receiver's ACK: cumulative up to the first hole, SACK for the two islands after it.
    let ack = try #require(rx.acknowledgment())
    #expect(ack.header.flags == .ack)
    #expect(ack.header.acknowledgmentNumber == lost[0].header.sequenceNumber)
    #expect(ack.header.sequenceNumber == 7001)
    #expect(ack.header.sourcePort == 80 && ack.header.destinationPort == 49152)
    let blocks = ack.header.sackBlocks
    #expect(
        Set(blocks) == [
            SACKBlock(left: SequenceNumber(isn) + 1 + 3216, right: SequenceNumber(isn) + 1 + 10720),
            SACKBlock(left: SequenceNumber(isn) + 1 + 11256, right: SequenceNumber(isn) + 1 + 20000)
        ])
    // The sender turns the ACK + SACK back into exactly the lost segments.
    let pseudo = try PseudoHeader(source: [10, 0, 0, 2], destination: [10, 0, 0, 1], protocolNumber: PseudoHeader.tcp)
    let ackOnWire = try TCPSegment.parse(ack.emit(pseudoHeader: pseudo), pseudoHeader: pseudo)
    let sacked = TCPReassembler.offsets(of: ackOnWire.header.sackBlocks, initialSequenceNumber: SequenceNumber(isn))
    let acked = ackOnWire.header.acknowledgmentNumber - (SequenceNumber(isn) + 1)
    var holes: [Range<Int>] = []
    var cursor = acked
    for r in sacked.sorted(by: { $0.lowerBound < $1.lowerBound }) {
        if r.lowerBound > cursor { holes.append(cursor..<r.lowerBound) }
        cursor = max(cursor, r.upperBound)
    }
    let resend = tx.segments(data, covering: holes)
    #expect(resend == lost)

    for s in resend { #expect(rx.accept(s) == .accepted(newBytes: s.payload.count, beyondWindow: 0)) }
    #expect(rx.missing.isEmpty && rx.isComplete)
    #expect(rx.read() == Array(data[2680...]))
    #expect(rx.nextExpected == SequenceNumber(isn) + 20_002)
    #expect(rx.acknowledgment()?.header.sackBlocks == [])
}

@Test func duplicatesOverlapsAndHeldSegments() throws {
    let data = message(3000)
    let tx = try TCPSegmenter(sourcePort: 1, destinationPort: 2, initialSequenceNumber: 0xFFFF_FFFE, mss: 500)
    let segs = tx.connection(sending: data)
    var rx = try TCPReassembler()
    // Data before the SYN is held, not lost.
    #expect(rx.accept(segs[3]) == .heldForSYN)
    #expect(rx.missing.isEmpty && rx.nextExpected == nil && rx.acknowledgment() == nil)
    #expect(rx.accept(segs[0]) == .accepted(newBytes: 0, beyondWindow: 0))
    #expect(rx.missing.map(\.offsets) == [0..<1000])
    // An overlapping segment with different bytes: the bytes already held win.
    var overlap = segs[2]
    overlap.header.sequenceNumber = segs[2].header.sequenceNumber + 250
    overlap.payload = Array(data[750..<1000]) + [UInt8](repeating: 0xEE, count: 250)  // the overlapping half is wrong
    #expect(rx.accept(overlap) == .accepted(newBytes: 250, beyondWindow: 0))
    #expect(rx.accept(segs[3]) == .duplicate)
    #expect(rx.accept(segs[0]) == .duplicate)
    #expect(rx.duplicateSegments == 2)
    for s in segs { rx.accept(s) }
    #expect(rx.isComplete)
    #expect(rx.read() == data)
    #expect(rx.accept(segs[segs.count - 1]) == .duplicate)
    #expect(rx.synAck()?.header.flags == [.syn, .ack])
    #expect(rx.synAck()?.header.acknowledgmentNumber == SequenceNumber(0xFFFF_FFFF))
}

@Test func windowBoundsWhatIsHeld() throws {
    let data = message(4000)
    let tx = try TCPSegmenter(sourcePort: 1, destinationPort: 2, initialSequenceNumber: 0, mss: 500)
    let segs = tx.connection(sending: data)
    var rx = try TCPReassembler(window: 1200)
    rx.accept(segs[0])
    #expect(rx.accept(segs[2]) == .accepted(newBytes: 500, beyondWindow: 0))  // 500..<1000
    #expect(rx.accept(segs[3]) == .accepted(newBytes: 200, beyondWindow: 300))  // only up to 1200
    #expect(rx.accept(segs[6]) == .dropped(beyondWindow: 500))
    #expect(rx.bytesBeyondWindow == 800)
    #expect(rx.missing.map(\.offsets) == [0..<500])
    rx.accept(segs[1])
    #expect(rx.deliveredCount == 1200)
    #expect(rx.receiveWindow == 0)
    #expect(rx.acknowledgment()?.header.window == 0)
    #expect(rx.read().count == 1200)
    #expect(rx.receiveWindow == 1200)
    #expect(throws: TransportError.badWindow(0)) { try TCPReassembler(window: 0) }
}

@Test func resetStopsTheStream() throws {
    var rx = try TCPReassembler(peerInitialSequenceNumber: 99)
    let rst = TCPSegment(header: TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: 100, flags: .rst))
    #expect(rx.accept(rst) == .reset)
    #expect(rx.resetSeen)
    #expect(
        rx.accept(TCPSegment(header: TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: 100), payload: [1]))
            == .reset)
}

@Test func finBeforeDataAlreadyReceivedIsIgnored() throws {
    let tx = try TCPSegmenter(sourcePort: 1, destinationPort: 2, initialSequenceNumber: 100, mss: 500)
    let segs = tx.connection(sending: message(1500))
    var rx = try TCPReassembler()
    rx.accept(segs[0])
    rx.accept(segs[3])  // 1000..<1500
    #expect(rx.accept(tx.fin(afterSending: 800)) == .duplicate)
    #expect(!rx.finSeen)
    rx.accept(segs[4])
    #expect(rx.finOffset == 1500)
    rx.accept(segs[1]); rx.accept(segs[2])
    #expect(rx.isComplete && rx.read() == message(1500))
}
