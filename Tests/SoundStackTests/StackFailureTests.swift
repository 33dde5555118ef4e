import L2DataLink
import L3Network
import L4Transport
import SoundStack
import Testing

/// The frames as the station receives them, with `change` applied to the Ethernet payload of frame `index`
/// (the FCS recomputed, so layer 2 passes them up and the layer above must notice).
private func upWith(_ frames: [[UInt8]], changing index: Int, _ change: (inout [UInt8]) -> Void) -> StackResult? {
    var rx = StackReceiver()
    let station = EthernetReceiver(address: stackClient.destinationMAC)
    for (i, f) in frames.enumerated() {
        guard var frame = station.classify(f).delivered else { continue }
        if i == index { change(&frame.payload) }
        rx.receive(frame)
    }
    return rx.finish().first
}

@Test func flippedByteInTheIPHeaderIsRefusedAtLayer3() throws {
    let plan = try StackTransmitter(endpoints: stackClient).plan(message: try stackRequest())
    var rx = StackReceiver()
    let station = EthernetReceiver(address: stackClient.destinationMAC)
    for (i, f) in plan.frames.enumerated() {
        guard var frame = station.classify(f).delivered else { continue }
        if i == 1 { frame.payload[IPv4Header.Field.ttl] ^= 0x01 }
        rx.receive(frame)
    }
    #expect(rx.refused.count == 1)
    #expect(rx.refused.first?.contains("L3") == true && rx.refused.first?.contains("checksumMismatch") == true)
    let r = try #require(rx.finish().first)
    #expect(r.message == nil)
    #expect(r.error?.layer == 4)  // and so the data segment is missing
    #expect(r.trace.records.first { $0.layer == 3 }?.error?.contains("checksumMismatch") == true)
}

@Test func flippedByteInTheTCPSegmentIsRefusedAtLayer4WithTheMissingRange() throws {
    let plan = try StackTransmitter(endpoints: stackClient).plan(message: try stackRequest())
    let r = try #require(upWith(plan.frames, changing: 1) { $0[60] ^= 0x20 })
    #expect(r.message == nil)
    #expect(r.error?.layer == 4)
    let missing = try #require(r.missing.first)
    #expect(missing.offsets == 0..<plan.stream.count)
    #expect(missing.start == SequenceNumber(1001))
    let l4 = try #require(r.trace.records.first { $0.layer == 4 })
    #expect(l4.details.contains { $0.contains("checksumMismatch") })
    #expect(r.error?.description.contains("seq 1001..<") == true)
}

@Test func malformedHTTPIsRefusedAtLayer7() throws {
    let bad = Array("POST /api HTTP/1.1\r\nHost: 10.0.0.2\r\nContent-Length: 50\r\n\r\nshort".utf8)
    let plan = try StackTransmitter(endpoints: stackClient).plan(message: bad)
    let r = try #require(stackUp(plan.frames).first)
    #expect(r.message == nil)
    #expect(r.error?.layer == 7)
    #expect(r.trace.records.last?.layer == 7 && r.trace.records.last?.error != nil)
}

@Test func damagedSessionLayerIsRefusedAtLayer5() throws {
    let plan = try StackTransmitter(endpoints: stackClient).plan(message: try stackRequest())
    // Byte 40 of the data segment's stream is inside the first DATA SPDU's header: TCP is
    // rebuilt around it with a good checksum, so only the session layer can notice.
    var segments = plan.segments
    segments[1].payload[44] ^= 0xFF
    let tx = StackTransmitter(endpoints: stackClient)
    var trace = StackTrace()
    let frames = try tx.lowerLayers(segments, streamLength: plan.stream.count, trace: &trace)
    let r = try #require(stackUp(frames).first)
    #expect(r.message == nil)
    #expect(r.error?.layer == 5)
}
