import AudioIO
import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import SoundStack
import TestSupport
import Testing

private let udpEnds = StackEndpoints(
    sourceMAC: stackClient.sourceMAC, destinationMAC: stackClient.destinationMAC,
    sourceIP: stackClient.sourceIP, destinationIP: stackClient.destinationIP,
    sourcePort: 49153, destinationPort: 5000)

/// Re-frames an IPv4 packet after changing one of its UDP payload bytes (IP checksum and FCS made good again).
private func damagingUDPPayload(_ frame: [UInt8]) throws -> [UInt8] {
    let f = try EthernetFrame.parse(frame)
    var packet = try IPv4Packet.parse(f.payload)
    packet.payload[packet.payload.count - 1] ^= 0x01
    return try EthernetFrame(destination: f.destination, source: f.source, etherType: .ipv4, payload: try packet.emit())
        .emit()
}

@Suite struct StackUDPTests {
    @Test func aDatagramGoesDownAndUpThroughAudio() throws {
        let tx = StackTransmitter(endpoints: udpEnds)
        let (frames, trace) = try tx.datagram(Array("hello over UDP".utf8))
        #expect(frames.count == 1)
        #expect(trace.records.map(\.layer) == [4, 3, 2])
        var audio: [Float] = []
        _ = try tx.transmit(frames, physical: PhysicalConfig(mode: try #require(Mode.named("mfsk4-6000")))) {
            audio += $0
        }
        var rx = StackReceiver()
        _ = try StackLink.receive(
            audio, sampleRate: 48000, modes: [try #require(Mode.named("mfsk4-6000"))],
            station: EthernetReceiver(address: udpEnds.destinationMAC), into: &rx)
        #expect(rx.finish().isEmpty)
        let d = try #require(rx.datagrams.first)
        #expect(d.error == nil)
        #expect(d.udpPayload == Array("hello over UDP".utf8))
        #expect(d.header.ipProtocol == .udp && d.header.ttl == 64)
        #expect(d.trace.records.map(\.layer) == [1, 2, 3, 4])
        #expect(d.trace.records.last?.checksums.first?.contains("UDP checksum verified") == true)
        #expect(rx.refused.isEmpty)
    }

    @Test func aBadUDPChecksumIsRefusedAndNamed() throws {
        let (frames, _) = try StackTransmitter(endpoints: udpEnds).datagram(Array("payload".utf8))
        var rx = StackReceiver()
        let frame = try #require(
            EthernetReceiver(address: udpEnds.destinationMAC).classify(try damagingUDPPayload(frames[0])).delivered)
        rx.receive(frame)
        let d = try #require(rx.datagrams.first)
        #expect(d.udpPayload == nil)
        #expect(d.error?.contains("L4 UDP datagram refused") == true)
        #expect(d.error?.contains("checksum") == true)
        #expect(d.trace.records.last?.error != nil)
    }

    @Test func udpAndTCPShareOneReceiver() throws {
        let message = try stackRequest()
        let http = try StackTransmitter(endpoints: stackClient).plan(message: message).frames
        let (udp, _) = try StackTransmitter(endpoints: udpEnds).datagram([1, 2, 3])
        let station = EthernetReceiver(address: stackClient.destinationMAC)
        var rx = StackReceiver()
        for f in [http[0], udp[0]] + http.dropFirst() { rx.receive(try #require(station.classify(f).delivered)) }
        #expect(rx.finish().first?.message == message)
        #expect(rx.datagrams.map(\.udpPayload) == [[1, 2, 3]])
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable), .enabled(if: Tshark.isAvailable))
    func cliSendsUDPAndDecodeShowsItAndTsharkAgreesOnTheChecksum() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let sent = try runCLI([
            "udp", "10.0.0.2:5000", "--text", "hi over udp", "-o", "\(dir.path)/u.wav",
            "--mode", "mfsk4-6000", "--trace"
        ])
        #expect(sent.status == 0)
        #expect(sent.stderr.contains("L4 Transport") && sent.stderr.contains("UDP"))
        let got = try runCLI([
            "decode", "--ip", "10.0.0.2", "--trace", "--pcap", "\(dir.path)/u.pcapng", "\(dir.path)/u.wav"
        ])
        #expect(got.status == 0)
        #expect(got.stdout == "hi over udp")
        #expect(got.stderr.contains("protocol 17 (UDP)") && got.stderr.contains("UDP checksum verified"))
        let json = try runCLI(["decode", "--ip", "10.0.0.2", "--trace", "--json", "\(dir.path)/u.wav"])
        #expect(json.stdout.contains("\"protocol_name\" : \"UDP\""))
        let v = try Tshark.run([
            "-r", "\(dir.path)/u.pcapng", "-o", "udp.check_checksum:TRUE",
            "-o", "ip.check_checksum:TRUE", "-V"
        ])
        #expect(v.stdout.contains("User Datagram Protocol, Src Port: 49153, Dst Port: 5000"))
        #expect(v.stdout.contains("[Checksum Status: Good]"))
        #expect(!v.stdout.contains("Bad"))
    }

    @Test(.enabled(if: SoundStackBinary.isAvailable)) func cliRefusesABadUDPChecksumWithOneClearLine() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let tx = StackTransmitter(endpoints: udpEnds)
        let (frames, _) = try tx.datagram(Array("payload".utf8))
        var writer = try AudioFileWriter(path: "\(dir.path)/bad.wav", sampleRate: 48000, channels: 1, encoding: nil)
        _ = try tx.transmit(
            [try damagingUDPPayload(frames[0])],
            physical: PhysicalConfig(mode: try #require(Mode.named("mfsk4-6000")))
        ) { try writer.write($0) }
        try writer.close()
        let got = try runCLI(["decode", "--ip", "10.0.0.2", "\(dir.path)/bad.wav"])
        #expect(got.status == 3)
        #expect(got.stdout.isEmpty)
        #expect(got.stderr.contains("L4 UDP datagram refused (10.0.0.1:49153 → 10.0.0.2:5000): "))
        #expect(got.stderr.contains("checksum"))
    }
}
