// Writes the seed corpus of every fuzz target (Fuzz/corpus/<target>/) from the encoders, in the
// input layout each harness reads. scripts/fuzz.sh builds and runs it (`scripts/fuzz.sh --seeds`).
import Foundation
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L7Application

@main
struct MakeSeeds {
    static var root = "Fuzz/corpus"

    static func write(_ target: String, _ name: String, _ bytes: [UInt8]) {
        let dir = "\(root)/\(target)"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: Data(bytes))
    }

    static func u16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func u32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func main() throws {
        if CommandLine.arguments.count > 1 { root = CommandLine.arguments[1] }
        let me = MACAddress(value: 0x0200_5E10_0001), peer = MACAddress(value: 0x0200_5E10_0002)
        let message = Array("SoundStack fuzz seed: the quick brown fox jumps over the lazy dog".utf8)

        // ethernet: control byte, frame.
        write("ethernet", "short", [0] + (try EthernetFrame(destination: me, source: peer, payload: Array("hi".utf8)).emit()))
        write("ethernet", "broadcast", [1] + (try EthernetFrame(destination: .broadcast, source: peer, etherType: .ipv4,
                                                                    payload: message + message).emit()))

        // l2reassembler: three u16 limits, then (source byte, length byte, payload) records.
        var seg = L2Segmenter(firstMessageID: 7, fragmentData: 20)
        let pieces = try seg.segment(message)
        var l2 = u16(3) + u16(4000) + u16(16)
        for p in pieces.reversed() { l2 += [0, UInt8(p.count)] + p }
        for p in pieces { l2 += [1, UInt8(p.count)] + p }
        write("l2reassembler", "two-sources", l2)

        // ipv4: control byte, u16 MTU, packet.
        let a = IPv4Address(10, 0, 0, 1), b = IPv4Address(10, 0, 0, 2)
        let echo = ICMPv4Message.echoRequest(identifier: 1, sequence: 2, data: message).emit()
        let packet = IPv4Packet(header: IPv4Header(identification: 9, ipProtocol: .icmp, source: a, destination: b,
                                                   options: [0x94, 4, 0, 0]), payload: echo)
        write("ipv4", "icmp-with-option", [0] + u16(48) + (try packet.emit()))
        let fragment = try packet.fragments(mtu: 48)[1]
        write("ipv4", "fragment", [1] + u16(28) + (try fragment.emit()))

        // ipv4reassembler: two u16 limits, then (control, u16 offset, length byte) records.
        var ra = u16(4) + u16(4000)
        for off in [3, 1, 0, 2] {
            let more: UInt8 = off == 3 ? 0 : 1
            ra += [more] + u16(off * 3) + [24]
        }
        write("ipv4reassembler", "four-fragments", ra)

        // icmp and arp: the bytes themselves.
        write("icmp", "echo", echo)
        write("icmp", "unreachable", ICMPv4Message.destinationUnreachable(code: .fragmentationNeeded, nextHopMTU: 576,
                                                                          original: Array((try packet.emit()).prefix(28))).emit())
        write("arp", "request", try ARPPacket(operation: .request, senderHardware: me.bytes, senderAddress: a,
                                              targetAddress: b).emit())

        // udp: source and destination address, datagram.
        let udpPH = try PseudoHeader(source: a.bytes, destination: b.bytes, protocolNumber: PseudoHeader.udp)
        write("udp", "datagram", a.bytes + b.bytes + (try UDPDatagram(sourcePort: 53000, destinationPort: 53, payload: message)
            .emit(pseudoHeader: udpPH)))

        // tcp: control byte, segment (checksummed for 10.0.0.1 → 10.0.0.2).
        let tcpPH = try PseudoHeader(source: a.bytes, destination: b.bytes, protocolNumber: PseudoHeader.tcp)
        let tx = try TCPSegmenter(sourcePort: 49152, destinationPort: 80, initialSequenceNumber: 0xFFFF_FFF0, mss: 24)
        write("tcp", "syn", [1] + (try tx.syn().emit(pseudoHeader: tcpPH)))
        var withSack = tx.dataSegments(message)[1]
        withSack.header.options = [.noOperation, .noOperation, .sack([SACKBlock(left: 1, right: 9)]),
                                   .timestamps(value: 1, echoReply: 2)]
        write("tcp", "data-sack", [1] + (try withSack.emit(pseudoHeader: tcpPH)))

        // tcpreassembler: u32 ISN, u16 window, join byte, then (flags, u16 near, far byte, u16 length).
        var tr = u32(0xFFFF_FFF0) + u16(600) + [0]
        tr += [0x02] + u16(0) + [0] + u16(0)                     // SYN
        for start in [48, 0, 24, 24, 72] {                       // out of order, one duplicate
            tr += [0x18] + u16(start) + [0] + u16(24)
        }
        tr += [0x11] + u16(96) + [0] + u16(0)                    // FIN
        write("tcpreassembler", "reordered", tr)

        // http: control byte, piece count 0, messages.
        let get = try HTTPRequest(.get, url: "http://10.0.0.2:8080/status?x=1")
        let post = try HTTPRequest(.post, url: "http://10.0.0.2/api", json: #"{"a":1}"#, framing: .chunked(chunkSize: 3),
                                   trailers: HTTPHeaders([("X-Sum", "7")]))
        write("http-request", "pipelined", [4, 0] + get.serialize() + post.serialize())
        write("http-request", "split", [0, 3, 1, 5, 2] + post.serialize())
        let ok = try HTTPResponse(status: .ok, text: "hello\n")
        let chunked = try HTTPResponse(status: .ok, data: message, framing: .chunked(chunkSize: 10))
        write("http-response", "two", [0, 0] + ok.serialize() + chunked.serialize())
        write("http-response", "to-end", [0, 2, 3, 9] + Array("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody until the end".utf8))
        write("http-response", "head", [8, 0] + Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n".utf8))

        // phy: header, short header, line code, u16 chip count and chips, bits, bytes.
        let header = PhysicalFrame.headerBytes(length: 300, flags: [.payloadCRC, .scrambled])
        for (i, _) in LineCode.allCases.enumerated() {
            var phy = header + [3, 1, 2, 3] + [UInt8(i)] + u16(16)
            phy += (0..<16).map { UInt8(bitPattern: Int8($0 % 3 == 0 ? 100 : -100)) }
            phy += [16] + (0..<16).map { UInt8($0 % 2) } + message.prefix(16)
            write("phy", "code-\(i)", phy)
        }

        // demodulator: mode pick, block control, s16le samples at 8 kHz of one short frame.
        let modes = Mode.all.filter { mode in
            LineCode.allCases.contains { (try? mode.validate(sampleRate: 8000, lineCode: $0)) != nil }
        }
        for (i, mode) in modes.enumerated() {
            let code: LineCode = mode.isBaseband ? .nrzL : mode.defaultLineCode
            let codeIndex = LineCode.allCases.firstIndex(of: code) ?? 0
            guard (try? mode.validate(sampleRate: 8000, lineCode: code)) != nil else { continue }
            let enc = FrameEncoder(mode: mode, lineCode: code)
            let mod = FSKModulator(mode: mode, lineCode: code, sampleRate: 8000)
            let audio = [Float](repeating: 0, count: 200) + mod.samples(symbols: try enc.symbols(payload: Array("seed \(i)".utf8)))
                + [Float](repeating: 0, count: 200)
            var bytes: [UInt8] = [UInt8(i + codeIndex * modes.count), UInt8(i * 37)]
            for s in audio {
                let v = UInt16(bitPattern: Int16(max(-32767, min(32767, (s * 32767).rounded()))))
                bytes += [UInt8(v & 0xFF), UInt8(v >> 8)]
            }
            write("demodulator", mode.name, bytes)
        }
    }
}
