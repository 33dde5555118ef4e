import SignalBasics
import Testing

@testable import L4Transport

// Property-based round trips at layer 4, deterministic seeds.

private func randomBytes(_ n: Int, _ rng: inout SeededGenerator) -> [UInt8] {
    (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// A random message cut by TCPSegmenter at a random MSS and ISN (often near the wrap), sent over
/// a channel that loses, duplicates and reorders segments; the sender resends what the receiver
/// reports missing until the stream is complete. The bytes read are exactly the message.
@Test func tcpStreamRoundTripWithLossAndReordering() throws {
    var rng = SeededGenerator(seed: 0x7C9A)
    let ph = try PseudoHeader(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: PseudoHeader.tcp)
    for round in 0..<40 {
        let message = randomBytes(Int.random(in: 0...6000, using: &rng), &rng)
        let isn =
            Bool.random(using: &rng)
            ? SequenceNumber(UInt32.max - UInt32.random(in: 0...3000, using: &rng))
            : SequenceNumber(UInt32.random(in: 0...UInt32.max, using: &rng))
        let tx = try TCPSegmenter(
            sourcePort: 49152, destinationPort: 80, initialSequenceNumber: isn,
            mss: Int.random(in: 1...1460, using: &rng))
        var rx = try TCPReassembler(window: Int.random(in: 1000...70_000, using: &rng))
        var received: [UInt8] = []
        let lossPercent = round % 4 == 0 ? 0 : Int.random(in: 5...40, using: &rng)
        var flight = tx.connection(sending: message)
        var attempts = 0
        while !rx.isComplete || received.count < message.count {
            attempts += 1
            try #require(
                attempts < 200, "round \(round): stream never completed (\(received.count) of \(message.count))")
            var wire: [TCPSegment] = []
            for s in flight where Int.random(in: 0..<100, using: &rng) >= lossPercent {
                wire.append(s)
                if Int.random(in: 0..<10, using: &rng) == 0 { wire.append(s) }
            }
            wire.shuffle(using: &rng)
            for s in wire {
                // Over the wire as checksummed bytes.
                rx.accept(try TCPSegment.parse(try s.emit(pseudoHeader: ph), pseudoHeader: ph))
                received += rx.read()
            }
            // What to send next: SYN until it is seen, the missing ranges, data not yet covered, FIN.
            flight = []
            if !rx.synSeen { flight.append(tx.syn()) }
            let reach =
                rx.missing.map(\.offsets)
                + (received.count < message.count
                    ? [max(received.count, rx.receivedOutOfOrder.last?.upperBound ?? 0)..<message.count] : [])
            flight += tx.segments(message, covering: reach.filter { !$0.isEmpty })
            if !rx.isComplete { flight.append(tx.fin(afterSending: message.count)) }
        }
        #expect(received == message, "round \(round)")
        #expect(rx.deliveredCount == message.count)
    }
}

/// One flipped bit anywhere in a TCP segment or UDP datagram fails its checksum (or a length
/// check before it).
@Test func transportCorruptionIsDetected() throws {
    var rng = SeededGenerator(seed: 0xD1FF)
    let tcpPH = try PseudoHeader(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: PseudoHeader.tcp)
    let udpPH = try PseudoHeader(source: [10, 0, 0, 1], destination: [10, 0, 0, 2], protocolNumber: PseudoHeader.udp)
    for _ in 0..<400 {
        let payload = randomBytes(Int.random(in: 0...600, using: &rng), &rng)
        let segment = TCPSegment(
            header: TCPHeader(
                sourcePort: UInt16.random(in: 1...65535, using: &rng), destinationPort: 80,
                sequenceNumber: SequenceNumber(UInt32.random(in: 0...UInt32.max, using: &rng)),
                flags: [.ack, .psh], options: [.timestamps(value: 7, echoReply: 9)]),
            payload: payload)
        var tcp = try segment.emit(pseudoHeader: tcpPH)
        #expect(try TCPSegment.parse(tcp, pseudoHeader: tcpPH).payload == payload)
        let bit = Int.random(in: 0..<(tcp.count * 8), using: &rng)
        tcp[bit / 8] ^= 1 << UInt8(bit % 8)
        #expect(throws: TransportError.self) { try TCPSegment.parse(tcp, pseudoHeader: tcpPH) }

        var udp = try UDPDatagram(sourcePort: 5000, destinationPort: 53, payload: payload).emit(pseudoHeader: udpPH)
        #expect(try UDPDatagram.parse(udp, pseudoHeader: udpPH).payload == payload)
        let ubit = Int.random(in: 0..<(udp.count * 8), using: &rng)
        udp[ubit / 8] ^= 1 << UInt8(ubit % 8)
        // A flip that zeroes the checksum field means "no checksum": the length must still hold.
        if let through = try? UDPDatagram.parse(udp, pseudoHeader: udpPH) {
            #expect(through.header.checksum == 0, "a damaged datagram passed its checksum")
        }
    }
}
