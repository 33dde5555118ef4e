import Foundation
import L1Physical

/// One protocol's chain (SAME, caller ID, UART, RTTY, KCS): demodulator, slicers, framing,
/// de-duplication across slicers. AX.25 has its own chain, ``AX25Pipeline``.
struct Pipeline: Sendable {
    let proto: RealWorldProtocol
    let sampleRate: Double
    var demod: AFSKBitDemodulator
    var uart: [UARTDecoder] = []
    var cid: [CallerIDParser] = []
    var same = SAMEBurstDecoder()
    var sameAssembler: SAMEAssembler
    var baudot = BaudotDecoder()
    /// Messages waiting for duplicates from other slicers.
    var deduplicator: MessageDeduplicator

    init(proto: RealWorldProtocol, sampleRate: Double, options: ProtocolReceiverOptions) {
        self.proto = proto
        self.sampleRate = sampleRate
        let sig = options.signalling ?? proto.defaultSignalling
        let spb = sampleRate / sig.baud
        deduplicator = MessageDeduplicator(holdSamples: Int(spb * 24))
        sameAssembler = SAMEAssembler(sampleRate: sampleRate)
        switch proto {
        case .ax25:
            preconditionFailure("AX.25 has its own chain, AX25Pipeline")
        case .same:
            // HF RTTY fades and tilts: each tone normalised by its own level. Cassette and
            // modem audio are steadier, and a plain 0 dB slicer reads their first byte better.
            demod =
                proto == .rtty
                ? AFSKBitDemodulator(signalling: sig, sampleRate: sampleRate, gainsDB: [], agcSlicer: true)
                : AFSKBitDemodulator(signalling: sig, sampleRate: sampleRate, gainsDB: [0])
        case .callerid:
            demod = AFSKBitDemodulator(
                signalling: sig, sampleRate: sampleRate,
                gainsDB: [-12, -8, -4, 0, 4, 8], agcSlicer: true)
            uart = Array(
                repeating: UARTDecoder(format: .n81, samplesPerBit: spb, minConfidence: 0.3),
                count: demod.slicerCount)
            cid = Array(repeating: CallerIDParser(), count: demod.slicerCount)
        case .uart, .rtty, .kcs:
            // HF RTTY fades and tilts: each tone normalised by its own level. Cassette and
            // modem audio are steadier, and a plain 0 dB slicer reads their first byte better.
            demod =
                proto == .rtty
                ? AFSKBitDemodulator(signalling: sig, sampleRate: sampleRate, gainsDB: [], agcSlicer: true)
                : AFSKBitDemodulator(signalling: sig, sampleRate: sampleRate, gainsDB: [0])
            let format = proto == .rtty ? .baudot : proto == .kcs ? .n82 : (options.uartFormat ?? .n81)
            uart = [UARTDecoder(format: format, samplesPerBit: spb)]
        }
    }

    func time(_ sample: Int) -> Double { Double(sample) / sampleRate }

    mutating func process(_ block: UnsafeBufferPointer<Float>) -> [ProtocolMessage] {
        var found: [ProtocolMessage] = []
        switch proto {
        case .ax25:
            return []  // never built for AX.25 (see init)
        case .same:
            var dec = same
            var bursts: [SAMEBurst] = []
            demod.process(block) { _, soft, sample in
                if let b = dec.push(soft > 0, sample: sample) { bursts.append(b) }
            }
            same = dec
            for b in bursts { if let m = sameAssembler.add(b) { found.append(sameMessage(m)) } }
            return found
        case .callerid:
            var decoders = uart, parsers = cid
            demod.processSoft(block) { k, soft in
                decoders[k].process(soft) { ch in
                    if let m = parsers[k].push(ch.value) {
                        found.append(Self.callerIDMessage(m, sample: ch.sample, rate: sampleRate))
                    }
                }
            }
            uart = decoders
            cid = parsers
        case .uart, .rtty, .kcs:
            var decoder = uart[0]
            var chars: [UARTCharacter] = []
            demod.processSoft(block) { _, soft in decoder.process(soft) { chars.append($0) } }
            uart[0] = decoder
            guard let first = chars.first else { return [] }
            var bytes: [UInt8] = []
            if proto == .rtty {
                var text = ""
                for c in chars { if let ch = baudot.decode(c.value) { text.append(ch) } }
                bytes = Array(text.utf8)
            } else {
                bytes = chars.map(\.value)
            }
            if bytes.isEmpty { return [] }
            return [
                ProtocolMessage(
                    proto: proto, sample: first.sample, time: time(first.sample), status: .ok,
                    text: String(decoding: bytes, as: UTF8.self), bytes: bytes, fields: [:])
            ]
        }
        return dedupe(found, final: false)
    }

    mutating func finish() -> [ProtocolMessage] {
        switch proto {
        case .same:
            var out: [ProtocolMessage] = []
            if let b = same.flush(), let m = sameAssembler.add(b) { out.append(sameMessage(m)) }
            if let m = sameAssembler.flush() { out.append(sameMessage(m)) }
            return out
        case .callerid:
            return dedupe([], final: true)
        default:
            return []
        }
    }

    mutating func dedupe(_ found: [ProtocolMessage], final: Bool) -> [ProtocolMessage] {
        deduplicator.add(found, now: demod.sampleCount, final: final)
    }

    static func ax25Message(_ f: HDLCFrame, sample: Int, rate: Double) -> ProtocolMessage {
        var fields: [String: String] = [:]
        let text: String
        if let frame = try? AX25Frame(bytes: f.bytes) {
            text = frame.tnc2
            fields = [
                "source": frame.source.description, "destination": frame.destination.description,
                "path": frame.path.map { $0.description + ($0.repeated ? "*" : "") }.joined(separator: ","),
                "info": AX25Frame.printable(frame.info)
            ]
            if let aprs = APRSPacket(frame) { fields.merge(aprs.fields) { old, _ in old } }
        } else {
            text = AX25Frame.printable(f.bytes)
        }
        return ProtocolMessage(
            proto: .ax25, sample: sample, time: Double(sample) / rate, status: f.status,
            text: text, bytes: f.bytes, fields: fields)
    }

    static func callerIDMessage(_ m: CallerIDMessage, sample: Int, rate: Double) -> ProtocolMessage {
        var fields: [String: String] = ["type": m.type == 0x80 ? "MDMF" : "SDMF"]
        for (t, v) in m.parameters { fields[CallerIDMessage.name(t)] = AX25Frame.printable(v) }
        return ProtocolMessage(
            proto: .callerid, sample: sample, time: Double(sample) / rate, status: .ok,
            text: m.line, bytes: m.bytes, fields: fields)
    }

    func sameMessage(_ m: (text: String, sample: Int, bursts: Int)) -> ProtocolMessage {
        ProtocolMessage(
            proto: .same, sample: m.sample, time: time(m.sample), status: .ok, text: m.text,
            bytes: Array(m.text.utf8), fields: ["bursts": String(m.bursts)])
    }
}
