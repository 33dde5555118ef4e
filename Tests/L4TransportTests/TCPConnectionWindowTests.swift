import SignalBasics
import Testing

@testable import L4Transport

// A window of segments in flight and the half-duplex burst exchange: the sender transmits up to
// `segmentWindow` segments, the peer (a TCPReassembler, as a receiving station) hears the whole
// burst and answers with one ACK (cumulative + SACK), and the next burst resends what was lost first.

private let message = (0..<2000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }  // 20 segments of 100 B

private func sends(_ actions: [TCPConnection.Action]) -> [TCPSegment] {
    actions.compactMap { if case .send(let s) = $0 { s } else { nil } }
}

private func dataOffsets(_ segments: [TCPSegment], isn: SequenceNumber) -> [Int] {
    segments.filter { !$0.payload.isEmpty }.map { $0.header.sequenceNumber - (isn + 1) }
}

/// A sender with `window`, connected to a reassembler that has seen its SYN; returns the first burst.
private func connected(window: Int) throws -> (TCPConnection, TCPReassembler, [TCPSegment]) {
    var tx = try TCPConnection(
        localPort: 49152, remotePort: 80, initialSequenceNumber: 1000, mss: 100,
        segmentWindow: window)
    var rx = try TCPReassembler(localInitialSequenceNumber: 7000)
    let syn = sends(tx.connect())
    #expect(syn.count == 1 && syn[0].header.flags == .syn)
    _ = tx.send(message)
    rx.accept(syn[0])
    let synAck = try #require(rx.synAck(mss: 100))
    var burst = sends(tx.receiveBurstAcknowledgment(synAck))
    #expect(tx.state == .established)
    burst += sends(tx.close())
    return (tx, rx, burst)
}

@Test func theWindowLimitsSegmentsInFlight() throws {
    let (tx, _, burst) = try connected(window: 3)
    #expect(dataOffsets(burst, isn: 1000) == [0, 100, 200])
    #expect(burst.allSatisfy { $0.header.flags.contains(.ack) && $0.header.acknowledgmentNumber == 7001 })
    #expect(tx.segmentsInFlight == 3)
    #expect(!burst.contains { $0.header.flags.contains(.fin) })  // the FIN waits for room
    let unlimited = try TCPConnection(localPort: 1, remotePort: 2, initialSequenceNumber: 0, mss: 100)
    #expect(unlimited.segmentWindow == nil)
    #expect(throws: TransportError.badWindow(0)) {
        try TCPConnection(localPort: 1, remotePort: 2, initialSequenceNumber: 0, segmentWindow: 0)
    }
}

@Test func lostSegmentsGoFirstInTheNextBurstThenNewData() throws {
    var (tx, rx, burst) = try connected(window: 4)
    #expect(dataOffsets(burst, isn: 1000) == [0, 100, 200, 300])
    // The second is lost in the middle; the peer SACKs the third and fourth.
    for (i, s) in burst.enumerated() where i != 1 { rx.accept(s) }
    let ack = try #require(rx.acknowledgment())
    #expect(ack.header.acknowledgmentNumber == 1101 && ack.header.sackBlocks.count == 1)
    burst = sends(tx.receiveBurstAcknowledgment(ack))
    #expect(dataOffsets(burst, isn: 1000) == [100, 400, 500, 600])
    #expect(tx.retransmissions == 1)

    // Tail loss: the last two of the burst never arrive and nothing is SACKed beyond them.
    for s in burst.prefix(2) { rx.accept(s) }
    let ack2 = try #require(rx.acknowledgment())
    #expect(ack2.header.acknowledgmentNumber == 1501 && ack2.header.sackBlocks.isEmpty)
    burst = sends(tx.receiveBurstAcknowledgment(ack2))
    #expect(dataOffsets(burst, isn: 1000) == [500, 600, 700, 800])
    #expect(tx.retransmissions == 3)
}

@Test func moreLostThanTheWindowResendsTheOldestAndNothingNew() throws {
    var (tx, rx, burst) = try connected(window: 3)
    #expect(burst.count == 3)
    // The whole burst is lost; an answer that acknowledges nothing new says so.
    rx.accept(
        TCPSegment(
            header: TCPHeader(
                sourcePort: 49152, destinationPort: 80, sequenceNumber: 1001,
                acknowledgmentNumber: 7001, flags: .ack)))
    burst = sends(tx.receiveBurstAcknowledgment(try #require(rx.acknowledgment())))
    #expect(dataOffsets(burst, isn: 1000) == [0, 100, 200])
    #expect(tx.segmentsInFlight == 3)
}

@Test func aTimeoutResendsTheOldestSegmentAndTheAnswerOpensTheWindowAgain() throws {
    var (tx, rx, burst) = try connected(window: 5)
    #expect(burst.count == 5)
    // The peer heard the second and fourth; its answer was lost, so the timer fires.
    rx.accept(burst[1]); rx.accept(burst[3])
    let probe = sends(tx.retransmissionTimeout())
    #expect(dataOffsets(probe, isn: 1000) == [0])
    #expect(tx.retransmissions == 1)
    rx.accept(probe[0])
    let next = sends(tx.receiveBurstAcknowledgment(try #require(rx.acknowledgment())))
    #expect(dataOffsets(next, isn: 1000) == [200, 400, 500, 600, 700])
    var small = try TCPConnection(localPort: 1, remotePort: 2, initialSequenceNumber: 0, mss: 100)
    _ = small.connect()
    _ = small.send(Array(message.prefix(300)))
    #expect(sends(small.retransmissionTimeout()).count == 1)  // only the SYN is outstanding
}

@Test(arguments: [1, 2, 5, 8, 30])
func burstsOverALossyHalfDuplexLinkDeliverTheStreamExactly(window: Int) throws {
    var (tx, rx, burst) = try connected(window: window)
    var random = SeededGenerator(seed: UInt64(window) &* 977)
    var received: [UInt8] = []
    var bursts = 0
    while !tx.isFinAcknowledged {
        bursts += 1
        #expect(bursts < 200)
        if bursts >= 200 { return }
        #expect(burst.count <= window)
        var heard = false
        for s in burst where Int.random(in: 0..<10, using: &random) >= 3 {  // 30 % of segments lost
            rx.accept(s)
            heard = true
        }
        received += rx.read()
        // The peer's answer is lost one time in five: the sender's timer fires instead.
        if heard, Int.random(in: 0..<5, using: &random) > 0, let ack = rx.acknowledgment() {
            burst = sends(tx.receiveBurstAcknowledgment(ack))
        } else {
            burst = sends(tx.retransmissionTimeout())
        }
    }
    #expect(received == message)
    #expect(rx.isComplete)
    #expect(tx.state == .finWait2)
    #expect(tx.retransmissions > 0)
}

@Test func aSmallerSegmentSizeCutsOnlyNewData() throws {
    var (tx, rx, burst) = try connected(window: 3)
    #expect(dataOffsets(burst, isn: 1000) == [0, 100, 200])
    tx.segmentSize = 40
    #expect(tx.segmentSize == 40)
    // The peer heard the first two; the third is lost: it goes again whole, then new data in 40s.
    rx.accept(burst[0]); rx.accept(burst[1])
    let next = sends(tx.receiveBurstAcknowledgment(try #require(rx.acknowledgment())))
    #expect(next.map(\.payload.count) == [100, 40, 40])
    #expect(dataOffsets(next, isn: 1000) == [200, 300, 340])
    // Clamped to 1…MSS.
    tx.segmentSize = 5000
    #expect(tx.segmentSize == 100)
    tx.segmentSize = 0
    #expect(tx.segmentSize == 1)
}
