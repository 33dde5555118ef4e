import ChannelSimulator
import L1Physical
import L2DataLink
import SoundStack
import Testing

@Test func twentyKilobytesLoseFramesAndOnlyTheMissingSegmentsAreResent() throws {
    let items = (0..<1100).map { "\"item \($0) payload\"" }.joined(separator: ",")
    let message = try stackRequest("{\"items\":[\(items)]}")
    #expect(message.count > 20_000)
    let mode = try #require(Mode.named("mfsk4-6000"))
    let config = PhysicalConfig(mode: mode, gapSeconds: 0.02)
    let tx = StackTransmitter(endpoints: stackClient, options: StackOptions(framing: .plain))
    let plan = try tx.plan(message: message)
    #expect(plan.segments.count == 2 + (message.count + 1459) / 1460)
    var audio: [Float] = []
    _ = try tx.transmit(plan.frames, physical: config) { audio += $0 }
    let station = EthernetReceiver(address: stackClient.destinationMAC)

    // The sender's own clean recording, and the receiver's with three 40 ms dropouts.
    var senderSide = StackReceiver()
    _ = try StackLink.receive(audio, sampleRate: 48000, modes: [mode], station: station, into: &senderSide)
    let sent = try #require(senderSide.finish().first)
    #expect(sent.message == message)
    let (noisy, _) = try ChannelSimulator.apply(
        [.dropout(count: 3, milliseconds: 40)], to: audio, sampleRate: 48000, seed: 3)
    var receiverSide = StackReceiver()
    let reports = try StackLink.receive(noisy, sampleRate: 48000, modes: [mode], station: station, into: &receiverSide)
    #expect(reports.contains { !$0.isOK })
    let heard = try #require(receiverSide.finish().first)
    #expect(heard.message == nil)
    #expect(heard.error?.layer == 4)
    #expect(!heard.missing.isEmpty)

    let resend = try #require(try StackResend.plan(sent: sent, heard: heard))
    #expect(resend.missing == heard.missing.map(\.offsets))
    #expect(resend.segments.count < plan.segments.count / 2)
    #expect(resend.segments.allSatisfy { s in heard.missing.contains { $0.start == s.header.sequenceNumber } })
    var trace = StackTrace()
    let frames = try StackTransmitter(endpoints: resend.endpoints, options: resend.options)
        .lowerLayers(resend.segments, streamLength: 0, trace: &trace)
    var resendAudio: [Float] = []
    _ = try tx.transmit(frames, physical: config) { resendAudio += $0 }

    // Both recordings together: the exact request.
    var together = StackReceiver()
    _ = try StackLink.receive(noisy, sampleRate: 48000, modes: [mode], station: station, into: &together)
    _ = try StackLink.receive(resendAudio, sampleRate: 48000, modes: [mode], station: station, into: &together)
    let r = try #require(together.finish().first)
    #expect(r.error == nil)
    #expect(r.message == message)
}
