import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import SoundStack
import TestSupport
import Testing

private let fast = Mode.named("mfsk4-6000")!

private func up(_ audio: [[Float]], at mac: MACAddress) throws -> StackReceiver {
    var rx = StackReceiver()
    for a in audio {
        _ = try StackLink.receive(
            a, sampleRate: 48000, modes: [fast], station: EthernetReceiver(address: mac), into: &rx)
    }
    return rx
}

private func sound(_ frames: [[UInt8]]) throws -> [Float] {
    var audio: [Float] = []
    _ = try StackTransmitter(endpoints: stackClient).transmit(
        frames, physical: PhysicalConfig(mode: fast, gapSeconds: 0.02)
    ) { audio += $0 }
    return audio
}

@Suite struct StackReplyTests {
    @Test func theReceiversAckAudioNamesTheGapsAndTheResendFromItCompletesTheRequest() throws {
        let items = (0..<1100).map { "\"item \($0) payload\"" }.joined(separator: ",")
        let message = try stackRequest("{\"items\":[\(items)]}")
        #expect(message.count > 20_000)
        let plan = try StackTransmitter(endpoints: stackClient, options: StackOptions(framing: .plain)).plan(
            message: message)
        // Frames 4, 5 and 9 (data segments 3, 4, 8) are destroyed on the way: their FCS fails.
        var noisy = plan.frames
        for i in [4, 5, 9] { noisy[i][100] ^= 0xFF }
        let heardAudio = try sound(noisy)
        var receiver = try up([heardAudio], at: stackClient.destinationMAC)
        let heard = try #require(receiver.finish().first)
        #expect(heard.message == nil)
        #expect(heard.missing.map(\.offsets) == [3 * 1460..<5 * 1460, 8 * 1460..<9 * 1460])

        // The receiver's replies, as their own recording, receiver → sender.
        let (replyFrames, replyTrace, _) = try StackReply.frames(for: [heard])
        #expect(replyFrames.count == 2)  // SYN-ACK, ACK with SACK
        #expect(replyTrace.records.contains { $0.layer == 4 && $0.details.contains { $0.contains("SACK") } })
        var sender = try up([try sound(replyFrames)], at: stackClient.sourceMAC)
        let replies = sender.finish()
        let ackSide = try #require(replies.first)
        #expect(replies.count == 1 && ackSide.isAcknowledgmentOnly)
        #expect(ackSide.key.sourceIP == stackClient.destinationIP && ackSide.key.sourcePort == 8080)
        #expect(ackSide.trace.records.contains { $0.layer == 4 && $0.details.contains { $0.contains("SACK") } })
        let ack = try #require(ackSide.acknowledgments.last)
        let isn = plan.options.initialSequenceNumber
        #expect(ack.header.acknowledgmentNumber == isn + 1 + 3 * 1460)
        #expect(
            TCPReassembler.offsets(of: ack.header.sackBlocks, initialSequenceNumber: isn)
                == [5 * 1460..<8 * 1460, 9 * 1460..<message.count])

        // The sender plans from the ACK alone: only the missing segments (and the FIN) go again.
        var own = try up([try sound(plan.frames)], at: stackClient.destinationMAC)
        let sent = try #require(own.finish().first)
        let resend = try #require(try StackResend.plan(sent: sent, acknowledgments: ackSide.acknowledgments))
        #expect(resend.missing == [3 * 1460..<5 * 1460, 8 * 1460..<9 * 1460])
        #expect(
            resend.segments.map { $0.header.sequenceNumber - (isn + 1) } == [
                3 * 1460, 4 * 1460, 8 * 1460, message.count
            ])
        var t = StackTrace()
        let again = try StackTransmitter(endpoints: resend.endpoints, options: resend.options)
            .lowerLayers(resend.segments, streamLength: 0, trace: &t)
        var together = try up([heardAudio, try sound(again)], at: stackClient.destinationMAC)
        let r = try #require(together.finish().first)
        #expect(r.error == nil)
        #expect(r.message == message)
    }

    @Test func withoutAnAckEverythingGoesAgainAndAFullAckMeansNothing() throws {
        let message = try stackRequest()
        let plan = try StackTransmitter(endpoints: stackClient).plan(message: message)
        let sent = try #require(stackUp(plan.frames).first)
        let all = try #require(try StackResend.plan(sent: sent, acknowledgments: []))
        #expect(all.segments.first?.header.flags.contains(.syn) == true)
        #expect(all.segments.last?.header.flags.contains(.fin) == true)
        #expect(all.missing == [0..<sent.stream.count])
        let full = StackReply.segments(for: sent)
        #expect(full.count == 2 && full[1].header.sackBlocks.isEmpty)
        #expect(try StackResend.plan(sent: sent, acknowledgments: full) == nil)
        // SYN lost: the receiver cannot acknowledge anything.
        let noSYN = try #require(stackUp(Array(plan.frames.dropFirst())).first)
        #expect(StackReply.segments(for: noSYN).isEmpty)
    }

    @Test func moreThanFourHolesTakeSeveralAcks() throws {
        let message = try stackRequest("\"" + String(repeating: "x", count: 14 * 1460) + "\"")
        let plan = try StackTransmitter(endpoints: stackClient, options: StackOptions(framing: .plain)).plan(
            message: message)
        let kept = plan.frames.enumerated().filter { ![2, 4, 6, 8, 10, 12].contains($0.offset) }.map(\.element)
        let heard = try #require(stackUp(kept).first)
        #expect(heard.receivedOutOfOrder.count == 6)
        let segments = StackReply.segments(for: heard)
        #expect(segments.count == 3)  // SYN-ACK + 2 ACKs (4 + 2 blocks)
        #expect(segments.dropFirst().map(\.header.sackBlocks.count) == [4, 2])
        let sent = try #require(stackUp(plan.frames).first)
        let resend = try #require(try StackResend.plan(sent: sent, acknowledgments: segments))
        #expect(resend.missing == heard.missing.map(\.offsets))
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable), .enabled(if: Tshark.isAvailable))
    func cliWritesTheAckAudioAndResendsFromIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let body = "{\"items\":[" + (0..<1100).map { "\"item \($0) payload\"" }.joined(separator: ",") + "]}"
        try Data(body.utf8).write(to: URL(fileURLWithPath: "\(dir.path)/big.json"))
        #expect(
            try runCLI([
                "http", "request", "POST", "http://10.0.0.2:8080/api", "--data-binary", "@\(dir.path)/big.json",
                "--plain", "--mode", "mfsk4-6000", "-o", "\(dir.path)/req.wav"
            ]).status == 0)
        #expect(
            try runCLI([
                "channel", "\(dir.path)/req.wav", "-o", "\(dir.path)/noisy.wav", "--spec", "dropout=3x40ms",
                "--seed", "3"
            ]).status == 0)
        let heard = try runCLI([
            "decode", "--ip", "10.0.0.2", "\(dir.path)/noisy.wav", "--reply-audio", "\(dir.path)/ack.wav"
        ])
        #expect(heard.status == 3)
        #expect(heard.stderr.contains("reply SYN-ACK + 1 ACK") && heard.stderr.contains("SACK"))
        let ack = try runCLI([
            "decode", "--ip", "10.0.0.1", "--trace", "--pcap", "\(dir.path)/ack.pcapng", "\(dir.path)/ack.wav"
        ])
        #expect(ack.status == 0)
        #expect(ack.stderr.contains("acknowledgments only") && ack.stderr.contains("SACK"))
        let resend = try runCLI([
            "http", "resend", "--sent", "\(dir.path)/req.wav", "--ack", "\(dir.path)/ack.wav",
            "-o", "\(dir.path)/resend.wav", "--mode", "mfsk4-6000"
        ])
        #expect(resend.status == 0)
        #expect(resend.stderr.contains("resending 3 segments"))
        let got = try runCLI(["decode", "--ip", "10.0.0.2", "-q", "\(dir.path)/noisy.wav", "\(dir.path)/resend.wav"])
        #expect(got.stdout.hasSuffix("\r\n\r\n" + body))
        // The old form still works.
        #expect(
            try runCLI([
                "http", "resend", "--from", "\(dir.path)/req.wav", "--missing-from", "\(dir.path)/noisy.wav",
                "-o", "\(dir.path)/resend2.wav", "--mode", "mfsk4-6000"
            ]).status == 0)
        let v = try Tshark.run(["-r", "\(dir.path)/ack.pcapng", "-o", "tcp.check_checksum:TRUE", "-V"])
        #expect(v.stdout.contains("TCP Option - SACK permitted"))
        #expect(v.stdout.contains("TCP Option - SACK ") && v.stdout.contains("Kind: SACK (5)"))
        #expect(v.stdout.components(separatedBy: "[Checksum Status: Good]").count == 3)
    }
}
