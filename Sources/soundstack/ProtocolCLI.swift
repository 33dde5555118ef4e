import ArgumentParser
import AudioIO
import Foundation
import Framings
import L1Physical
import L2DataLink
import SoundStack

/// Options for the real-world framings (AX.25, UART, RTTY, SAME, caller ID, KCS).
/// `decode --protocol …` and `encode --protocol …` hand over to ``ProtocolCLI``.
/// FX.25 check bytes per block: the closed set the FX.25 tags define.
enum FX25CheckBytes: Int, ExpressibleByArgument, CaseIterable {
    case sixteen = 16
    case thirtyTwo = 32
    case sixtyFour = 64
}

struct ProtocolOptions: ParsableArguments {
    @Option(
        name: .customLong("protocol"),
        help: "Real-world framing instead of SoundStack frames: ax25, uart, rtty, same, callerid, kcs, auto (decode).")
    var protocolName: String?

    @Option(
        name: .customLong("uart-format"),
        help: "UART character format for --protocol uart: data bits, parity, stop bits (8N1, 7E1, 8N2, 5N1.5).")
    var uartFormat: String?

    @Flag(name: .customLong("fix-bits"), help: "AX.25: repair frames with one bad bit (reported as repaired).")
    var fixBits = false

    @Option(
        name: .customLong("ax25-path"),
        help: "AX.25 encode: SRC>DST[,PATH] header for --text/--input lines that carry only the info.")
    var ax25Path: String?

    @Option(name: .customLong("slicers"), help: "AX.25: number of mark/space gain slicers (1–31).")
    var slicers: Int = 5

    @Option(
        name: .customLong("fx25"),
        help: ArgumentHelp(
            "AX.25 encode: send FX.25 with this many Reed–Solomon check bytes (16, 32 or 64).",
            discussion: "Decoding needs no flag: --protocol ax25 recognises and corrects FX.25 by its tag."))
    var fx25: FX25CheckBytes?

    func validate() throws {
        try require(slicers, in: 1...31, "--slicers")
    }

    func format() throws -> UARTFormat? {
        guard let f = uartFormat?.uppercased() else { return nil }
        guard let d = f.first?.wholeNumberValue, f.count >= 3 else { throw CLIError("--uart-format like 8N1") }
        let chars = Array(f)
        let parity: UARTFormat.Parity
        switch chars[1] {
        case "N": parity = .none
        case "E": parity = .even
        case "O": parity = .odd
        default: throw CLIError("--uart-format parity is N, E or O")
        }
        guard let stop = Double(String(chars[2...])) else { throw CLIError("--uart-format stop bits 1, 1.5 or 2") }
        do { return try UARTFormat(dataBits: d, parity: parity, stopBits: stop) } catch {
            throw CLIError(error.description)
        }
    }
}

/// Everything `decode` knows when a protocol is asked for.
struct ProtocolDecodeRequest {
    var input: String
    var protocolName: String
    var options: ProtocolOptions
    var baud: Double?
    var tones: [Double]?
    var channel: ChannelSelection
    var raw: RawFormat?
    var output: String?
    var json: Bool
    var quiet: Bool
    /// Samples decoded at a time.
    var blockFrames = 16384
}

/// Everything `encode` knows when a protocol is asked for.
struct ProtocolEncodeRequest {
    var protocolName: String
    var data: [UInt8]
    var options: ProtocolOptions
    var baud: Double?
    var tones: [Double]?
    var output: String
    var sampleRate: Int
    var encoding: AudioEncoding?
    var quiet: Bool
}

enum ProtocolCLI {
    static func protocols(_ name: String) throws -> [RealWorldProtocol] {
        if name == "auto" { return RealWorldProtocol.checked }
        guard let p = RealWorldProtocol(rawValue: name) else {
            throw CLIError("unknown --protocol '\(name)' (ax25, uart, rtty, same, callerid, kcs, auto)")
        }
        return [p]
    }

    /// `--tones MARK,SPACE` and `--baud` over the protocol's defaults.
    static func signalling(_ proto: RealWorldProtocol, baud: Double?, tones: [Double]?) throws -> FSKSignalling? {
        guard baud != nil || tones != nil else { return nil }
        var s = proto.defaultSignalling
        if proto == .uart, let b = baud, b <= 300 { s = .bell103 }
        if let b = baud { s.baud = b }
        if let t = tones {
            guard t.count == 2 else { throw CLIError("--tones needs SPACE,MARK (symbol 0 first)") }
            s.space = t[0]
            s.mark = t[1]
        }
        return s
    }

    /// The AX.25 modem of `--baud` (300, 1200, 9600) and `--tones`: AFSK on the tones when given.
    static func ax25Modem(baud: Double?, tones: [Double]?) throws -> AX25Modem {
        if tones != nil {
            guard let s = try signalling(.ax25, baud: baud, tones: tones) else { return .afsk(.bell202) }
            return .afsk(s)
        }
        guard let b = baud else { return .afsk(.bell202) }
        guard b == b.rounded(), let modem = AX25Modem(baud: Int(b)) else {
            throw CLIError(
                "--baud \(String(format: "%g", b)) with --protocol ax25: 300 (AFSK 1600/1800 Hz), 1200 (Bell 202) "
                    + "or 9600 (G3RUH baseband); other rates need --tones")
        }
        return modem
    }

    static func decode(_ request: ProtocolDecodeRequest) throws {
        let protos = try protocols(request.protocolName)
        let single = protos.count == 1
        var options = ProtocolReceiverOptions(
            signalling: single && protos[0] != .ax25
                ? try signalling(protos[0], baud: request.baud, tones: request.tones) : nil,
            uartFormat: try request.options.format(), repairBits: request.options.fixBits)
        if single && protos[0] == .ax25 {
            options.select(try ax25Modem(baud: request.baud, tones: request.tones))
        }
        guard (1...31).contains(request.options.slicers) else { throw CLIError("--slicers must be 1…31") }
        options.slicers = request.options.slicers
        let reader: AudioFileReader
        do {
            reader = try AudioFileReader(path: request.input, channel: request.channel, raw: request.raw)
        } catch {
            // A WAV with a streaming header (data length larger than the file) is read as far as it goes.
            guard case .truncated = error, let (samples, r) = StreamingWAV.read(path: request.input) else {
                throw error
            }
            if !request.quiet {
                note("\(request.input): WAV header claims more data than present; reading what is there")
            }
            try checkRate(options, rate: Double(r), input: request.input)
            var rx = ProtocolReceiver(protocols: protos, sampleRate: Double(r), options: options)
            var sink = try OutputSink(path: request.output)
            var counts: [RealWorldProtocol: Int] = [:]
            try emit(rx.process(samples) + rx.finish(), request: request, sink: &sink, counts: &counts)
            try sink.close()
            try summarise(counts, protos: protos, request: request, rate: Double(r))
            return
        }
        try decode(reader, protos: protos, options: options, request: request)
    }

    static func decode(
        _ reader: consuming AudioFileReader, protos: [RealWorldProtocol],
        options: ProtocolReceiverOptions, request: ProtocolDecodeRequest
    ) throws {
        var reader = reader
        let rate = Double(reader.sampleRate)
        try checkRate(options, rate: rate, input: request.input)
        var rx = ProtocolReceiver(protocols: protos, sampleRate: rate, options: options)
        var sink = try OutputSink(path: request.output)
        var counts: [RealWorldProtocol: Int] = [:]
        try reader.forEachBlock(size: request.blockFrames) {
            try emit(rx.process($0), request: request, sink: &sink, counts: &counts)
        }
        try emit(rx.finish(), request: request, sink: &sink, counts: &counts)
        try sink.close()
        try summarise(counts, protos: protos, request: request, rate: rate)
    }

    /// Refuses audio too slow for the AX.25 modem (under 4 samples per bit at 9600 Bd).
    static func checkRate(_ options: ProtocolReceiverOptions, rate: Double, input: String) throws {
        guard let modem = options.ax25Modem, case .g3ruh = modem, rate < modem.minimumReceiveRate else { return }
        throw CLIError(
            "\(input): \(Int(rate)) Hz is too slow for \(modem) (at least \(Int(modem.minimumReceiveRate)) Hz)")
    }

    static func emit(
        _ messages: [ProtocolMessage], request: ProtocolDecodeRequest, sink: inout OutputSink,
        counts: inout [RealWorldProtocol: Int]
    ) throws {
        // A block's messages in one write (they come out together anyway), not a system call
        // and a Data for each.
        var out: [UInt8] = []
        for m in messages {
            counts[m.proto, default: 0] += [.uart, .rtty, .kcs].contains(m.proto) ? m.bytes.count : 1
            if request.json {
                out += (json(m) + "\n").utf8
            } else if [.uart, .kcs].contains(m.proto) {
                out += m.bytes
            } else if m.proto == .rtty {
                out += m.text.utf8
            } else {
                out += (m.text + "\n").utf8
            }
        }
        try sink.write(out)
    }

    static func summarise(
        _ counts: [RealWorldProtocol: Int], protos: [RealWorldProtocol],
        request: ProtocolDecodeRequest, rate: Double
    ) throws {
        if counts.isEmpty {
            note(
                "\(request.input): nothing found (\(protos.map(\.rawValue).joined(separator: ", ")) at \(Int(rate)) Hz)"
            )
            throw ExitCode(2)
        }
        if !request.quiet {
            note(
                "\(request.input): "
                    + protos.compactMap { p in counts[p].map { "\($0) \(p.rawValue)" } }
                    .joined(separator: ", ") + ([.uart, .rtty, .kcs].contains(protos[0]) ? " bytes" : ""))
        }
    }

    static func json(_ m: ProtocolMessage) -> String {
        func q(_ s: String) -> String {
            var o = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": o += "\\\""
                case "\\": o += "\\\\"
                case _ where u.value < 0x20: o += String(format: "\\u%04x", u.value)
                default: o.unicodeScalars.append(u)
                }
            }
            return o + "\""
        }
        let fields = m.fields.keys.sorted().map { "\(q($0)):\(q(m.fields[$0] ?? ""))" }.joined(separator: ",")
        return "{\"time\":" + String(format: "%.3f", m.time) + ",\"protocol\":\(q(m.proto.rawValue)),"
            + "\"status\":\(q(m.status.rawValue)),\"text\":\(q(m.text)),\"fields\":{\(fields)}}"
    }

    static func encode(_ request: ProtocolEncodeRequest) throws {
        let protos = try protocols(request.protocolName)
        guard protos.count == 1 else { throw CLIError("encode needs one --protocol, not auto") }
        let proto = protos[0]
        if request.options.fx25 != nil && proto != .ax25 { throw CLIError("--fx25 goes with --protocol ax25") }
        let modem = proto == .ax25 ? try ax25Modem(baud: request.baud, tones: request.tones) : nil
        var sig = try signalling(proto, baud: request.baud, tones: request.tones) ?? proto.defaultSignalling
        if case .afsk(let s) = modem { sig = s }
        if request.options.fx25 != nil, case .g3ruh = modem {
            throw CLIError("--fx25 is sent on AFSK (--baud 300 or 1200), not at 9600 baud")
        }
        let rate = Double(request.sampleRate)
        let text = String(decoding: request.data, as: UTF8.self)
        let samples: [Float]
        var what = ""
        do {
            switch proto {
            case .ax25:
                var frames: [AX25Frame] = []
                for line in text.split(whereSeparator: \.isNewline) where !line.isEmpty {
                    let full = request.options.ax25Path.map { "\($0):\(line)" } ?? String(line)
                    frames.append(try AX25Frame(tnc2: full))
                }
                guard !frames.isEmpty else { throw CLIError("no TNC2 line to send") }
                if let fx = request.options.fx25 {
                    samples = try ProtocolTransmitter.fx25(
                        frames, parityCount: fx.rawValue, signalling: sig, sampleRate: rate)
                    what = "\(frames.count) FX.25 frame\(frames.count == 1 ? "" : "s") (\(fx.rawValue) check bytes)"
                } else {
                    samples = try ProtocolTransmitter.ax25(frames, modem: modem ?? .afsk(sig), sampleRate: rate)
                    what = "\(frames.count) AX.25 frame\(frames.count == 1 ? "" : "s")"
                }
            case .uart:
                samples = ProtocolTransmitter.uart(
                    request.data, format: try request.options.format() ?? .n81,
                    signalling: sig, sampleRate: rate)
                what = "\(request.data.count) bytes"
            case .kcs:
                samples = ProtocolTransmitter.uart(request.data, format: .n82, signalling: sig, sampleRate: rate)
                what = "\(request.data.count) bytes"
            case .rtty:
                samples = try ProtocolTransmitter.rtty(text, signalling: sig, sampleRate: rate)
                what = "\(text.count) characters"
            case .same:
                let lines = text.split(whereSeparator: \.isNewline).map(String.init)
                samples = try ProtocolTransmitter.same(lines, signalling: sig, sampleRate: rate)
                what = "\(lines.count) SAME message\(lines.count == 1 ? "" : "s")"
            case .callerid:
                samples = try ProtocolTransmitter.callerID(line: text, signalling: sig, sampleRate: rate)
                what = "1 caller ID message"
            }
        } catch let e as ProtocolError {
            throw CLIError(e.description)
        }
        var writer = try AudioFileWriter(
            path: request.output, sampleRate: request.sampleRate, channels: 1,
            encoding: request.encoding)
        try writer.write(samples)
        try writer.close()
        if !request.quiet {
            note(
                "\(what), \(proto.rawValue) \(modem.map { "\($0)" } ?? "\(sig)"), "
                    + String(
                        format: "%.2f s at %d Hz", Double(samples.count) / rate,
                        request.sampleRate)
                    + (request.output == "-" ? "" : " -> \(request.output)"))
        }
    }
}
