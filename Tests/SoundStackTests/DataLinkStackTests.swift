import ChannelSimulator
import L1Physical
import L2DataLink
import SignalBasics
import SoundStack
import Testing

private let alice = MACAddress.stable(from: "alice")
private let bob = MACAddress.stable(from: "bob")

private func send(
    _ message: [UInt8], to destination: MACAddress = .broadcast, mode: String = "fsk1200",
    frameBytes: Int = 1500
) throws -> [Float] {
    let config = PhysicalConfig(mode: try #require(Mode.named(mode)), gapSeconds: 0.02)
    let tx = try LinkTransmitter(
        physical: config, endpoint: LinkEndpoint(source: alice, destination: destination),
        payloadBytes: frameBytes)
    var audio = [Float]()
    _ = try tx.transmit(message: message) { audio.append(contentsOf: $0) }
    return audio
}

private func receive(_ audio: [Float], station: EthernetReceiver, mode: String = "fsk1200") throws
    -> (reports: [LinkFrameReport], messages: [[UInt8]], missing: [L2MissingFragments])
{
    let phy = try PhysicalReceiver(modes: [try #require(Mode.named(mode))], lineCode: nil, sampleRate: 48000)
    let rx = LinkReceiver(physical: phy, station: station)
    var reception = audio.withUnsafeBufferPointer { rx.process($0) }
    reception.append(rx.finish())
    let messages = reception.deliveries.compactMap { d -> [UInt8]? in
        if case let .message(_, bytes) = d { return bytes }
        return nil
    }
    return (reception.reports, messages, reception.missing)
}

@Test func tenKilobytesCrossAsEthernetFrames() throws {
    var rng = SeededGenerator(seed: 4)
    let message = (0..<10_000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    let audio = try send(message, mode: "mfsk4-6000")
    let result = try receive(audio, station: EthernetReceiver(address: bob), mode: "mfsk4-6000")
    #expect(result.reports.count == 7)  // 1492 bytes of message per frame
    #expect(result.reports.allSatisfy { $0.status.isOK && $0.ethernet?.etherType == .localExperimental1 })
    #expect(result.messages == [message])
    #expect(result.missing.isEmpty)
}

@Test func framesForAnotherStationAreNotDelivered() throws {
    let message = Array("for bob only".utf8)
    let audio = try send(message, to: bob)
    let carol = try receive(audio, station: EthernetReceiver(address: MACAddress.stable(from: "carol")))
    #expect(carol.reports.map(\.status.tag) == ["not-for-me"])
    #expect(carol.messages.isEmpty)
    let promiscuous = try receive(
        audio, station: EthernetReceiver(address: MACAddress.stable(from: "carol"), promiscuous: true))
    #expect(promiscuous.messages == [message])
    let toBob = try receive(audio, station: EthernetReceiver(address: bob))
    #expect(toBob.messages == [message])
}

@Test func damagedFrameIsReportedNotDeliveredAndTheGapNamed() throws {
    var rng = SeededGenerator(seed: 5)
    let message = (0..<600).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
    var audio = try send(message, frameBytes: 208)  // 200 bytes of message per frame: 3 frames
    // Wipe a stretch in the middle of the second frame with strong noise.
    let frameSamples = audio.count / 3
    for i in (frameSamples + frameSamples / 2)..<(frameSamples + frameSamples / 2 + 2000) {
        audio[i] = Float(rng.nextGaussian())
    }
    let result = try receive(audio, station: EthernetReceiver(address: bob))
    #expect(result.reports.map(\.status.tag) == ["ok", "fcs-mismatch", "ok"])
    #expect(result.reports[1].delivered == false)
    #expect(result.messages.isEmpty)
    #expect(result.missing.count == 1)
    #expect(result.missing.first?.missing == [1])
}
