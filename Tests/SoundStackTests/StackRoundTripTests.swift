import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L6Presentation
import L7Application
import SoundStack
import Testing

let stackClient = StackEndpoints(
    sourceMAC: StackEndpoints.defaultMAC(for: IPv4Address(10, 0, 0, 1)),
    destinationMAC: StackEndpoints.defaultMAC(for: IPv4Address(10, 0, 0, 2)),
    sourceIP: IPv4Address(10, 0, 0, 1), destinationIP: IPv4Address(10, 0, 0, 2), sourcePort: 49152,
    destinationPort: 8080)

func stackRequest(_ json: String = #"{"a":1,"name":"ada"}"#) throws -> [UInt8] {
    var headers = HTTPHeaders()
    try headers.add(name: "X-Trace", value: "1")
    return try HTTPRequest(.post, url: "http://10.0.0.2:8080/api", json: json, headers: headers).serialize()
}

/// The frames handed straight to the receiver (layers 1 and 2 skipped), optionally some dropped or changed.
func stackUp(_ frames: [[UInt8]], passphrase: String? = nil) -> [StackResult] {
    var rx = StackReceiver(passphrase: passphrase)
    let station = EthernetReceiver(address: stackClient.destinationMAC)
    for f in frames {
        if let frame = station.classify(f).delivered { rx.receive(frame) }
    }
    return rx.finish()
}

@Test(arguments: StackOptions.Framing.allCases)
func postCrossesLayers7To2AndBack(framing: StackOptions.Framing) throws {
    let message = try stackRequest()
    let plan = try StackTransmitter(endpoints: stackClient, options: StackOptions(framing: framing)).plan(
        message: message)
    #expect(plan.trace.records.map(\.layer) == [7, 6, 5, 4, 3, 2])
    #expect(plan.segments.count == 3)  // SYN, one data segment, FIN
    let results = stackUp(plan.frames)
    #expect(results.count == 1)
    let r = try #require(results.first)
    #expect(r.error == nil)
    #expect(r.message == message)
    #expect(r.trace.records.map(\.layer) == [1, 2, 3, 4, 5, 6, 7])
    #expect(r.endpoints == stackClient)
}

@Test func postCrossesAllLayersThroughAudio() throws {
    let message = try stackRequest()
    let tx = StackTransmitter(endpoints: stackClient, options: StackOptions(compressionLevel: 6))
    let plan = try tx.plan(message: message)
    var audio: [Float] = []
    let mode = try #require(Mode.named("mfsk4-6000"))
    let sent = try tx.transmit(plan.frames, physical: PhysicalConfig(mode: mode, gapSeconds: 0.02)) { audio += $0 }
    let summary = sent.summary, l1 = sent.record
    #expect(summary.frames == plan.frames.count)
    #expect(l1.layer == 1 && (l1.seconds ?? 0) > 0 && l1.details.count == plan.frames.count)
    var rx = StackReceiver()
    let reports = try StackLink.receive(
        audio, sampleRate: 48000, modes: [mode],
        station: EthernetReceiver(address: stackClient.destinationMAC), into: &rx)
    #expect(reports.allSatisfy { $0.isOK })
    let r = try #require(rx.finish().first)
    #expect(r.message == message)
    #expect(r.trace.rendered().contains("L7 Application"))
}

@Test func largeBodyIsSegmentedByMSSAndFragmentedByMTU() throws {
    let body = "{\"data\":\"" + String(repeating: "x", count: 5000) + "\"}"
    let message = try stackRequest(body)
    var options = StackOptions(mss: 3000, mtu: 1500)
    options.framing = .plain
    let plan = try StackTransmitter(endpoints: stackClient, options: options).plan(message: message)
    #expect(plan.frames.count > plan.segments.count)  // segments of 3000 B need two fragments each
    #expect(stackUp(plan.frames.shuffled()).first?.message == message)
}

@Test func encryptedBodyNeedsTheRightPassphrase() throws {
    let message = try stackRequest()
    let fast = try ScryptParameters(log2N: 10, r: 8, p: 1)
    let plan = try StackTransmitter(
        endpoints: stackClient,
        options: StackOptions(passphrase: "open sesame", scrypt: fast)
    ).plan(message: message)
    #expect(stackUp(plan.frames, passphrase: "open sesame").first?.message == message)
    let wrong = try #require(stackUp(plan.frames, passphrase: "guess").first)
    #expect(wrong.message == nil)
    #expect(wrong.error?.layer == 6)
    #expect(wrong.trace.rendered().contains("✗"))
}
