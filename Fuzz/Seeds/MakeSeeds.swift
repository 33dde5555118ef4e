// Writes the seed corpus of every fuzz target (Fuzz/corpus/<target>/) from the encoders, in the
// input layout each harness reads. scripts/fuzz.sh builds and runs it (`scripts/fuzz.sh --seeds`).
import Foundation
import Framings
import L1Physical
import L2DataLink
import L3Network
import L4Transport
import L5Session
import L6Presentation
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

        // afsk: set-up (rate, 5 gains, 5 demodulators), block control, s16le samples of one AX.25
        // UI frame in AFSK 1200 with a little silence around it, at each of the four rates.
        let seedFrame = try AX25Frame(tnc2: "N0CALL>APRS:>seed")
        let levels = HDLCEncoder.lineBits([seedFrame.bytes], preambleFlags: 8, postambleFlags: 2)
        for (r, rate) in [8000.0, 11025, 22050, 44100].enumerated() {
            let audio = [Float](repeating: 0, count: Int(rate / 100))
                + FSKBitModulator.render(levels, signalling: .bell202, sampleRate: rate)
                + [Float](repeating: 0, count: Int(rate / 100))
            var bytes: [UInt8] = [UInt8(r | 4 << 2 | 4 << 5), UInt8(r * 41)]
            for s in audio {
                let v = UInt16(bitPattern: Int16(max(-32767, min(32767, (s * 32767).rounded()))))
                bytes += [UInt8(v & 0xFF), UInt8(v >> 8)]
            }
            write("afsk", "ui-\(Int(rate))", bytes)
        }

        // ax25: control, a frame description (1-letter calls, UI control and PID, no info),
        // u16 noise length and noise (here the HDLC line bits of a frame), raw frame bytes.
        let ui = try AX25Frame(tnc2: "N0CALL-7>APRS,WIDE1-1*,WIDE2-1:!4903.50N/07201.75W-SoundStack")
        let sabm = AX25Frame(destination: AX25Address(callsign: "W1AW"), source: AX25Address(callsign: "K1ABC", ssid: 3),
                             control: 0x2F, pid: nil, info: [])
        let describe: [UInt8] = [0, 0, 0, 0] + [0, 0, 1, 2] + [0, 0] + [0x03, 0xF0] + u16(4) + Array("test".utf8)
        for (name, frame) in [("ui", ui), ("sabm", sabm)] {
            var line: [UInt8] = []
            for (i, level) in HDLCEncoder.lineBits([frame.bytes], preambleFlags: 4, postambleFlags: 2).enumerated() {
                if i % 8 == 0 { line.append(0) }
                if level { line[line.count - 1] |= 1 << UInt8(i % 8) }
            }
            write("ax25", name, [0x02] + describe + u16(line.count) + line + frame.bytes)
        }

        // same: control, header description (33 bytes with one location), u16 sample rate,
        // bit step, then the bytes of three bursts.
        let sameText = Array("ZCZC-WXR-TOR-039173+0030-1591829-KCLE/NWS-".utf8)
        let burst = [UInt8](repeating: 0xAB, count: 16) + sameText + [0]
        write("same", "tornado", [0] + [UInt8](repeating: 0, count: 33) + u16(1000) + [1] + burst + burst + burst)
        let eom = [UInt8](repeating: 0xAB, count: 16) + Array("NNNN".utf8) + [0xFF]
        write("same", "eom", [1, 0, 0, 1] + eom + eom + eom)

        // callerid: control, one empty parameter, damage index and XOR, then a real message.
        let mdmf = CallerIDMessage.mdmf([(0x01, Array("11261705".utf8)), (0x02, Array("4133972057".utf8)),
                                         (0x07, Array("SOUNDSTACK".utf8))])
        write("callerid", "mdmf", [0, 0, 0, 0, 0, 0, 0, 1] + mdmf)
        var sdmf: [UInt8] = [0x04, 18] + Array("112617055551234567".utf8)
        sdmf.append(0 &- sdmf.reduce(UInt8(0), &+))
        write("callerid", "sdmf", [0, 0, 0, 0, 0, 0, 0, 1] + sdmf)

        // uart: control, format 8-N-1 (27), 8 samples/bit, no clean characters, one block; then
        // u16 samples/bit (8.0), min confidence, u16 length and soft values of "Hi" at 8-N-1.
        var uart: [UInt8] = []
        for level in [true, true] + UARTFormat.n81.bits(of: 0x48) + [true] + UARTFormat.n81.bits(of: 0x69) + [true, true] {
            uart += [UInt8](repeating: level ? 100 : UInt8(bitPattern: -100), count: 8)
        }
        write("uart", "hi-8n1", [0, 27, 4, 0, 255] + u16(480) + [64] + u16(uart.count) + uart + [255])

        // spdu: control, limits, an empty message (OPEN, CLOSE), then events: a recording of a
        // sender's units as raw bytes (op 0x18: wide record), end of recording (op 4).
        let sessionTx = try SessionSender(message: message, sessionID: SessionID(1), unitSize: 16, checkpointInterval: 2)
        var recording: [UInt8] = []
        for unit in sessionTx.allSPDUs() { recording += try unit.emit() }
        write("spdu", "recording", [0] + u16(8) + u16(64) + u16(4000) + u16(4) + u16(0) + u16(0) + u16(0) + u16(0)
              + u16(0) + u16(0) + [0x18] + u16(recording.count) + recording + [4])

        // presentation: control, encoder settings, content, damage, bomb size and declared length,
        // then a message.
        let json = Array(#"{"layer":6,"name":"presentation","ok":true}"#.utf8)
        let small = try ScryptParameters(log2N: 4, r: 4, p: 1)
        var seedRNG = SeedRNG()   // fixed salts and nonces: the seeds are the same on every run
        let encoders: [(String, PresentationEncoder, [UInt8])] = [
            ("plain", PresentationEncoder(), message),
            ("text-deflate", PresentationEncoder(contentType: .utf8Text, compressionLevel: 9), message + message + message),
            ("json", PresentationEncoder(contentType: .json), json),
            ("chacha", PresentationEncoder(compressionLevel: 6, encryption: EncryptionSettings(
                cipher: .chaCha20Poly1305, passphrase: "fuzz", scrypt: small)), message + message),
            ("aes", PresentationEncoder(contentType: .json, encryption: EncryptionSettings(
                cipher: .aes256GCM, passphrase: "fuzz", scrypt: small)), json),
        ]
        for (name, encoder, content) in encoders {
            let bytes = try encoder.encode(content, using: &seedRNG).bytes
            write("presentation", name, [4, 7, 6, 2, 1] + u16(json.count) + json + [0, 0, 0, 0, 0, 0, 3, 0, 0] + bytes)
        }
    }
}

/// A fixed xorshift generator for the salts and nonces of the encrypted seeds.
struct SeedRNG: RandomNumberGenerator {
    var state: UInt64 = 0x5EED_5EED_5EED_5EED
    mutating func next() -> UInt64 {
        state ^= state << 13; state ^= state >> 7; state ^= state << 17
        return state
    }
}
