import SignalBasics
import Testing

@testable import L2DataLink

// Property-based round trips at layer 2, deterministic seeds.

private func randomBytes(_ n: Int, _ rng: inout SeededGenerator) -> [UInt8] {
    (0..<n).map { _ in UInt8.random(in: 0...255, using: &rng) }
}

/// emit ∘ parse is the identity on random frames (payload padded to 46 bytes), and the
/// receiver delivers exactly the frames addressed to it.
@Test func ethernetRoundTripProperty() throws {
    var rng = SeededGenerator(seed: 0xE7E7)
    let me = MACAddress(value: 0x0200_5E10_0001)
    let receiver = EthernetReceiver(address: me)
    for _ in 0..<500 {
        let length = Int.random(in: 0...EthernetFrame.mtu, using: &rng)
        let destination =
            Bool.random(using: &rng) ? me : MACAddress(value: UInt64.random(in: 0...UInt64.max, using: &rng))
        let frame = EthernetFrame(
            destination: destination, source: MACAddress(value: UInt64.random(in: 0...UInt64.max, using: &rng)),
            etherType: EtherType(rawValue: UInt16.random(in: 0...UInt16.max, using: &rng)),
            payload: randomBytes(length, &rng))
        let bytes = try frame.emit()
        #expect(bytes.count == frame.emittedLength)
        let back = try EthernetFrame.parse(bytes)
        var padded = frame
        padded.payload += [UInt8](repeating: 0, count: max(0, EthernetFrame.minimumPayload - length))
        #expect(back == padded)
        let report = receiver.classify(bytes)
        let forMe = destination == me || destination.isBroadcast
        #expect((report.delivered == padded) == forMe, "\(report)")
    }
}

/// One, two or three flipped bits anywhere in a frame are always caught (CRC-32 has Hamming
/// distance ≥ 4 at these lengths), and a cut frame never parses.
@Test func ethernetCorruptionIsDetected() throws {
    var rng = SeededGenerator(seed: 0xFC5)
    let receiver = EthernetReceiver(address: .broadcast, promiscuous: true)
    for round in 0..<600 {
        let frame = EthernetFrame(
            destination: .broadcast, source: MACAddress(value: 2),
            payload: randomBytes(Int.random(in: 0...1500, using: &rng), &rng))
        var bytes = try frame.emit()
        let flips = 1 + round % 3
        var positions = Set<Int>()
        while positions.count < flips { positions.insert(Int.random(in: 0..<(bytes.count * 8), using: &rng)) }
        for p in positions { bytes[p / 8] ^= 1 << UInt8(p % 8) }
        #expect(throws: DataLinkError.self) { try EthernetFrame.parse(bytes) }
        let report = receiver.classify(bytes)
        #expect(report.delivered == nil && report.status.isError, "\(report)")
        let cut = Array(try frame.emit().dropLast(Int.random(in: 1...10, using: &rng)))
        #expect(receiver.classify(cut).delivered == nil)
    }
}

/// Random messages through L2Segmenter, then lost, duplicated and reordered fragments through
/// L2Reassembler: every message whose fragments all arrive comes out exactly; the others are
/// reported missing exactly the fragments that were lost.
@Test func fragmentationRoundTripWithLossAndReordering() throws {
    var rng = SeededGenerator(seed: 0xF4A9)
    var segmenter = L2Segmenter(fragmentData: 100)
    for round in 0..<60 {
        var reassembler = L2Reassembler()
        var messages: [UInt16: [UInt8]] = [:]
        var sent: [(id: UInt16, index: Int, payload: [UInt8])] = []
        var lost: [UInt16: Set<Int>] = [:]
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let id = segmenter.nextMessageID
            let message = randomBytes(Int.random(in: 0...900, using: &rng), &rng)
            messages[id] = message
            for (i, p) in try segmenter.segment(message).enumerated() {
                if round % 2 == 1, Int.random(in: 0..<10, using: &rng) == 0 {
                    lost[id, default: []].insert(i)
                    continue
                }
                // Through Ethernet: padded, then trimmed by the fragment header's length.
                let frame = try EthernetFrame.parse(
                    try EthernetFrame(destination: .broadcast, source: MACAddress(value: 9), payload: p).emit())
                sent.append((id, i, frame.payload))
                if Bool.random(using: &rng) { sent.append((id, i, frame.payload)) }
            }
        }
        sent.shuffle(using: &rng)
        var completed: [UInt16: [UInt8]] = [:]
        for s in sent {
            if case .completed(let key, let message) = try reassembler.receive(s.payload, from: MACAddress(value: 9)) {
                #expect(completed[key.messageID] == nil, "message \(key.messageID) completed twice")
                completed[key.messageID] = message
            }
        }
        for (id, message) in messages where lost[id] == nil {
            #expect(completed[id] == message, "message \(id) not rebuilt")
        }
        let missing = reassembler.finish()
        for gap in missing { #expect(Set(gap.missing) == lost[gap.key.messageID], "\(gap)") }
        // A message none of whose fragments arrived is unknown to the receiver.
        #expect(Set(missing.map(\.key.messageID)) == Set(lost.keys.filter { id in sent.contains { $0.id == id } }))
    }
}
