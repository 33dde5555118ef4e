import SignalBasics
import Testing

@testable import L4Transport

/// Random and garbled bytes must never crash a parser or the reassembler: each parses or throws.
@Test func parsersSurviveGarbage() throws {
    var rng = SeededGenerator(seed: 0xC0FFEE)
    let ph = try PseudoHeader(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: PseudoHeader.tcp)
    let goodTCP = try TCPSegment(
        header: TCPHeader(
            sourcePort: 1, destinationPort: 2, sequenceNumber: 0xFFFF_FFF0, flags: [.ack, .psh],
            options: [
                .maximumSegmentSize(536), .sackPermitted, .timestamps(value: 1, echoReply: 2),
                .sack([SACKBlock(left: 1, right: 9)])
            ]),
        payload: Array("hello world".utf8)
    ).emit(pseudoHeader: ph)
    let goodUDP = try UDPDatagram(sourcePort: 7, destinationPort: 9, payload: [1, 2, 3]).emit(pseudoHeader: ph)
    var rx = try TCPReassembler(window: 4096)
    var parsed = 0
    for round in 0..<4000 {
        var b: [UInt8]
        switch round % 3 {
        case 0: b = (0..<Int.random(in: 0...70, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        case 1: b = goodTCP
        default: b = goodUDP
        }
        if round % 3 != 0, !b.isEmpty {
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            b = Array(b.prefix(Int.random(in: 0...b.count, using: &rng)))
        }
        if let s = try? TCPSegment.parse(b, pseudoHeader: round % 2 == 0 ? ph : nil) {
            parsed += 1
            rx.accept(s)
            _ = rx.missing
            _ = rx.acknowledgment()
            _ = try? s.emit(pseudoHeader: ph)
        }
        _ = try? UDPDatagram.parse(b, pseudoHeader: round % 2 == 0 ? ph : nil)
        _ = try? TCPHeader.parse(b)
    }
    #expect(parsed > 0)
    #expect(rx.receiveWindow <= 4096)
}

/// Segments with random sequence numbers (near the ISN, across the wrap, far away), flags and
/// lengths: the reassembler never crashes, never holds more than its window, and its reports stay
/// consistent with what it delivered.
@Test func reassemblerSurvivesRandomSegments() throws {
    var rng = SeededGenerator(seed: 0x7C9)
    let isn: SequenceNumber = 0xFFFF_FF00
    var rx = try TCPReassembler(window: 2000)
    var delivered: [UInt8] = []
    for _ in 0..<3000 {
        let near = Int.random(in: -300...3000, using: &rng)
        let seq = Bool.random(using: &rng) ? isn + near : SequenceNumber(UInt32.random(in: 0...UInt32.max, using: &rng))
        let flags = TCPFlags(rawValue: UInt8.random(in: 0...255, using: &rng)).subtracting(.rst)
        let payload = (0..<Int.random(in: 0...600, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        rx.accept(
            TCPSegment(
                header: TCPHeader(sourcePort: 1, destinationPort: 2, sequenceNumber: seq, flags: flags),
                payload: payload))
        delivered += rx.read()
        #expect(rx.receiveWindow <= 2000)
        #expect(delivered.count == rx.deliveredCount)
        for m in rx.missing { #expect(m.offsets.lowerBound >= rx.deliveredCount && !m.offsets.isEmpty) }
        _ = rx.acknowledgment()
    }
}
